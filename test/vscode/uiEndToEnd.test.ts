// UI end to end, as a user would: package the .vsix (npm run package, @vscode/vsce), install it with
// `code-server --install-extension`, open the workbench in Chromium, run "NAT Doctor: Run
// Diagnostics" from the command palette against a STUN server on loopback, then read the status
// bar and the rendered report, and save screenshots to test-results/.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { ensureCodeServer, installExtension, isCi, launchChromium, REPO_ROOT, startCodeServer } from './codeServerHarness';
import { startStunResponder } from './suite/stunResponder';

const ready = ensureCodeServer();
const skip = 'skip' in ready ? (isCi() ? false : ready.skip) : false;
const RESULTS = join(REPO_ROOT, 'test-results');
const VSIX = join(REPO_ROOT, 'nat-doctor.vsix');
const VSIX_LIMIT_BYTES = 1.5 * 1024 * 1024;

/** The frame of our report webview (VS Code nests it: webview host iframe → active frame). */
async function reportFrame(page: Page, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.locator('section[data-section="summary"]').count() > 0) return frame;
      } catch {
        // A frame navigating or detached while we looked.
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error('the report webview did not render a report');
}

async function runFromPalette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input[type="text"], .quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

describe('UI end to end: packaged .vsix in code-server + Chromium', { skip }, () => {
  it('runs Run Diagnostics from the palette and shows the verdict in the status bar and the report', { timeout: 300_000 }, async () => {
    assert.ok('entry' in ready, 'skip' in ready ? ready.skip : '');
    mkdirSync(RESULTS, { recursive: true });

    const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 180_000 });
    assert.equal(packaged.status, 0, `npm run package failed:\n${packaged.stdout}\n${packaged.stderr}`);
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
        const settings = {
          ...JSON.parse(readFileSync(join(server.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>,
          'natDoctor.stunServers': [`127.0.0.1:${silent.port}`],
          'natDoctor.timeoutMs': 60_000,
        };
        await runFromPalette(page, 'Preferences: Open User Settings (JSON)');
        await page.locator('.editor-instance .monaco-editor textarea, .monaco-editor textarea').first().waitFor({ state: 'attached', timeout: 15_000 });
        await page.waitForTimeout(500);
        await page.keyboard.press('Control+A');
        await page.keyboard.insertText(JSON.stringify(settings, null, 2));
        await page.keyboard.press('Control+S');
        await page.waitForFunction(
          `[...document.querySelectorAll('.view-line')].some((line) => (line.textContent || '').includes('${silent.port}'))`,
          undefined, { timeout: 10_000 });
        // Saved: the tab loses its dirty marker.
        await page.locator('.tab.dirty').first().waitFor({ state: 'detached', timeout: 10_000 });
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
