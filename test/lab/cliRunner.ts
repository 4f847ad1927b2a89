// Runs the real, built CLI (`dist/cli.js`, from `npm run build`) inside a lab namespace.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Report } from '../../src/core/report/types';
import type { Netns, RunResult } from './netns';

/** The repository root: the nearest folder above this file holding package.json. */
export const REPO_ROOT = findRepoRoot(__dirname);

function findRepoRoot(start: string): string {
  let dir = start;
  for (let depth = 0; depth < 8; depth++) {
    if (existsSync(resolve(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`no package.json above ${start}`);
}
export const CLI_PATH = resolve(REPO_ROOT, 'dist/cli.js');

export interface CliRun extends RunResult {
  /** The parsed stdout when it is one JSON document, else `undefined`. */
  json: unknown;
}

export function assertCliBuilt(): void {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: run \`npm run build\` first`);
}

/** `node dist/cli.js ARGS…` inside `ns` (bounded by `timeoutMs`, default 30 s). */
export async function runCli(ns: Netns, args: readonly string[], timeoutMs = 30_000, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  assertCliBuilt();
  const result = await ns.run(process.execPath, [CLI_PATH, ...withoutPublicHosts(args)], { timeoutMs, cwd: REPO_ROOT, env: { ...process.env, ...env } });
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    json = undefined;
  }
  return { ...result, json };
}

/**
 * Lab diagnoses never reach for a public host: unless a test names its own captive-portal URL (a lab
 * address), the check — which would look up detectportal.firefox.com — is turned off.
 */
function withoutPublicHosts(args: readonly string[]): readonly string[] {
  if (args[0] !== 'diagnose' || args.some((a) => a === '--captive-portal' || a === '--no-captive-portal' || a === '--help')) return args;
  return [...args, '--no-captive-portal'];
}

/** `diagnose --json --stun S… --timeout MS`; throws with the output unless exit 0 and valid JSON. */
export async function diagnoseIn(ns: Netns, stunServers: readonly string[], options: { timeoutMs?: number; extraArgs?: readonly string[] } = {}): Promise<{ report: Report; run: CliRun }> {
  const timeoutMs = options.timeoutMs ?? 8_000;
  const args = ['diagnose', '--json', ...stunServers.flatMap((s) => ['--stun', s]), '--timeout', String(timeoutMs), ...(options.extraArgs ?? [])];
  const run = await runCli(ns, args, timeoutMs + 10_000);
  if (run.code !== 0 || typeof run.json !== 'object' || run.json === null) {
    throw new Error(`nat-doctor ${args.join(' ')} → exit ${run.code ?? run.signal}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(-2000)}`);
  }
  return { report: run.json as Report, run };
}
