// Will two peers behind their NATs reach each other directly? A pure prediction from what each
// side's report measured: the mapping (RFC 4787 §4.1), the filtering (§5), how new ports are
// allocated (§4.2) — and whether UDP gets out at all. Used by `nat-doctor pair predict`, by the
// live pair test (which aims at predicted ports only where this says it can help) and by the
// extension's "Compare with a Peer's Report…".
//
// The model (README.md, "Direct connections between two networks", has the verdict table): a packet from peer Y reaches peer X when Y knows a port
// of X that is open towards Y and X's filter admits Y's source.
// - X's port is known when X's mapping is endpoint-independent (the STUN-learnt port), or when its
//   mapping varies by destination but the next port can be predicted (sequential or preserving
//   allocation); a symmetric NAT with random ports has no known port.
// - X's filter admits Y when it is endpoint-independent, address-dependent (X sent to Y's address
//   from that port), or address-and-port-dependent and X aimed at Y's actual port: Y's mapping is
//   endpoint-independent, or predictable.
// Once one packet gets in, the answer travels back on the same flow and the receiving side sends
// its own check there (a peer-reflexive candidate, RFC 8445 §7.3.1.3): one direction suffices.
// Behaviours a report left `unknown` are weighed over what they could be.
import { CGNAT_LABEL, natTypeLabel, portAllocationWords } from '../report/explain';
import { PORT_ALLOCATION_PATTERNS, type CgnatVerdict, type ClassicNatType, type FilteringBehavior, type MappingBehavior, type PortAllocation, type Report } from '../report/types';

/** What the prediction needs of one side: a Report's NAT facts, or the same carried in a pair token. */
export interface PeerNatSummary {
  udp: 'ok' | 'blocked';
  mapping: MappingBehavior;
  filtering: FilteringBehavior;
  type: ClassicNatType;
  /** `null`: not measured (a report from before port allocation was measured, or quick mode). */
  portAllocation: Pick<PortAllocation, 'pattern' | 'delta'> | null;
  cgnat: CgnatVerdict;
  hairpinning: boolean | null;
  /** The public IP the STUN servers saw, to notice two peers behind the same NAT. */
  publicAddress: string | null;
}

export type PairVerdict = 'direct' | 'direct-with-port-prediction' | 'relay';

/** The prediction JSON of the pair test contract; `birthday` is extra. */
export interface PairPrediction {
  verdict: PairVerdict;
  confidence: number;
  reason: string;
  /** Where random ports make direct a gamble: the odds of a blind guess (see `birthdayOdds`). */
  birthday?: { packetsEachWay: number; probability: number };
}

/**
 * What the prediction needs of a report — one this machine just made, or one read back from a
 * file by `parseSavedReport` (maybe from another machine, maybe older than `portAllocation`: then
 * "not measured", `null`). The port allocation is not among the fields that reader checks, so it
 * is read defensively here.
 */
export function summarizeReport(report: Report): PeerNatSummary {
  const pa = report.nat.portAllocation as unknown;
  let portAllocation: PeerNatSummary['portAllocation'] = null;
  if (typeof pa === 'object' && pa !== null) {
    const { pattern, delta } = pa as { pattern?: unknown; delta?: unknown };
    portAllocation = {
      pattern: (PORT_ALLOCATION_PATTERNS as readonly unknown[]).includes(pattern) ? (pattern as PortAllocation['pattern']) : 'unknown',
      delta: typeof delta === 'number' && Number.isInteger(delta) && Math.abs(delta) < 65536 ? delta : null,
    };
  }
  return {
    udp: report.nat.udp,
    mapping: report.nat.mapping,
    filtering: report.nat.filtering,
    type: report.nat.type,
    portAllocation,
    cgnat: report.cgnat.verdict === 'yes' || report.cgnat.verdict === 'no' ? report.cgnat.verdict : 'unknown',
    hairpinning: typeof report.nat.hairpinning === 'boolean' ? report.nat.hairpinning : null,
    publicAddress: report.publicAddress?.address ?? null,
  };
}

// ---- the model -------------------------------------------------------------------------------

type MappingClass = 'stable' | 'varies';
type FilterClass = 'any' | 'address' | 'address-and-port';
type AllocClass = 'predictable' | 'random';

interface SideCase {
  mapping: MappingClass;
  filter: FilterClass;
  alloc: AllocClass;
  weight: number;
}

