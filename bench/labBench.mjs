// What the lab benchmarks share: where the built CLI and the compiled lab are, whole-number
// options, the checks that both are built and the lab can run here, and the median.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const root = join(benchDir, '..');
export const labDir = join(root, 'out/test/lab');
export const cliPath = join(root, 'dist/cli.js');
const require = createRequire(import.meta.url);

/** `--name N` from the command line: a whole number ≥ min, else `fallback`; anything else exits 2. */
export function intOption(name, fallback, min = 0) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`bench: --${name} needs a whole number ≥ ${min}`);
    process.exit(2);
  }
  return value;
}

/**
 * Exits unless dist/cli.js and the compiled lab exist and the lab can run here (root, `binaries`),
 * then returns a loader for compiled modules under out/ (`lab('netns.js')`).
 */
export function requireLab(binaries, howToRun = 'sudo npm run bench') {
  for (const [path, hint] of [[cliPath, 'npm run build'], [join(labDir, 'netns.js'), 'npm run compile-tests']]) {
    if (!existsSync(path)) {
      console.error(`bench: ${path} is missing; run \`${hint}\` first`);
      process.exit(1);
    }
  }
  const { labAvailability } = require(join(labDir, 'labEnv.js'));
  const availability = labAvailability(binaries);
  if (!availability.runnable) {
    console.error(`bench: the NAT lab cannot run here: ${availability.problems.join('; ')}.\nRun it as root: ${howToRun}`);
    process.exit(1);
  }
  return (module) => require(join(labDir, module));
}

export const median = (xs) => {
  const s = [...xs].filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
