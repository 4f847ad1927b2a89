// UI end to end, as a user would: package the .vsix (npm run package, @vscode/vsce), install it with
// `code-server --install-extension`, open the workbench in Chromium, run "NAT Doctor: Run
// Diagnostics" from the command palette against a STUN server on loopback, then read the status
// bar and the rendered report, and save screenshots to test-results/. Then the same inside each lab
// scenario (test/vscode/labScenarios.ts: a CGNAT with VPN probes), where the network path must
// name the right hops in the dark, light and high-contrast themes, the problem must show on the
// first screen, and the quick fix must carry the measured keepalive; its pictures are the README's
// (scripts/code-server-screenshots.mjs copies them from the same code).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { labGate } from '../lab/labEnv';
import { ensureCodeServer, installExtension, isCi, launchChromium, REPO_ROOT, startCodeServer } from './codeServerHarness';
import { LAB_SCENARIOS } from './labScenarios';
import { captureScenario } from './labScreenshots';
import { startStunResponder } from './suite/stunResponder';
import { editUserSettings, reportFrame, runFromPalette, THEMES } from './workbench';

const ready = ensureCodeServer();
const skip = 'skip' in ready ? (isCi() ? false : ready.skip) : false;
const RESULTS = join(REPO_ROOT, 'test-results');
const VSIX = join(REPO_ROOT, 'nat-doctor.vsix');
const VSIX_LIMIT_BYTES = 1.5 * 1024 * 1024;

let packaged = false;
/** `npm run package` (@vscode/vsce), once for this file's tests: each installs the fresh .vsix. */
function packageVsix(): void {
  if (packaged) return;
  const run = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 180_000 });
  assert.equal(run.status, 0, `npm run package failed:\n${run.stdout}\n${run.stderr}`);
  packaged = true;
}

