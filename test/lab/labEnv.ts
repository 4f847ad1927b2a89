// Can the NAT lab run here? The lab needs root (network namespaces, nftables) and a few real
// binaries. Outside CI a lab test that cannot run is skipped with a message saying how to run it;
// with CI=true nothing may be skipped, so the same problem fails the test instead.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Binaries every lab topology needs. */
export const BASE_LAB_BINARIES: readonly string[] = ['ip', 'nft'];

export interface LabAvailability {
  /** True when every requirement is met. */
  runnable: boolean;
  /** What is missing, in words; empty when runnable. */
  problems: string[];
}

export interface LabGate {
  /** For `describe(name, { skip: gate.skip }, …)`: a message outside CI, `false` otherwise. */
  skip: string | false;
  /** Throws (fails the test) when the lab cannot run; call it first in `before()`. */
  assertReady(): void;
  availability: LabAvailability;
}

/** True when running under CI, where a lab test must never be skipped. */
export function isCi(): boolean {
  return process.env.CI === 'true';
}

/** The full path of an executable on PATH (plus the sbin directories `ip`/`nft` live in). */
export function findBinary(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  for (const extra of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) if (!dirs.includes(extra)) dirs.push(extra);
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

/** Checks root and the binaries (`ip`, `nft` and `extraBinaries`). */
export function labAvailability(extraBinaries: readonly string[] = []): LabAvailability {
  const problems: string[] = [];
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid !== 0) problems.push('not running as root (network namespaces and nftables need root)');
  if (process.platform !== 'linux') problems.push(`platform is ${process.platform}, the lab needs Linux`);
  for (const bin of [...BASE_LAB_BINARIES, ...extraBinaries]) {
    if (findBinary(bin) === undefined) problems.push(`missing binary "${bin}" (run scripts/setup.sh as root)`);
  }
  return { runnable: problems.length === 0, problems };
}

/** Builds the skip/fail decision for a lab test file. */
export function labGate(extraBinaries: readonly string[] = []): LabGate {
  const availability = labAvailability(extraBinaries);
  const why = availability.problems.join('; ');
  const howTo = 'run the lab tests as root: `sudo npm test` (or `sudo npm run test:lab`)';
  const skip = availability.runnable || isCi() ? false : `NAT lab skipped: ${why}. To run it, ${howTo}.`;
  return {
    skip,
    availability,
    assertReady(): void {
      if (!availability.runnable) {
        throw new Error(`NAT lab cannot run${isCi() ? ' and CI=true forbids skipping' : ''}: ${why}. ${howTo}.`);
      }
    },
  };
}
