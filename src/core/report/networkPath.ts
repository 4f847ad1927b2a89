// The network path as one model: this device → (the VPN that carries the default route) → the
// home router → (the carrier's NAT) → the internet → each STUN server and each probed VPN endpoint.
// Every hop says what it means for VPN and peer-to-peer traffic (ok / warning / blocking, or
// unknown when nothing measured it) and why, in one sentence. The terminal's one line, the
// Markdown line and the report panel's picture all render this model; nothing else derives hops.
import { measuredFromReport, mtuAdvice } from '../advice/tunnelAdvice';
import { addressKind } from '../net/addressRanges';
import { CGNAT_MEANING, MAPPING_MEANING, natTypeLabel, natTypeMeaning } from './explain';
import type { SectionOptions } from './reportSections';
import type { NatResult, ProbeState, Report } from './types';

/** What a hop means for VPN and P2P traffic; `unknown`: nothing measured it (never a guess). */
export type HopVerdict = 'ok' | 'warning' | 'blocking' | 'unknown';

export type HopKind = 'device' | 'tunnel' | 'router' | 'carrier' | 'internet' | 'stun' | 'probe';

export interface PathHop {
  kind: HopKind;
  /** Short name: "you", "VPN", "router", "carrier NAT", "internet", "STUN", or a probe's protocol. */
  name: string;
  /** The hop's address ("hidden" when addresses are hidden); absent when not known. */
  address?: string;
  /** Port-mapping protocols the router answered: "UPnP", "NAT-PMP", "PCP". */
  badges: string[];
  /** A short measured value: "11 ms", "open|filtered", "MTU 1400". */
  detail?: string;
  /** Round-trip time of a STUN server or probe (null: no answer); absent for the other hops. */
  rttMs?: number | null;
  verdict: HopVerdict;
  /** Why, in one sentence: the hover text, the screen-reader text and the terminal's note. */
  reason: string;
}

export interface NetworkPath {
  /** From this device to the internet, in order. */
  hops: PathHop[];
  /** What was reached across the internet: the STUN servers, then the probed endpoints. */
  destinations: PathHop[];
  /** The worst verdict of all hops and destinations. */
  verdict: HopVerdict;
}

const SEVERITY: Record<HopVerdict, number> = { ok: 0, unknown: 1, warning: 2, blocking: 3 };

export function worstVerdict(verdicts: readonly HopVerdict[]): HopVerdict {
  return verdicts.reduce<HopVerdict>((worst, v) => (SEVERITY[v] > SEVERITY[worst] ? v : worst), 'ok');
}

/** What the NAT (or firewall) the tests measured means for VPN and P2P traffic. */
function natJudgement(nat: NatResult): { verdict: HopVerdict; reason: string } {
  const reason = `${natTypeLabel(nat)}. ${natTypeMeaning(nat)}`;
  switch (nat.type) {
    case 'open-internet':
    case 'full-cone':
    case 'restricted-cone':
    case 'port-restricted-cone':
      return { verdict: 'ok', reason };
    case 'symmetric':
    case 'symmetric-udp-firewall':
      return { verdict: 'warning', reason };
    case 'udp-blocked':
      return { verdict: 'blocking', reason: `UDP stops here or beyond. ${natTypeMeaning(nat)}` };
    case 'unknown':
      // A quick check measures the mapping alone: say what that much means.
      if (nat.mapping === 'unknown') return { verdict: 'unknown', reason };
      return {
        verdict: nat.mapping === 'endpoint-independent' || nat.mapping === 'none' ? 'ok' : 'warning',
        reason: `${natTypeLabel(nat)}. ${MAPPING_MEANING[nat.mapping]}`,
      };
  }
}

/** The carrier NAT's own address: a carrier-grade or private router seen beyond the gateway. */
function carrierAddress(report: Report): string | undefined {
  for (const e of report.cgnat.evidence) {
    if (e.signal !== 'path-hop') continue;
    const address = /(\S+)$/.exec(e.value)?.[1];
    if (address && (addressKind(address) === 'cgnat' || addressKind(address) === 'private')) return address;
  }
  return undefined;
}

