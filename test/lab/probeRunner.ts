// Runs the probe engine inside a lab namespace with options the CLI does not expose (a known public
// address for NAT-D port recovery, a politeness limit, sequential probes). Usage:
//   node out/test/lab/probeRunner.js '{"targets":["203.0.113.11:500/ike"],"publicAddress":"203.0.113.1"}'
// Prints `{ results, elapsedMs }` (elapsedMs: the probes alone, without Node's start-up).
import { IkeRateLimiter } from '../../src/core/probes/ike/ikeRateLimiter';
import { probe } from '../../src/core/probes/probe';
import { parseProbeTarget } from '../../src/core/probes/target';
import type { ProbeOptions, ProbeOutcome } from '../../src/core/probes/types';

interface RunnerRequest {
  targets: string[];
  publicAddress?: string;
  ikeLimit?: number;
  timeoutMs?: number;
  sequential?: boolean;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as RunnerRequest;
  const options: ProbeOptions = { ikeLimiter: new IkeRateLimiter(request.ikeLimit ?? 3) };
  if (request.publicAddress) options.publicAddress = request.publicAddress;
  if (request.timeoutMs) options.timeoutMs = request.timeoutMs;
  const targets = request.targets.map((text) => {
    const t = parseProbeTarget(text);
    if ('error' in t) throw new Error(t.error);
    return t;
  });
  const results: ProbeOutcome[] = [];
  const started = performance.now();
  if (request.sequential) for (const t of targets) results.push(await probe(t, options));
  else results.push(...(await Promise.all(targets.map((t) => probe(t, options)))));
  const elapsedMs = Math.round(performance.now() - started);
  process.stdout.write(`${JSON.stringify({ results, elapsedMs })}\n`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
