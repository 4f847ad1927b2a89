// The verdict words and one plain sentence for each verdict: what it means for a VPN or a
// peer-to-peer connection. The one vocabulary of every face — terminal and Markdown reports (through
// reportSections), report panel, status bar, history and "what changed" — so they never disagree
// ("verdict words" in test/unit/vscode/extensionModels.test.ts holds them to it).
import type { CgnatResult, CgnatVerdict, ClassicNatType, Connectivity, FilteringBehavior, MappingBehavior, NatResult, PortAllocation } from './types';

/** The name of each NAT type, short enough for the status bar. */
export const NAT_TYPE_LABEL: Record<ClassicNatType, string> = {
  'open-internet': 'Open internet (no NAT)',
  'full-cone': 'Full cone NAT',
  'restricted-cone': 'Restricted cone NAT',
  'port-restricted-cone': 'Port-restricted cone NAT',
  symmetric: 'Symmetric NAT',
  'symmetric-udp-firewall': 'Symmetric UDP firewall (no NAT)',
  'udp-blocked': 'UDP blocked',
  unknown: 'NAT type unknown',
};

/**
 * What the mapping alone says when the type is unknown: a quick check measures mapping only, and
 * a filtering test can fail where the mapping test worked (docs/report-schema.md, `nat.type`).
 */
const MAPPING_ONLY_LABEL: Record<MappingBehavior, string> = {
  none: 'No NAT',
  'endpoint-independent': 'Cone NAT',
  'address-dependent': NAT_TYPE_LABEL.symmetric,
  'address-and-port-dependent': NAT_TYPE_LABEL.symmetric,
  unknown: NAT_TYPE_LABEL.unknown,
};

/** What every face says when nothing answered at all — never "UDP blocked" (docs/report-schema.md). */
export const OFFLINE_LABEL = 'Offline';
const OFFLINE_MEANING = 'Nothing answered: no name resolved, no TCP connection and no STUN request got an answer. Check the connection; nothing about the NAT can be measured.';

/**
 * The verdict in words: "Offline" when the connectivity check found nothing reachable, else the
 * type's label, or what the mapping alone says when the type is unknown.
 */
export function natTypeLabel(nat: Pick<NatResult, 'type' | 'mapping'>, connectivity?: Pick<Connectivity, 'state'>): string {
  if (connectivity?.state === 'offline') return OFFLINE_LABEL;
  return nat.type === 'unknown' ? MAPPING_ONLY_LABEL[nat.mapping] : NAT_TYPE_LABEL[nat.type];
}

/** What {@link natTypeLabel}'s verdict means for a VPN or P2P connection. */
export function natTypeMeaning(nat: Pick<NatResult, 'type' | 'mapping'>, connectivity?: Pick<Connectivity, 'state'>): string {
  if (connectivity?.state === 'offline') return OFFLINE_MEANING;
  return nat.type === 'unknown' && nat.mapping !== 'unknown' ? MAPPING_MEANING[nat.mapping] : NAT_TYPE_MEANING[nat.type];
}

/** The connectivity verdict in words (docs/report-schema.md, `connectivity`). */
export const CONNECTIVITY_LABEL: Record<Connectivity['state'], string> = {
  online: 'online',
  'udp-blocked': 'UDP blocked, TCP gets through',
  offline: OFFLINE_LABEL.toLowerCase(),
};

export const CONNECTIVITY_MEANING: Record<Connectivity['state'], string> = {
  online: 'STUN servers answered over UDP.',
  'udp-blocked': 'The network works (a name resolved or a TCP connection was answered), but no UDP comes back.',
  offline: 'Nothing answered: no name, no TCP connection, no STUN request.',
};

/** The carrier-grade NAT verdict in words. */
export const CGNAT_LABEL: Record<CgnatVerdict, string> = {
  yes: 'behind CGNAT',
  no: 'not behind CGNAT',
  unknown: 'CGNAT unknown',
};

/** The CGNAT verdict with how sure the evidence makes it. */
export function cgnatVerdictWords(cgnat: Pick<CgnatResult, 'verdict' | 'confidence'>): string {
  return `${CGNAT_LABEL[cgnat.verdict]} (confidence ${Math.round(cgnat.confidence * 100)} %)`;
}

export const NAT_TYPE_MEANING: Record<ClassicNatType, string> = {
  'open-internet': 'Your machine has a public address and accepts UDP from anyone: direct connections work both ways.',
  'full-cone': 'Once you send, anyone can reach you on that public port: P2P and VPN servers behind you work with a keepalive.',
  'restricted-cone': 'Peers you have sent to can reach you from any port: hole punching works easily.',
  'port-restricted-cone': 'Only the exact address and port you sent to can answer: hole punching works when both sides send first.',
  symmetric: 'A new public port for every destination: direct P2P with another NATed peer usually fails; expect a relay.',
  'symmetric-udp-firewall': 'No NAT, but a firewall drops unsolicited UDP: outgoing VPNs work, incoming connections need a firewall rule.',
  'udp-blocked': 'No UDP gets out: WireGuard, IPsec and OpenVPN over UDP cannot work here; only TCP/TLS VPNs will.',
  unknown: 'The tests could not decide; the notes say why.',
};