/**
 * How likely each value of an unmeasured behaviour is. Rough shares of home and mobile networks
 * (most NATs map endpoint-independently, most filter by address and port, and most that vary the
 * mapping pick random ports); they only decide between verdicts when a report left gaps, and the
 * confidence says how much rests on them.
 */
const PRIOR = {
  mapping: { stable: 0.7, varies: 0.3 },
  filter: { any: 0.1, address: 0.2, 'address-and-port': 0.7 },
  alloc: { predictable: 0.25, random: 0.75 },
} as const;

function isPredictable(pa: PeerNatSummary['portAllocation']): boolean | null {
  if (!pa || pa.pattern === 'unknown') return null;
  return pa.pattern === 'preserving' || pa.pattern === 'sequential';
}

function mappingClass(side: PeerNatSummary): MappingClass | null {
  if (side.mapping === 'none' || side.mapping === 'endpoint-independent') return 'stable';
  if (side.mapping === 'address-dependent' || side.mapping === 'address-and-port-dependent' || side.type === 'symmetric') return 'varies';
  return null;
}

function filterClass(side: PeerNatSummary): FilterClass | null {
  switch (side.filtering) {
    case 'endpoint-independent':
      return 'any';
    case 'address-dependent':
      return 'address';
    case 'address-and-port-dependent':
      return 'address-and-port';
    case 'unknown':
      return null;
  }
}

/** Every concrete behaviour a side may have, with its weight (1 when everything was measured). */
function sideCases(side: PeerNatSummary): SideCase[] {
  const m = mappingClass(side);
  const f = filterClass(side);
  const a = isPredictable(side.portAllocation);
  const mappings: Array<[MappingClass, number]> = m ? [[m, 1]] : [['stable', PRIOR.mapping.stable], ['varies', PRIOR.mapping.varies]];
  const filters: Array<[FilterClass, number]> = f ? [[f, 1]] : (Object.entries(PRIOR.filter) as Array<[FilterClass, number]>);
  const out: SideCase[] = [];
  for (const [mapping, wm] of mappings) {
    // Allocation matters only where the mapping varies by destination.
    const allocs: Array<[AllocClass, number]> =
      mapping === 'stable' ? [['predictable', 1]] : a === null ? [['predictable', PRIOR.alloc.predictable], ['random', PRIOR.alloc.random]] : [[a ? 'predictable' : 'random', 1]];
    for (const [filter, wf] of filters) for (const [alloc, wa] of allocs) out.push({ mapping, filter, alloc, weight: wm * wf * wa });
  }
  return out;
}

type Reach = 'direct' | 'predicted' | null;

/** Can a packet from Y get into X? See the model at the top of this file. */
function reach(x: SideCase, y: SideCase): Reach {
  if (x.mapping === 'varies' && x.alloc === 'random') return null; // no port of X is known
  const yKnown = y.mapping === 'stable' || y.alloc === 'predictable';
  if (x.filter === 'address-and-port' && !yKnown) return null;
  const predicted = x.mapping === 'varies' || (x.filter === 'address-and-port' && y.mapping === 'varies');
  return predicted ? 'predicted' : 'direct';
}

function verdictOf(a: SideCase, b: SideCase): PairVerdict {
  const ab = reach(a, b);
  const ba = reach(b, a);
  if (ab === 'direct' || ba === 'direct') return 'direct';
  if (ab || ba) return 'direct-with-port-prediction';
  return 'relay';
}

/** How sure a verdict is when both sides were fully measured. */
function baseConfidence(verdict: PairVerdict, a: SideCase, b: SideCase): number {
  if (verdict === 'direct') return a.mapping === 'stable' && b.mapping === 'stable' ? 0.95 : 0.9;
  if (verdict === 'direct-with-port-prediction') return a.mapping === 'varies' && b.mapping === 'varies' ? 0.6 : 0.75;
  return 0.95;
}

/** Ports a NAT hands out (1024–65535, as Linux `masquerade random` does). */
export const PORT_SPACE = 64_512;

/**
 * The chance that blind guessing finds a way through random ports: one side opens `open`
 * mappings, the other sends `probes` packets to guessed ports; the birthday paradox gives
 * 1 − (1 − open/N)^probes. Both sides random: every success needs two guesses to meet, (open·probes)/N².
 */
export function birthdayOdds(open: number, probes: number, bothRandom: boolean, space = PORT_SPACE): number {
  if (bothRandom) return Math.min(1, (open * probes) / (space * space));
  return 1 - Math.pow(1 - open / space, probes);
}

