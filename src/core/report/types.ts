// The Report is the product: plain data, the same for the CLI's JSON, the exported file and the
// webview. Field names and values are a contract (docs/report-schema.md): change them only
// together with `schemaVersion`.

export const REPORT_SCHEMA_VERSION = 1;

export type MappingBehavior =
  | 'none'
  | 'endpoint-independent'
  | 'address-dependent'
  | 'address-and-port-dependent'
  | 'unknown';

export type FilteringBehavior =
  | 'endpoint-independent'
  | 'address-dependent'
  | 'address-and-port-dependent'
  | 'unknown';

/** RFC 3489 names, derived from mapping × filtering (see nat/classicNatType.ts). */
export type ClassicNatType =
  | 'open-internet'
  | 'full-cone'
  | 'restricted-cone'
  | 'port-restricted-cone'
  | 'symmetric'
  | 'symmetric-udp-firewall'
  | 'udp-blocked'
  | 'unknown';

export interface ServerResult {
  /** As the user gave it: `host:port`. */
  server: string;
  /** The address it resolved to and was tested at; empty when it did not resolve. */
  address: string;
  rttMs: number | null;
  /** True when the server proved it can run RFC 5780 tests (valid OTHER-ADDRESS). */
  rfc5780: boolean;
  error?: string;
}

export interface TransportAddress {
  address: string;
  port: number;
}

export interface NatResult {
  udp: 'ok' | 'blocked';
  mapping: MappingBehavior;
  filtering: FilteringBehavior;
  type: ClassicNatType;
  portPreservation: boolean | null;
  hairpinning: boolean | null;
  alg: boolean | null;
  /** How the NAT picks the public port of each new mapping (RFC 4787 §4.2); full mode only. */
  portAllocation?: PortAllocation;
  /**
   * Why a behaviour is `unknown`, or how it was decided when not by the RFC 5780 tests
   * (e.g. "mapping compared across 3 servers"). Extra field: consumers ignore what they do not know.
   */
  notes?: string[];
}

/**
 * RFC 4787 §4.2 port assignment, from several fresh mappings: the local port kept (`preserving`),
 * counting up by `delta` (`sequential`), or `random`; `unknown` when the samples cannot tell.
 */
export interface PortAllocation {
  pattern: 'preserving' | 'sequential' | 'random' | 'unknown';
  delta: number | null;
  samples: number;
  /** Extra: why `unknown`, or what the samples showed. */
  reason?: string;
}

/** Whether the network works at all, and which transports get through (docs/report-schema.md). */
export interface Connectivity {
  state: 'online' | 'udp-blocked' | 'offline';
  dns: 'ok' | 'failed' | 'not-needed';
  tcp: 'ok' | 'blocked' | 'not-tested';
  captivePortal: boolean | null;
}

/** The largest packet proven to reach `target` and whether larger ones vanish without ICMP. */
export interface PathMtu {
  /** `host:port` as configured. */
  target: string;
  /** IP packet size in bytes, IP header included; null with the reason in `detail`. */
  bytes: number | null;
  blackHole: boolean | null;
  detail: string;
}

export type CgnatVerdict = 'yes' | 'no' | 'unknown';

/**
 * Every value of the Report's enum fields, for the faces that must pass on nothing else (telemetry,
 * Prometheus labels): a malformed report cannot smuggle an address out through an enum.
 */
export const NAT_TYPES = ['open-internet', 'full-cone', 'restricted-cone', 'port-restricted-cone', 'symmetric', 'symmetric-udp-firewall', 'udp-blocked', 'unknown'] as const satisfies readonly ClassicNatType[];
export const MAPPING_BEHAVIORS = ['none', 'endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown'] as const satisfies readonly MappingBehavior[];
export const FILTERING_BEHAVIORS = ['endpoint-independent', 'address-dependent', 'address-and-port-dependent', 'unknown'] as const satisfies readonly FilteringBehavior[];
export const CGNAT_VERDICTS = ['yes', 'no', 'unknown'] as const satisfies readonly CgnatVerdict[];
export const PROBE_STATES = ['open', 'closed', 'filtered', 'open|filtered'] as const satisfies readonly ProbeState[];
export const CONNECTIVITY_STATES = ['online', 'udp-blocked', 'offline'] as const satisfies readonly Connectivity['state'][];
export const PORT_ALLOCATION_PATTERNS = ['preserving', 'sequential', 'random', 'unknown'] as const satisfies readonly PortAllocation['pattern'][];

