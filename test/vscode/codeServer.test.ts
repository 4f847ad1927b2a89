// node:test wrapper (part of `npm test`): runs the extension-host mocha suites (test/vscode/suite)
// inside code-server's real VS Code and checks the exit code the workbench reports: once in a
// trusted workspace (extension.suite.ts) and once in an untrusted one (workspaceTrust.suite.ts).
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureCodeServer, isCi, launchChromium, REPO_ROOT, runExtensionTests, startCodeServer, type CodeServerOptions } from './codeServerHarness';
import { startStunResponder } from './suite/stunResponder';

const ready = ensureCodeServer();
const skip = 'skip' in ready ? (isCi() ? false : ready.skip) : false;
const extensionTestsPath = join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js');

async function runSuite(folder: string, options: Partial<CodeServerOptions> = {}): Promise<void> {
  assert.ok('entry' in ready, 'skip' in ready ? ready.skip : '');
  assert.ok(existsSync(join(REPO_ROOT, 'dist', 'extension.js')), 'dist/extension.js is built (npm run build)');
  assert.ok(existsSync(extensionTestsPath), 'the suite is compiled (npm run compile-tests)');
  const server = await startCodeServer({ entry: ready.entry, folder, ...options });
  const browser = await launchChromium();
  try {
    const run = await runExtensionTests(server, browser, { extensionDevelopmentPath: REPO_ROOT, extensionTestsPath, folder });
    const suiteOutput = run.log.filter((line) => !/^\[(Extension Host|vscode)\]|Failed to load resource|ERR_/.test(line));
    console.log(suiteOutput.join('\n'));
    assert.equal(typeof run.exitCode, 'number', 'the workbench reported an exit code');
    assert.equal(run.exitCode, 0, `the extension-host suite failed:\n${run.log.join('\n')}\n--- code-server ---\n${server.output()}`);
    assert.ok(run.log.some((line) => /passing/.test(line)), 'mocha reported its result');
  } finally {
    await browser.close();
    await server.stop();
  }
}

describe('extension host in a real VS Code (code-server 4.100.3)', { skip }, () => {
  it('passes the mocha suite of test/vscode/suite in a trusted workspace', { timeout: 300_000 }, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nat-doctor-workspace-'));
    writeFileSync(join(folder, 'README.txt'), 'workspace of the NAT Doctor extension-host tests\n');
    try {
      await runSuite(folder);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('does not contact a STUN server named by an untrusted workspace', { timeout: 300_000 }, async () => {
    const userServer = await startStunResponder();
    const workspaceServer = await startStunResponder();
    const folder = mkdtempSync(join(tmpdir(), 'nat-doctor-untrusted-'));
    mkdirSync(join(folder, '.vscode'));
    writeFileSync(join(folder, '.vscode', 'settings.json'),
      JSON.stringify({ 'natDoctor.stunServers': [`127.0.0.1:${workspaceServer.port}`] }, null, 2));
    try {
      await runSuite(folder, {
        workspaceTrust: true,
        userSettings: { 'natDoctor.stunServers': [`127.0.0.1:${userServer.port}`] },
        env: {
          NAT_DOCTOR_TEST_USER_STUN: `127.0.0.1:${userServer.port}`,
          NAT_DOCTOR_TEST_WORKSPACE_STUN: `127.0.0.1:${workspaceServer.port}`,
        },
      });
      assert.ok(userServer.requests > 0, 'the user\'s STUN server was used');
      assert.equal(workspaceServer.requests, 0, 'the untrusted workspace\'s STUN server received nothing');
    } finally {
      await userServer.close();
      await workspaceServer.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
