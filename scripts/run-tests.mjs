// Runs every compiled test file under out/test with Node's own test runner, one file at a time:
// lab tests build network namespaces and must not race each other for CPU on a 2-core machine.
// Lab tests decide for themselves whether they can run (root, tools) — see test/lab/labEnv.ts.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...collect(path));
    else if (name.endsWith('.test.js')) files.push(path);
  }
  return files;
}

const only = process.argv.slice(2);
const roots = only.length > 0 ? only : ['out/test'];
const files = roots.flatMap((root) => (statSync(root).isDirectory() ? collect(root) : [root]));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