export interface CgnatEvidence {
  signal: string;
  value: string;
  meaning: string;
  /** How far this signal moves the verdict: positive towards CGNAT, negative away from it. */
  weight?: number;
}

export interface CgnatResult {
  verdict: CgnatVerdict;
  confidence: number;
  evidence: CgnatEvidence[];
}

export interface PortMappingProtocolResult {
  available: boolean;
  externalAddress?: string;
  /** Result code or error, when the protocol answered with a failure or did not answer. */
  error?: string;
}

export interface PortMappingResult {
  upnp: PortMappingProtocolResult;
  natPmp: PortMappingProtocolResult;
  pcp: PortMappingProtocolResult;
}

/** How long an idle mapping survived: `seconds` ≈ the middle of (lowerSec, upperSec]; null when it outlived every trial ("at least lowerSec"). */
export interface LifetimeBracket {
  seconds: number | null;
  lowerSec: number;
  upperSec: number;
}

/**
 * The contract's fields are the one-shot lifetime (one request, one answer, then idle: RFC 5780
 * §4.6). `established` (extra) is the same measurement for a mapping that first carried packets both
 * ways for a few seconds, as a tunnel's does — Linux routers keep those far longer
 * (`nf_conntrack_udp_timeout_stream`); null when it could not be measured, absent in older reports.
 */
export interface BindingLifetime extends LifetimeBracket {
  established?: LifetimeBracket | null;
}

/** Every probe protocol, in the order the CLI and the settings list them; the type follows. */
export const PROBE_PROTOCOLS = ['wireguard', 'openvpn', 'ike', 'ike-natt', 'tcp', 'tls', 'stun', 'turn'] as const;
export type ProbeProtocol = (typeof PROBE_PROTOCOLS)[number];

export type ProbeState = 'open' | 'closed' | 'filtered' | 'open|filtered';

export interface ProbeResult {
  /** `host:port/protocol` */
  target: string;
  state: ProbeState;
  rttMs: number | null;
  detail: string;
}

export type Severity = 'info' | 'warning' | 'error';

export interface Recommendation {
  id: string;
  severity: Severity;
  message: string;
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  tool: { name: 'nat-doctor'; version: string };
  startedAt: string;
  durationMs: number;
  servers: ServerResult[];
  publicAddress: TransportAddress | null;
  nat: NatResult;
  cgnat: CgnatResult;
  portMapping: PortMappingResult;
  bindingLifetime: BindingLifetime | null;
  probes: ProbeResult[];
  recommendations: Recommendation[];
  /** Where the probes ran: "local machine" or the remote host name (VS Code remote windows). */
  ranOn?: string;
  /** Extra: the interface and gateway the measurements went through. */
  uplink?: UplinkInfo;
  /** Extra: the ICE candidates a WebRTC/P2P app on this machine would gather. */
  candidates?: IceCandidate[];
  /** Second-round field; absent in reports written before it. */
  connectivity?: Connectivity;
  /** Second-round field (full mode); absent in reports written before it, null when not measured. */
  pathMtu?: PathMtu | null;
}

export interface UplinkInfo {
  interface: string | null;
  address: string | null;
  gateway: string | null;
  /** The default route goes through a VPN or tunnel interface. */
  overlay: boolean;
}

export interface IceCandidate {
  /** RFC 8445 §5.1.1: host, server-reflexive, relayed. */
  type: 'host' | 'srflx' | 'relay';
  address: string;
  port: number | null;
  /** Where it came from: an interface name, a STUN or TURN server. */
  source: string;
}