const PROBE_VERDICT: Record<ProbeState, HopVerdict> = {
  open: 'ok',
  // UDP silence: the service may be there or a filter may eat the packets; not proven either way.
  'open|filtered': 'warning',
  closed: 'blocking',
  filtered: 'blocking',
};

/** Derives the path from a report; `hideAddresses` replaces this network's addresses by "hidden". */
export function networkPath(report: Report, options: SectionOptions = {}): NetworkPath {
  const hide = (text: string): string => (options.hideAddresses ? 'hidden' : text);
  const { nat, uplink } = report;
  const udpPasses = nat.udp === 'ok';
  const offline = report.connectivity?.state === 'offline';
  const hops: PathHop[] = [];
  const hop = (h: Omit<PathHop, 'badges'> & { badges?: string[] }): PathHop => {
    const made: PathHop = { badges: [], ...h };
    if (made.address === undefined) delete made.address;
    if (made.detail === undefined) delete made.detail;
    return made;
  };

  const remote = report.ranOn && report.ranOn !== 'local machine' ? report.ranOn : undefined;
  hops.push(hop({
    kind: 'device',
    name: 'you',
    address: uplink?.address && !uplink.overlay ? hide(uplink.address) : undefined,
    verdict: 'ok',
    reason: remote ? `The machine the tests ran on: ${remote}.` : 'This machine: every test started here.',
  }));
  if (uplink?.overlay) {
    hops.push(hop({
      kind: 'tunnel',
      name: 'VPN',
      address: uplink.address ? hide(uplink.address) : undefined,
      detail: uplink.interface ?? undefined,
      verdict: 'warning',
      reason: `A VPN or tunnel${uplink.interface ? ` (${uplink.interface})` : ''} carries the default route: everything beyond it is the tunnel's exit, not your own network.`,
    }));
  }

  // The gateway: the home router, or the carrier's NAT itself when this machine sits directly on
  // the ISP's carrier-grade network (a phone or LTE modem in bridge mode).
  const judgement = offline
    ? { verdict: 'unknown' as const, reason: 'Offline: nothing beyond this point answered, so its behaviour could not be measured.' }
    : natJudgement(nat);
  const pm = report.portMapping;
  const badges = [pm.upnp.available ? 'UPnP' : null, pm.natPmp.available ? 'NAT-PMP' : null, pm.pcp.available ? 'PCP' : null]
    .filter((b): b is string => b !== null);
  const mappingWords = badges.length > 0
    ? `It lets programs open ports themselves (${badges.join(', ')}).`
    : 'It offers no UPnP, NAT-PMP or PCP: programs cannot open ports themselves.';
  const gateway = uplink && !uplink.overlay ? uplink.gateway : null;
  const gatewayIsCarrier = gateway !== null && addressKind(gateway) === 'cgnat';
  const behindCarrier = report.cgnat.verdict === 'yes' && !gatewayIsCarrier;
  const natted = nat.mapping !== 'none';
  const natHops: PathHop[] = [];
  if (gateway !== null || (natted && !uplink?.overlay)) {
    const name = gatewayIsCarrier ? 'carrier NAT' : 'router';
    const own = behindCarrier
      ? {
          verdict: (udpPasses ? 'ok' : 'unknown') as HopVerdict,
          reason: `Your router. ${mappingWords}${udpPasses ? ' UDP gets through it; the carrier NAT beyond it decides what gets in.' : ''}`,
        }
      : {
          verdict: gatewayIsCarrier ? worstVerdict(['warning', judgement.verdict]) : judgement.verdict,
          reason: gatewayIsCarrier
            ? `${CGNAT_MEANING.yes} ${judgement.reason}`
            : `${natted ? 'Your router' : 'Your router (no NAT)'}. ${judgement.reason} ${mappingWords}`,
        };
    natHops.push(hop({
      kind: gatewayIsCarrier ? 'carrier' : 'router',
      name,
      address: gateway !== null ? hide(gateway) : undefined,
      badges,
      ...own,
    }));
  } else if (natted && uplink?.overlay && nat.mapping !== 'unknown') {
    // The NAT at the tunnel's exit: measured, but its address is not ours to know.
    natHops.push(hop({ kind: 'router', name: 'NAT', verdict: judgement.verdict, reason: `The NAT at the tunnel's exit. ${judgement.reason}` }));
  }
  if (behindCarrier) {
    const carrierAt = carrierAddress(report);
    natHops.push(hop({
      kind: 'carrier',
      name: 'carrier NAT',
      address: carrierAt ? hide(carrierAt) : undefined,
      verdict: worstVerdict(['warning', judgement.verdict]),
      reason: `${CGNAT_MEANING.yes} Both NATs together: ${judgement.reason}`,
    }));
  }
  hops.push(...natHops);

  // The internet, as the STUN servers saw us.
  const connectivity = report.connectivity;
  const mtu = report.pathMtu ?? null;
  let internet: { verdict: HopVerdict; reason: string };
  if (offline) {
    internet = { verdict: 'blocking', reason: 'Offline: no name resolved and nothing answered over TCP or UDP.' };
  } else if (connectivity?.captivePortal === true) {
    internet = { verdict: 'blocking', reason: 'A captive portal intercepts web traffic: sign in to this network first.' };
  } else if (!udpPasses) {
    internet = connectivity?.tcp === 'ok'
      ? { verdict: 'ok', reason: 'The internet answers over TCP, but no UDP gets through.' }
      : { verdict: 'unknown', reason: 'No UDP answer came back from the internet; TCP was not tested.' };
  } else {
    internet = {
      verdict: 'ok',
      reason: report.publicAddress
        ? `The internet sees you as ${hide(report.publicAddress.address)}.`
        : 'UDP reaches the internet.',
    };
  }
  if (natHops.length === 0 && !offline && judgement.verdict !== 'ok') {
    // No gateway hop to carry the NAT's verdict (a VPN without NAT): the internet hop says it.
    internet = { verdict: worstVerdict([internet.verdict, judgement.verdict]), reason: `${internet.reason} ${judgement.reason}` };
  }
  if (mtu?.blackHole === true) {
    // The fitting value from the advice module, the same the recommendations and the lint give.
    const measured = measuredFromReport(report);
    const fit = mtuAdvice(measured, measured.pathMtu?.family);
    internet = {
      verdict: worstVerdict([internet.verdict, 'warning']),
      reason: `${internet.reason} Packets larger than ${mtu.bytes ?? 'the largest that got through'} bytes vanish without an ICMP error (a path-MTU black hole): a tunnel with a larger MTU stalls on big transfers${fit ? `; WireGuard fits with ${fit.wireguard.line}` : ''}.`,
    };
  }
  hops.push(hop({
    kind: 'internet',
    name: 'internet',
    address: report.publicAddress ? hide(report.publicAddress.address) : undefined,
    // A full 1500-byte path needs no mention; a smaller one is what tunnels must fit into.
    detail: mtu?.bytes && (mtu.bytes < 1500 || mtu.blackHole === true) ? `MTU ${mtu.bytes}` : undefined,
    ...internet,
  }));

  const anyAnswer = report.servers.some((s) => s.rttMs !== null);
  const destinations: PathHop[] = report.servers.map((s) => hop({
    kind: 'stun',
    name: 'STUN',
    address: s.server,
    detail: s.rttMs !== null ? `${s.rttMs} ms` : 'no answer',
    rttMs: s.rttMs,
    verdict: s.rttMs !== null ? 'ok' : anyAnswer ? 'warning' : 'blocking',
    reason: s.rttMs !== null
      ? `Answered in ${s.rttMs} ms${s.rfc5780 ? ' and can run the RFC 5780 behaviour tests' : ''}.`
      : `Did not answer${s.error ? `: ${s.error}` : ''}${anyAnswer ? ' (other servers did).' : '.'}`,
  }));
  for (const p of report.probes) {
    const slash = p.target.lastIndexOf('/');
    destinations.push(hop({
      kind: 'probe',
      name: slash >= 0 ? p.target.slice(slash + 1) : 'probe',
      address: hide(slash >= 0 ? p.target.slice(0, slash) : p.target),
      detail: p.state,
      rttMs: p.rttMs,
      verdict: PROBE_VERDICT[p.state],
      reason: p.detail,
    }));
  }

  return { hops, destinations, verdict: worstVerdict([...hops, ...destinations].map((h) => h.verdict)) };
}

