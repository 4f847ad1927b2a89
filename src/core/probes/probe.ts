// The probe engine: one target → one ProbeResult, many targets in parallel. Errors are values: a
// probe that cannot run returns a state and a reason; nothing throws through to the report.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { parseHost } from '../net/endpoint';
import type { ProbeResult } from '../report/types';
import { probeIke } from './ike/ikeProbe';
import { probeOpenVpn } from './openvpn/openvpnProbe';
import type { ProbeContext, ProbeFinding } from './probeContext';
import { defaultTargets, formatTarget, parseProbeTarget } from './target';
import { probeTcp } from './tcp/tcpProbe';
import { probeTls } from './tcp/tlsProbe';
import { probeStun } from './stun/stunProbe';
import { probeTurn } from './turn/turnProbe';
import { DEFAULT_PROBE_TIMEOUT_MS, type ProbeOptions, type ProbeOutcome, type ProbeTarget } from './types';
import { probeWireGuard } from './wireguard/wireguardProbe';

const PROBES: Record<ProbeTarget['protocol'], (ctx: ProbeContext) => Promise<ProbeFinding>> = {
  ike: probeIke,
  'ike-natt': probeIke,
  openvpn: probeOpenVpn,
  wireguard: probeWireGuard,
  tcp: probeTcp,
  tls: probeTls,
  stun: probeStun,
  turn: probeTurn,
};

/** Resolves a host name (IP literals pass through); the error is a plain sentence. */
export async function resolveHost(host: string): Promise<{ address: string } | { error: string }> {
  if (isIP(host) !== 0) return { address: host };
  try {
    const { address } = await lookup(host);
    return { address };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    return { error: `the name ${host} did not resolve (${code}); nothing was sent` };
  }
}

/** Probes one target. Never rejects. */
export async function probe(target: ProbeTarget, options: ProbeOptions = {}): Promise<ProbeOutcome> {
  const label = formatTarget(target);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const resolved = await resolveHost(target.host);
  if ('error' in resolved) {
    // No state says "unresolvable"; from here the service cannot be reached, which is what
    // `filtered` tells a user, and the detail says why.
    return { target: label, state: 'filtered', rttMs: null, detail: resolved.error };
  }
  options.onProgress?.(`${label}: probing${resolved.address === target.host ? '' : ` ${resolved.address}`}`);
  let finding: ProbeFinding;
  try {
    finding = await PROBES[target.protocol]({ target, address: resolved.address, label, timeoutMs, options });
  } catch (err) {
    // Our bug, not the network's: report it as a value. Messages from node:crypto/net/dgram carry
    // no key material.
    finding = { state: 'open|filtered', rttMs: null, detail: `probe failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const result: ProbeOutcome = { target: label, state: finding.state, rttMs: finding.rttMs, detail: finding.detail };
  if (finding.warnings?.length) result.warnings = finding.warnings;
  if (finding.relayed) result.relayed = finding.relayed;
  options.onProgress?.(`${label}: ${result.state}`);
  return result;
}

/** Exactly the four ProbeResult fields of the Report contract (docs/report-schema.md `probes[]`). */
export function toProbeResult(r: ProbeResult): ProbeResult {
  return { target: r.target, state: r.state, rttMs: r.rttMs, detail: r.detail };
}

/** Probes every target in parallel (one deadline each); results in the order given. */
export function probeMany(targets: readonly ProbeTarget[], options: ProbeOptions = {}): Promise<ProbeOutcome[]> {
  return Promise.all(targets.map((t) => probe(t, options)));
}

/**
 * For `diagnose --probe`: each string is `HOST:PORT/PROTOCOL`, or a bare HOST for the default set.
 * A string that parses as neither gives a result that says so instead of an exception.
 */
export async function probeTargetStrings(targets: readonly string[], options: ProbeOptions = {}): Promise<ProbeOutcome[]> {
  const planned: Array<ProbeTarget | ProbeOutcome> = [];
  for (const text of targets) {
    const parsed = parseProbeTarget(text);
    if (!('error' in parsed)) {
      planned.push(parsed);
      continue;
    }
    const host = text.includes('/') ? undefined : parseHost(text);
    if (host) planned.push(...defaultTargets(host));
    else planned.push({ target: text, state: 'open|filtered', rttMs: null, detail: `not probed: ${parsed.error}` });
  }
  // The full outcomes (a TURN relay feeds the ICE candidates); diagnose() puts exactly the four
  // ProbeResult fields into the Report (a contract): warnings stay in `detail`.
  return Promise.all(planned.map(async (p) => ('state' in p ? p : probe(p, options))));
}

/**
 * Among TURN results, the one to use: the lowest measured RTT among those that allocated a relay
 * (`relayed`, set by the TURN probe), else among those that answered at all (measuring beats
 * guessing by geography).
 */
export function fastestTurnServer(results: readonly ProbeOutcome[]): (ProbeOutcome & { rttMs: number }) | undefined {
  const answered = results.filter((r): r is ProbeOutcome & { rttMs: number } => r.target.endsWith('/turn') && r.state === 'open' && r.rttMs !== null);
  const allocated = answered.filter((r) => r.relayed !== undefined);
  return [...(allocated.length > 0 ? allocated : answered)].sort((a, b) => a.rttMs - b.rttMs)[0];
}