const GAMBLE_PACKETS = 256;

// ---- words ------------------------------------------------------------------------------------

function sideWords(name: string, side: PeerNatSummary): string {
  const pa = side.portAllocation;
  return `${name}: ${natTypeLabel(side)}${pa && pa.pattern !== 'unknown' ? `, ports ${portAllocationWords(pa)}` : ''}`;
}

function gaps(name: string, side: PeerNatSummary): string[] {
  const out: string[] = [];
  if (mappingClass(side) === null) out.push(`${name}'s mapping`);
  if (side.filtering === 'unknown') out.push(`${name}'s filtering`);
  if (mappingClass(side) !== 'stable' && isPredictable(side.portAllocation) === null) {
    out.push(side.portAllocation === null ? `${name}'s port allocation (not in that report)` : `${name}'s port allocation`);
  }
  return out;
}

function percent(p: number): string {
  if (p > 0 && p < 0.001) return '< 0.1 %';
  return `${(Math.round(p * 1000) / 10).toString()} %`;
}

/**
 * The verdict for two peers `a` and `b` (named `names[0]`, `names[1]` in the reason: "you" and
 * "your peer", or the two report files). Pure.
 */
export function predictPair(a: PeerNatSummary, b: PeerNatSummary, names: readonly [string, string] = ['A', 'B']): PairPrediction {
  const [na, nb] = names;
  const notes: string[] = [];
  for (const [name, side] of [[na, a], [nb, b]] as const) {
    if (side.cgnat === 'yes') {
      notes.push(`${name} is ${CGNAT_LABEL.yes}: what was measured is the whole chain of NATs, and port forwarding on ${name}'s own router cannot help.`);
    }
  }
  if (a.publicAddress && b.publicAddress && a.publicAddress === b.publicAddress && a.udp === 'ok' && b.udp === 'ok' && a.mapping !== 'none' && b.mapping !== 'none') {
    const hp = a.hairpinning;
    notes.push(
      `Both were measured behind the same public address: they share a NAT, so a direct path needs the same LAN (host candidates) or a NAT that hairpins (${hp === null ? 'not tested' : hp ? 'it does' : 'it does not'}).`,
    );
  }

  const blocked = [[na, a], [nb, b]].filter(([, s]) => (s as PeerNatSummary).udp === 'blocked' || (s as PeerNatSummary).type === 'udp-blocked');
  if (blocked.length > 0) {
    const who = blocked.map(([n]) => n as string).join(' and ');
    return {
      verdict: 'relay',
      confidence: 0.95,
      reason: join([
        `${who} ${blocked.length > 1 ? 'get' : 'gets'} no UDP out (no STUN server answered: UDP blocked, or offline when measured), so no direct UDP path can exist; only a relay reached over TCP or TLS (TURN on port 443) will work.`,
        ...notes,
      ]),
    };
  }

  const weights: Record<PairVerdict, number> = { direct: 0, 'direct-with-port-prediction': 0, relay: 0 };
  const confidence: Record<PairVerdict, number> = { direct: 0, 'direct-with-port-prediction': 0, relay: 0 };
  let representative: Partial<Record<PairVerdict, [SideCase, SideCase]>> = {};
  for (const ca of sideCases(a)) {
    for (const cb of sideCases(b)) {
      const v = verdictOf(ca, cb);
      const w = ca.weight * cb.weight;
      weights[v] += w;
      confidence[v] += w * baseConfidence(v, ca, cb);
      const current = representative[v];
      if (!current || current[0].weight * current[1].weight < w) representative = { ...representative, [v]: [ca, cb] };
    }
  }
  const order: PairVerdict[] = ['relay', 'direct-with-port-prediction', 'direct'];
  const verdict = order.reduce((best, v) => (weights[v] > weights[best] ? v : best), 'relay' as PairVerdict);
  const [ca, cb] = representative[verdict] as [SideCase, SideCase];
  const sentences = [sideWords(na, a) + '; ' + sideWords(nb, b) + '.', explain(verdict, ca, cb, na, nb)];
  const unknowns = [...gaps(na, a), ...gaps(nb, b)];
  if (unknowns.length > 0) {
    const others = order.filter((v) => v !== verdict && weights[v] > 0);
    sentences.push(
      `Not measured: ${unknowns.join(', ')} (the reports' notes say why); this verdict holds for ${percent(weights[verdict])} of what ${unknowns.length > 1 ? 'they' : 'it'} could be` +
        (others.length > 0 ? `, otherwise ${others.join(' or ')}.` : '.'),
    );
  }
  const prediction: PairPrediction = { verdict, confidence: round2(confidence[verdict]), reason: '' };
  if (verdict === 'relay' && (ca.mapping === 'varies' && ca.alloc === 'random' || cb.mapping === 'varies' && cb.alloc === 'random')) {
    const bothRandom = ca.mapping === 'varies' && ca.alloc === 'random' && cb.mapping === 'varies' && cb.alloc === 'random';
    const probability = birthdayOdds(GAMBLE_PACKETS, GAMBLE_PACKETS, bothRandom);
    prediction.birthday = { packetsEachWay: GAMBLE_PACKETS, probability: Math.round(probability * 10_000) / 10_000 };
    sentences.push(
      bothRandom
        ? `Guessing cannot help: both sides pick random ports, so two blind guesses must meet — with ${GAMBLE_PACKETS} packets each way the odds are ${percent(probability)} (birthday paradox over ${PORT_SPACE.toLocaleString('en-US')} ports).`
        : `Only blind guessing could beat the random ports: ${GAMBLE_PACKETS} new mappings on the random side and ${GAMBLE_PACKETS} guesses from the other give ${percent(probability)} odds (birthday paradox over ${PORT_SPACE.toLocaleString('en-US')} ports) — a gamble of hundreds of packets that NAT Doctor does not take.`,
    );
  }
  prediction.reason = join([...sentences, ...notes]);
  return prediction;
}