/** Beside a hop's words in text, so the verdict never rests on colour alone. */
export const VERDICT_MARK: Record<HopVerdict, string> = { ok: '', unknown: ' ?', warning: ' ⚠', blocking: ' ✖' };

/** One hop in words: `router 192.0.2.1 (UPnP, PCP)`, `carrier NAT 100.64.0.1 ⚠`. */
export function hopWords(h: PathHop): string {
  return [h.name, h.address, h.badges.length > 0 ? `(${h.badges.join(', ')})` : undefined, h.detail]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(' ') + VERDICT_MARK[h.verdict];
}

/** The STUN servers in one segment: the fastest answer, and how many answered when not all did. */
function stunSegment(servers: PathHop[]): PathHop | undefined {
  if (servers.length === 0) return undefined;
  const answered = servers.filter((s) => typeof s.rttMs === 'number');
  const fastest = Math.min(...answered.map((s) => s.rttMs as number));
  const counted = answered.length < servers.length ? ` (${answered.length} of ${servers.length} answered)` : '';
  return {
    kind: 'stun',
    name: 'STUN',
    badges: [],
    detail: answered.length > 0 ? `${fastest} ms${counted}` : 'no answer',
    verdict: answered.length > 0 ? 'ok' : 'blocking',
    reason: answered.length > 0 ? `The fastest STUN server answered in ${fastest} ms.` : 'No STUN server answered.',
  };
}

