// `npm run test:vscode`: the same extension-host suite (test/vscode/suite) in desktop VS Code
// through @vscode/test-electron 2.x, against the minimum engines.vscode and stable (as
// rust-analyzer does). Needs a machine that can download VS Code (and a display, or xvfb-run);
// where it cannot, `npm test` runs the suite in code-server instead (codeServer.test.ts).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = resolve(__dirname, '../../..');
  const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { vscode: string } };
  const minimum = packageJson.engines.vscode.replace(/^[\^~>=]+/, '');
  const versions = process.env.NAT_DOCTOR_VSCODE_VERSIONS?.split(',') ?? [minimum, 'stable'];
  const folder = mkdtempSync(join(tmpdir(), 'nat-doctor-workspace-'));
  writeFileSync(join(folder, 'README.txt'), 'workspace of the NAT Doctor extension-host tests\n');
  for (const version of versions) {
    console.log(`extension-host suite in VS Code ${version}`);
    await runTests({
      version,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'vscode', 'suite', 'index.js'),
      launchArgs: [folder, '--disable-extensions'],
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
