// Screenshots of the report panel in the dark, light and high-contrast themes, taken in a real
// VS Code (code-server) with the packaged .vsix, against a STUN responder on loopback.
//   npm run package && npm run compile-tests && node scripts/code-server-screenshots.mjs [OUT_DIR]
// Writes report-dark.png, report-light.png and report-high-contrast.png (default: test-results/).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const harness = require(join(root, 'out/test/vscode/codeServerHarness.js'));
const { startStunResponder } = require(join(root, 'out/test/vscode/suite/stunResponder.js'));
const outDir = resolve(process.argv[2] ?? join(root, 'test-results'));
mkdirSync(outDir, { recursive: true });

const ready = harness.ensureCodeServer();
if ('skip' in ready) {
  console.error(ready.skip);
  process.exit(1);
}
const themes = { dark: 'Default Dark Modern', light: 'Default Light Modern', 'high-contrast': 'Default High Contrast' };
const work = mkdtempSync(join(tmpdir(), 'nat-doctor-shots-'));
const extensionsDir = join(work, 'extensions');
harness.installExtension(ready.entry, join(root, 'nat-doctor.vsix'), extensionsDir, join(work, 'install-user-data'));
const stun = await startStunResponder();
const browser = await harness.launchChromium();
try {
  for (const [name, theme] of Object.entries(themes)) {
    const folder = mkdtempSync(join(work, 'workspace-'));
    const server = await harness.startCodeServer({
      entry: ready.entry, folder, extensionsDir,
      userSettings: { 'workbench.colorTheme': theme, 'natDoctor.stunServers': [`127.0.0.1:${stun.port}`] },
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
      await page.locator('.statusbar [aria-label^="NAT Doctor:"]').first().waitFor({ timeout: 60_000 });
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').first().fill('>NAT Doctor: Run Diagnostics');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'NAT Doctor: Run Diagnostics' }).first().waitFor();
      await page.keyboard.press('Enter');
      const deadline = Date.now() + 60_000;
      let rendered = false;
      while (!rendered && Date.now() < deadline) {
        for (const frame of page.frames()) {
          if (await frame.locator('p.meta', { hasText: 'full diagnosis' }).count().catch(() => 0)) rendered = true;
        }
        if (!rendered) await page.waitForTimeout(200);
      }
      if (!rendered) throw new Error(`the report did not render in the ${name} theme`);
      await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
      const file = join(outDir, `report-${name}.png`);
      await page.screenshot({ path: file });
      console.log(file);
      await page.close();
    } finally {
      await server.stop();
    }
  }
} finally {
  await browser.close();
  await stun.close();
  rmSync(work, { recursive: true, force: true });
}
