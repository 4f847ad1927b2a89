// Paths of the shared probe fixtures (test/fixtures/probes), resolved from the compiled test file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** out/test/unit/probes → repo root is four levels up (out/<…>/test/unit/probes) or three from test/. */
export function fixturePath(name: string): string {
  // Compiled tests live under <outDir>/test/unit/probes; the fixtures stay in the source tree.
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'test', 'fixtures', 'probes', name);
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      dir = join(dir, '..');
    }
  }
  throw new Error(`fixture not found: ${name}`);
}

export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}
