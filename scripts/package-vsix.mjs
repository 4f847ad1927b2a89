// Packages nat-doctor.vsix with @vscode/vsce from a staging copy of the repository. One package.json
// serves two packages: npm's tarball follows its `files` allowlist (the CLI bundle and the docs),
// the .vsix follows .vscodeignore (the extension's bundles, media, grammars, translations). vsce
// refuses a folder that has both, so it packs a copy whose package.json has no `files`; what goes
// into the .vsix is still decided by .vscodeignore alone.
//   node scripts/build.mjs --production && node scripts/package-vsix.mjs   (npm run package)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'nat-doctor.vsix');
/** Never copied: dependencies and caches (symlinks in a worktree), build outputs of tests, packages. */
const SKIP = new Set(['.git', 'node_modules', '.cache', 'out', 'test-results', '.vscode-test']);

const stage = mkdtempSync(join(tmpdir(), 'nat-doctor-vsix-'));
try {
  cpSync(root, stage, {
    recursive: true,
    filter: (source) => {
      if (source === root) return true;
      const name = basename(source);
      return !SKIP.has(name) && !name.endsWith('.vsix') && !name.endsWith('.tgz');
    },
  });
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  delete manifest.files;
  writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], {
    cwd: stage,
    stdio: 'inherit',
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(stage, { recursive: true, force: true });
}