function round2(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
}

function join(sentences: readonly string[]): string {
  return sentences.filter((s) => s.length > 0).join(' ');
}

const FILTER_WORDS: Record<FilterClass, string> = {
  any: 'lets in anyone once it has sent',
  address: 'lets in any port of an address it has sent to',
  'address-and-port': 'lets in only the exact address and port it sent to',
};

/** Why this verdict, for the representative concrete case. */
function explain(verdict: PairVerdict, a: SideCase, b: SideCase, na: string, nb: string): string {
  const ab = reach(a, b);
  if (verdict === 'direct') {
    if (a.mapping === 'stable' && b.mapping === 'stable') {
      return `Both sides keep one public port whatever the destination, so each peer learns the other's port from STUN and both open the way by sending first: direct (UDP hole punching).`;
    }
    const [open, openName, otherName] = ab === 'direct' ? [a, na, nb] : [b, nb, na];
    return `${otherName}'s NAT picks a new port for each destination, but ${openName}'s NAT keeps its port and ${FILTER_WORDS[open.filter]}, so ${otherName}'s checks get in and ${openName} answers on the path they came from (a peer-reflexive candidate, RFC 8445 §7.3.1.3): direct.`;
  }
  if (verdict === 'direct-with-port-prediction') {
    const varying = [a.mapping === 'varies' ? na : null, b.mapping === 'varies' ? nb : null].filter((x): x is string => x !== null);
    const who = varying.join(' and ');
    return (
      `${who}'s NAT${varying.length > 1 ? 's pick' : ' picks'} a new port for each destination but predictably (the next one after the port STUN saw), so ` +
      `${varying.length > 1 ? 'each side aims at the ports the other NAT will use next' : `${varying[0] === na ? nb : na} aims at the ports ${varying[0]}'s NAT will use next`}: direct with port prediction. ` +
      `It fails if other traffic behind ${varying.length > 1 ? 'those NATs' : 'that NAT'} takes those ports first.`
    );
  }
  const random = [a.mapping === 'varies' && a.alloc === 'random' ? na : null, b.mapping === 'varies' && b.alloc === 'random' ? nb : null].filter((x): x is string => x !== null);
  if (random.length === 2) return `Both NATs pick a new random port for every destination, so neither peer can know where to send: expect a relay (TURN).`;
  const r = random[0] ?? nb;
  const other = r === na ? b : a;
  const otherName = r === na ? nb : na;
  return (
    `${r}'s NAT picks a new random port for every destination and ${otherName}'s NAT ${other.mapping === 'varies' ? 'picks new ports too and ' : ''}${FILTER_WORDS[other.filter]}, ` +
    `so neither side can aim at a port that is open for it: expect a relay (TURN).`
  );
}