/** What the one line shows: the hops, then the STUN servers as one segment and each probe. */
function lineSegments(path: NetworkPath): { hops: PathHop[]; ends: PathHop[] } {
  const stun = stunSegment(path.destinations.filter((d) => d.kind === 'stun'));
  return { hops: path.hops, ends: [...(stun ? [stun] : []), ...path.destinations.filter((d) => d.kind !== 'stun')] };
}

/**
 * The path in one line: `you 192.0.2.2 → router 192.0.2.1 (UPnP, PCP) → carrier NAT 100.64.0.1 ⚠
 * → internet 203.0.113.1 → STUN 11 ms · wireguard 198.51.100.7:51820 open|filtered ⚠`. `paint`
 * decorates each hop's words (terminal colour, Markdown escaping) and sees its verdict.
 */
export function formatPathLine(path: NetworkPath, paint: (words: string, verdict: HopVerdict) => string = (w) => w): string {
  const { hops, ends } = lineSegments(path);
  const line = hops.map((h) => paint(hopWords(h), h.verdict)).join(' → ');
  return ends.length > 0 ? `${line} → ${ends.map((h) => paint(hopWords(h), h.verdict)).join(' · ')}` : line;
}

/** The segments of the one line that are not `ok`, worst first: what its marks mean. */
export function pathProblems(path: NetworkPath): PathHop[] {
  const { hops, ends } = lineSegments(path);
  return [...hops, ...ends].filter((h) => h.verdict !== 'ok').sort((a, b) => SEVERITY[b.verdict] - SEVERITY[a.verdict]);
}