export const MAPPING_MEANING: Record<MappingBehavior, string> = {
  none: 'No address translation: the world sees your own address and port.',
  'endpoint-independent': 'Your public address and port stay the same whoever you talk to: peers can find you from a STUN answer.',
  'address-dependent': 'Each destination IP gets its own public port: the address a STUN server sees is useless to other peers.',
  'address-and-port-dependent': 'Each destination IP and port gets its own public port: the address a STUN server sees is useless to other peers.',
  unknown: 'Could not be measured.',
};

export const FILTERING_MEANING: Record<FilteringBehavior, string> = {
  'endpoint-independent': 'Once a mapping exists, packets from anyone get in.',
  'address-dependent': 'Only hosts you have sent to can get in (from any of their ports).',
  'address-and-port-dependent': 'Only the exact address and port you sent to can get in.',
  unknown: 'Could not be measured.',
};

export const CGNAT_MEANING: Record<CgnatVerdict, string> = {
  yes: 'Your ISP shares one public address among many customers: port forwarding cannot make a server here reachable.',
  no: 'No carrier-grade NAT: your public address belongs to you or your own router, so port forwarding can work.',
  unknown: 'Not enough evidence either way; the evidence found is listed.',
};

export type Difficulty = 'easy' | 'moderate' | 'hard' | 'impossible' | 'unknown';

/** How hard direct P2P is from here, in one word a user can act on. */
export function p2pDifficulty(nat: NatResult): Difficulty {
  switch (nat.type) {
    case 'open-internet':
    case 'full-cone':
    case 'restricted-cone':
      return 'easy';
    case 'port-restricted-cone':
    case 'symmetric-udp-firewall':
      return 'moderate';
    case 'symmetric':
      return 'hard';
    case 'udp-blocked':
      return 'impossible';
    case 'unknown':
      return 'unknown';
  }
}

/**
 * What the difficulty means, with the port allocation where it decides (a symmetric NAT that
 * counts ports up can still be reached by port prediction; one with random ports cannot).
 */
export function p2pDifficultyMeaning(nat: Pick<NatResult, 'type' | 'mapping' | 'portAllocation'>): string {
  const pattern = nat.portAllocation?.pattern;
  switch (p2pDifficulty(nat as NatResult)) {
    case 'easy':
      return 'Direct connections work with almost any peer.';
    case 'moderate':
      return 'Direct with peers whose NAT keeps one port per socket, or lets in their whole address; not with symmetric NATs that pick random ports.';
    case 'hard':
      return pattern === 'sequential' || pattern === 'preserving'
        ? 'Direct only with full- or restricted-cone peers, or by port prediction (this NAT picks its ports predictably).'
        : 'Direct only with full- or restricted-cone peers; with most others expect a relay (TURN).';
    case 'impossible':
      return 'No UDP: only a relay reached over TCP or TLS works.';
    case 'unknown':
      return 'Could not be decided from what was measured.';
  }
}

/** The port-allocation pattern in words, for the report row and the comparison. */
export function portAllocationWords(pa: Pick<PortAllocation, 'pattern' | 'delta'> | null | undefined): string {
  if (!pa) return 'not measured';
  switch (pa.pattern) {
    case 'preserving':
      return 'keeps local ports';
    case 'sequential':
      return `sequential (${pa.delta !== null && pa.delta > 0 ? '+' : ''}${pa.delta ?? '?'} per new mapping)`;
    case 'random':
      return 'random';
    case 'unknown':
      return 'unknown';
  }
}

export const PORT_ALLOCATION_MEANING: Record<PortAllocation['pattern'] | 'absent', string> = {
  preserving: 'New mappings keep your local port number: a peer can predict your public port.',
  sequential: 'New mappings take the next port: a peer can aim at the ports your NAT will use next (port prediction).',
  random: 'New mappings take random ports: no peer can predict them.',
  unknown: 'The fresh mappings could not tell how ports are chosen.',
  absent: 'Measured by a full diagnosis (Run Diagnostics, or nat-doctor diagnose).',
};

/** The pair verdicts in words (`pair predict`, the pair test, the report panel). */
export const PAIR_VERDICT_LABEL: Record<'direct' | 'direct-with-port-prediction' | 'relay', string> = {
  direct: 'direct',
  'direct-with-port-prediction': 'direct with port prediction',
  relay: 'relay needed',
};

export function yesNo(value: boolean | null, yes = 'yes', no = 'no'): string {
  return value === null ? 'not tested' : value ? yes : no;
}
