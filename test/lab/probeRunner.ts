// Runs the probe engine inside a lab namespace with options the CLI does not expose (a known public
// address for NAT-D port recovery, a politeness limit, sequential and repeated rounds for the
// bench). Usage:
//   node out/test/lab/probeRunner.js '{"targets":["203.0.113.11:500/ike"],"publicAddress":"203.0.113.1"}'
// Prints `{ results, elapsedMs, probeMs }`: elapsedMs covers the probes alone (without Node's
// start-up); probeMs is each probe's own wall time when run sequentially.
import { setTimeout as delay } from 'node:timers/promises';
import { IkeRateLimiter } from '../../src/core/probes/ike/ikeRateLimiter';
import { probe } from '../../src/core/probes/probe';
import { loadProbeConfig } from '../../src/core/probes/probeConfig';
import { parseProbeTarget } from '../../src/core/probes/target';
import type { ProbeOptions, ProbeOutcome } from '../../src/core/probes/types';

interface RunnerRequest {
  targets: string[];
  publicAddress?: string;
  ikeLimit?: number;
  timeoutMs?: number;
  sequential?: boolean;
  /** A wg-quick or .ovpn file for the keyed probes. */
  config?: string;
  /** Rounds of `targets` (sequential), `intervalMs` apart: WireGuard drops a second initiation from one peer within 20 ms. */
  repeat?: number;
  intervalMs?: number;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as RunnerRequest;
  const options: ProbeOptions = { ikeLimiter: new IkeRateLimiter(request.ikeLimit ?? 3) };
  if (request.publicAddress) options.publicAddress = request.publicAddress;
  if (request.timeoutMs) options.timeoutMs = request.timeoutMs;
  if (request.config) {
    const loaded = await loadProbeConfig(request.config);
    if ('error' in loaded) throw new Error(loaded.error);
    options.config = loaded.config;
  }
  const targets = request.targets.map((text) => {
    const t = parseProbeTarget(text);
    if ('error' in t) throw new Error(t.error);
    return t;
  });
  const results: ProbeOutcome[] = [];
  const probeMs: number[] = [];
  const started = performance.now();
  if (request.sequential || request.repeat) {
    for (let round = 0; round < (request.repeat ?? 1); round++) {
      if (round > 0 && request.intervalMs) await delay(request.intervalMs); // pacing, not synchronisation
      for (const t of targets) {
        const t0 = performance.now();
        results.push(await probe(t, options));
        probeMs.push(Math.round((performance.now() - t0) * 100) / 100);
      }
    }
  } else results.push(...(await Promise.all(targets.map((t) => probe(t, options)))));
  const elapsedMs = Math.round(performance.now() - started);
  process.stdout.write(`${JSON.stringify({ results, elapsedMs, probeMs })}\n`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
