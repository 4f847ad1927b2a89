// node:test wrapper (part of `npm test`): runs the extension-host mocha suite (test/vscode/suite)
// inside code-server's real VS Code and checks the exit code the workbench reports.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureCodeServer, isCi, launchChromium, REPO_ROOT, runExtensionTests, startCodeServer } from './codeServerHarness';

const ready = ensureCodeServer();
const skip = 'skip' in ready ? (isCi() ? false : ready.skip) : false;

describe('extension host in a real VS Code (code-server 4.100.3)', { skip }, () => {
  it('passes the mocha suite of test/vscode/suite', { timeout: 300_000 }, async () => {
    assert.ok('entry' in ready, 'skip' in ready ? ready.skip : '');
    const extensionTestsPath = join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js');
    assert.ok(existsSync(join(REPO_ROOT, 'dist', 'extension.js')), 'dist/extension.js is built (npm run build)');
    assert.ok(existsSync(extensionTestsPath), 'the suite is compiled (npm run compile-tests)');
    const folder = mkdtempSync(join(tmpdir(), 'nat-doctor-workspace-'));
    writeFileSync(join(folder, 'README.txt'), 'workspace of the NAT Doctor extension-host tests\n');
    const server = await startCodeServer({ entry: ready.entry, folder });
    const browser = await launchChromium();
    try {
      const run = await runExtensionTests(server, browser, { extensionDevelopmentPath: REPO_ROOT, extensionTestsPath, folder });
      const suiteOutput = run.log.filter((line) => !/^\[(Extension Host|vscode)\]|Failed to load resource|ERR_/.test(line));
      console.log(suiteOutput.join('\n'));
      assert.equal(typeof run.exitCode, 'number', 'the workbench reported an exit code');
      assert.equal(run.exitCode, 0, `the extension-host suite failed:\n${run.log.join('\n')}\n--- code-server ---\n${server.output()}`);
    } finally {
      await browser.close();
      await server.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