describe('UI end to end: packaged .vsix in code-server + Chromium', { skip }, () => {
  it('runs Run Diagnostics from the palette and shows the verdict in the status bar and the report', { timeout: 300_000 }, async () => {
    assert.ok('entry' in ready, 'skip' in ready ? ready.skip : '');
    mkdirSync(RESULTS, { recursive: true });

    packageVsix();
    assert.ok(existsSync(VSIX), 'nat-doctor.vsix was written');
    const vsixBytes = statSync(VSIX).size;
    assert.ok(vsixBytes <= VSIX_LIMIT_BYTES, `.vsix is ${vsixBytes} bytes (limit 1.5 MB)`);

    const work = mkdtempSync(join(tmpdir(), 'nat-doctor-e2e-'));
    const folder = join(work, 'workspace');
    const extensionsDir = join(work, 'extensions');
    mkdirSync(folder);
    writeFileSync(join(folder, 'README.txt'), 'NAT Doctor UI test workspace\n');
    const installed = installExtension(ready.entry, VSIX, extensionsDir, join(work, 'install-user-data'));
    assert.match(installed, /nat-doctor/i);

    const stun = await startStunResponder();
    const server = await startCodeServer({
      entry: ready.entry,
      folder,
      extensionsDir,
      userSettings: { 'natDoctor.stunServers': [`127.0.0.1:${stun.port}`], 'natDoctor.timeoutMs': 5_000 },
    });
    const browser = await launchChromium();
    const cspViolations: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text()) && /webview\.js|report\.css|nat-doctor/i.test(message.text())) {
          cspViolations.push(message.text());
        }
      });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      const statusItem = page.locator('.statusbar [aria-label^="NAT Doctor:"]').first();
      // onStartupFinished → the monitor's first quick check fills the status bar.
      await statusItem.waitFor({ timeout: 60_000 });

      await runFromPalette(page, 'NAT Doctor: Run Diagnostics');
      const frame = await reportFrame(page, 60_000);
      await frame.locator('section[data-section="servers"]').waitFor({ timeout: 30_000 });
      // The panel opens at once with the last report; wait for this run's full report.
      await frame.locator('p.meta', { hasText: 'full diagnosis' }).waitFor({ timeout: 30_000 });

      const statusLabel = await statusItem.getAttribute('aria-label') ?? '';
      const statusText = (await statusItem.innerText()).trim();
      assert.match(statusLabel, /^NAT Doctor: (?!checking|no check)/, `status bar verdict: ${statusLabel}`);
      assert.match(statusText, /NAT|UDP|firewall/, `status bar text: ${statusText}`);

      const headings = await frame.locator('h2').allInnerTexts();
      assert.equal(headings[0], 'Recommendations', `recommendations first: ${headings.join(', ')}`);
      for (const expected of ['Summary', 'NAT behaviour (RFC 5780)', 'Carrier-grade NAT', 'STUN servers', 'History']) {
        assert.ok(headings.includes(expected), `section "${expected}" is shown (${headings.join(', ')})`);
      }
      const explanations = await frame.locator('p.explanation').count();
      assert.ok(explanations >= headings.length, 'every section has its one-line explanation');
      const pathItems = await frame.getByRole('list', { name: 'Network path, hop by hop' }).getByRole('listitem').allTextContents();
      assert.ok(pathItems[0]?.startsWith('you'), `the network path is drawn above the sections: ${pathItems.join(' | ')}`);
      assert.ok(pathItems.some((item) => item.startsWith(`then STUN 127.0.0.1:${stun.port}`)), 'the STUN server is a destination of the path');
      const serversText = await frame.locator('section[data-section="servers"]').innerText();
      assert.ok(serversText.includes(`127.0.0.1:${stun.port}`), `the STUN server row is rendered: ${serversText}`);
      for (const button of ['Re-run', 'Copy as Markdown', 'Export JSON']) {
        assert.equal(await frame.locator('button', { hasText: button }).count(), 1, `${button} button`);
      }
      assert.deepEqual(cspViolations, [], 'no Content Security Policy violation from the report');

      // The progress notification closes when the run ends; wait for it so the picture is clean.
      await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
      assert.match(await frame.locator('p.meta').innerText(), /full diagnosis/);
      await page.screenshot({ path: join(RESULTS, 'vscode-e2e-report.png') });
      await statusItem.screenshot({ path: join(RESULTS, 'vscode-e2e-statusbar.png') });

      // Re-run from the panel: a second report arrives and the history lists both.
      const historyBefore = await frame.locator('ol.history li').count();
      await frame.locator('button', { hasText: 'Re-run' }).click();
      const rerunFrame = await (async () => {
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline) {
          const current = await reportFrame(page, 30_000);
          if (await current.locator('ol.history li').count() > historyBefore) return current;
          await page.waitForTimeout(250);
        }
        throw new Error('Re-run did not add a report to the history');
      })();
      assert.ok(await rerunFrame.locator('ol.history li').count() > historyBefore);

      // Probe VPN Server…: type a target into the QuickPick, as a user would.
      const probeTarget = `127.0.0.1:${stun.port}/stun`;
      await runFromPalette(page, 'NAT Doctor: Probe VPN Server…');
      const pickInput = page.locator('.quick-input-widget input').first();
      await page.locator('.quick-input-widget', { hasText: 'Enter a server' }).waitFor({ timeout: 15_000 });
      await pickInput.fill(probeTarget);
      await page.keyboard.press('Enter');
      const probeToast = page.locator('.notification-toast', { hasText: `${probeTarget}: open` });
      await probeToast.waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(RESULTS, 'vscode-e2e-probe.png') });

      // Cancel in the progress notification stops a check stuck on a silent STUN server.
      const silent = await startStunResponder({ silent: true });
      try {
        // Edit settings.json in VS Code's own editor, as a user would.
        await editUserSettings(page, join(server.userDataDir, 'User', 'settings.json'), {
          'natDoctor.stunServers': [`127.0.0.1:${silent.port}`],
          'natDoctor.timeoutMs': 60_000,
        });
        await page.waitForFunction(
          `[...document.querySelectorAll('.view-line')].some((line) => (line.textContent || '').includes('${silent.port}'))`,
          undefined, { timeout: 10_000 });
        await page.waitForTimeout(500);
        await runFromPalette(page, 'NAT Doctor: Quick Check');
        const progressToast = page.locator('.notification-toast', { hasText: 'quick check' });
        await progressToast.waitFor({ timeout: 15_000 });
        const cancelled = Date.now();
        await progressToast.locator('a.monaco-button, .monaco-button', { hasText: 'Cancel' }).first().click();
        await progressToast.waitFor({ state: 'detached', timeout: 10_000 });
        await page.waitForFunction('!document.querySelector(\'.statusbar [aria-label^="NAT Doctor: checking"]\')', undefined, { timeout: 5_000 });
        assert.ok(Date.now() - cancelled < 5_000, 'the run stopped long before its 60 s deadline');
        assert.ok(silent.requests > 0, 'the check really was waiting on the silent server');
      } finally {
        await silent.close();
      }

      // Reload the window the way a user does (VS Code saves its editor state first): the
      // serializer restores the panel and the report is shown again.
      await Promise.all([
        page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 }),
        runFromPalette(page, 'Developer: Reload Window'),
      ]);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // settings.json was the active editor: bring the restored report tab to the front.
      await page.locator('.tabs-container .tab', { hasText: 'NAT Doctor Report' }).first().click({ timeout: 30_000 });
      const restored = await reportFrame(page, 60_000);
      assert.ok(await restored.locator('h1', { hasText: 'NAT Doctor report' }).count() === 1, 'the report panel survives a reload');
    } finally {
      await browser.close();
      await server.stop();
      await stun.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});


for (const scenario of LAB_SCENARIOS) {
  const gate = labGate(scenario.binaries);
  describe(`UI end to end in the lab: ${scenario.title}`, { skip: skip || gate.skip }, () => {
    it('the path names the right hops in every theme, the problem is on the first screen, a quick fix uses the measured value', { timeout: 600_000 }, async () => {
      assert.ok('entry' in ready, 'skip' in ready ? ready.skip : '');
      gate.assertReady();
      packageVsix();
      const capture = await captureScenario(scenario, {
        entry: ready.entry, vsix: VSIX, outDir: join(RESULTS, 'screenshots'),
        themes: ['dark', 'light', 'high-contrast'], quickFixThemes: ['dark', 'light'],
      });
      const { hops, destinations, figures } = capture.setup;
      assert.equal(capture.themes.length, 3);
      for (const theme of capture.themes) {
        assert.equal(theme.bodyClass, THEMES[theme.theme].bodyClass, `the panel follows the ${theme.theme} theme`);
        // The accessible text, hop by hop: "carrier NAT 100.64.0.1: warning. <why>".
        const expected = [...hops.map((h) => ({ ...h, prefix: h.name })), ...destinations.map((d) => ({ ...d, prefix: `then ${d.name}` }))];
        assert.equal(theme.pathItems.length, expected.length, `${theme.theme}: ${theme.pathItems.join(' | ')}`);
        expected.forEach((hop, i) => {
          const item = theme.pathItems[i] ?? '';
          const words = hop.verdict === 'unknown' ? 'not measured' : hop.verdict;
          assert.ok(item.startsWith(`${hop.prefix} `) || item.startsWith(`${hop.prefix}:`), `${theme.theme}: item ${i} is ${hop.name}: ${item}`);
          assert.match(item, new RegExp(`: ${words}\\. \\S`), `${theme.theme}: ${hop.name} is ${words}, with why: ${item}`);
        });
        assert.deepEqual(theme.figures, figures, `${theme.theme}: the small pictures`);
        assert.ok(theme.caption.length > 0 && /^[✖⚠?]/.test(theme.caption[0] ?? ''), `the worst problem is named under the picture: ${theme.caption[0]}`);
        assert.ok(existsSync(theme.screenshot));
      }
      assert.ok(capture.firstScreen.pathBottom <= capture.firstScreen.viewportHeight && capture.firstScreen.firstProblemBottom <= capture.firstScreen.viewportHeight,
        `the path and its first problem are on the first screen at 1280×800: ${JSON.stringify(capture.firstScreen)}`);
      assert.ok(capture.narrow.column, `a narrow panel (${capture.narrow.panelWidth} px) draws the path as a column`);
      assert.deepEqual(capture.narrow.overflowing, [], `every label fits the ${capture.narrow.panelWidth} px panel`);
      assert.deepEqual(capture.cspViolations, [], 'no Content Security Policy violation from the report');
      if (!capture.setup.quickFix) return;
      const lifetime = Number(/~(\d+) s/.exec(capture.lifetimeRow)?.[1]);
      assert.ok(lifetime > 0, `the binding lifetime was measured: ${capture.lifetimeRow}`);
      const keepalive = Math.min(25, Math.floor(lifetime / 2));
      assert.equal(capture.quickFixes.length, 2);
      for (const fix of capture.quickFixes) {
        assert.match(fix.problem, new RegExp(`after ~${lifetime} s`), `${fix.theme}: the problem names the measured lifetime`);
        assert.equal(fix.fixTitle, `Add PersistentKeepalive = ${keepalive}`);
        assert.equal(fix.fixedLine, `PersistentKeepalive = ${keepalive}`);
        assert.ok(existsSync(fix.stepwise));
      }
    });
  });
}
