// The report as Prometheus metrics (`diagnose --prometheus`, and the file `nat-doctor monitor
// --textfile` keeps for node_exporter's textfile collector; docs/fleet.md).
//
// Text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats): a HELP and
// a TYPE line per family, its samples together, label values escaped. Base units only (seconds,
// bytes). No sample carries a timestamp: node_exporter's textfile collector refuses files that do.
//
// What leaves the machine here is what a fleet dashboard graphs, never who the machine is: no
// public address, no uplink or gateway address, no router WAN address, no ICE candidate, no CGNAT
// evidence value, no probe detail (certificate subjects, server replies). STUN servers and probe
// targets appear as the user configured them. A field the report does not carry gives no sample
// rather than an invented one.
import { CGNAT_VERDICTS, CONNECTIVITY_STATES, FILTERING_BEHAVIORS, MAPPING_BEHAVIORS, NAT_TYPES, PORT_ALLOCATION_PATTERNS, PROBE_STATES, type Report } from './types';

interface MetricSample {
  /** Label name → value; values are escaped when rendered. */
  labels: ReadonlyArray<readonly [string, string]>;
  value: number;
}

interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge';
  samples: MetricSample[];
}

const PORT_MAPPING_PROTOCOLS = [
  ['upnp', 'upnp'],
  ['natPmp', 'nat-pmp'],
  ['pcp', 'pcp'],
] as const;

const SEVERITIES = ['info', 'warning', 'error'] as const;
/** Recommendation ids are kebab-case words, maybe with a `format/` prefix (docs/report-schema.md). */
const RECOMMENDATION_ID = /^[a-z0-9]+(?:[-/][a-z0-9]+)*$/;

/** An enum value as a label only if it is one the contract knows: nothing else reaches a label. */
function oneOf<T extends string>(value: string, values: readonly T[]): T | 'other' {
  return (values as readonly string[]).includes(value) ? (value as T) : 'other';
}

/** Every metric of one report, in the order they are printed. Pure: the same report, the same metrics. */
function reportMetrics(report: Report): MetricFamily[] {
  const families: MetricFamily[] = [];
  const family = (name: string, help: string, samples: MetricSample[]): void => {
    if (samples.length > 0) families.push({ name, help, type: 'gauge', samples: uniqueLabelSets(samples) });
  };
  const one = (value: number, labels: MetricSample['labels'] = []): MetricSample[] => [{ labels, value }];
  const flag = (value: boolean | null | undefined): MetricSample[] => (value === null || value === undefined ? [] : one(value ? 1 : 0));
  const { nat } = report;

  family(
    'natdoctor_info',
    'NAT type (RFC 3489 name), mapping and filtering behaviour (RFC 5780) and CGNAT verdict of the last run; always 1.',
    one(1, [
      ['nat_type', oneOf(nat.type, NAT_TYPES)],
      ['mapping', oneOf(nat.mapping, MAPPING_BEHAVIORS)],
      ['filtering', oneOf(nat.filtering, FILTERING_BEHAVIORS)],
      ['cgnat', oneOf(report.cgnat.verdict, CGNAT_VERDICTS)],
    ]),
  );
  family('natdoctor_udp_ok', '1 when a STUN server answered over UDP, 0 when UDP is blocked.', one(nat.udp === 'ok' ? 1 : 0));
  family('natdoctor_cgnat_confidence', 'Confidence of the CGNAT verdict in natdoctor_info, 0 to 1.', one(report.cgnat.confidence));

  family(
    'natdoctor_stun_answered',
    '1 when the STUN server (as configured) answered a Binding request.',
    report.servers.map((s) => ({ labels: [['server', s.server]], value: s.rttMs !== null ? 1 : 0 })),
  );
  family(
    'natdoctor_stun_rtt_seconds',
    'Round-trip time of the first Binding request answered by the STUN server (as configured).',
    report.servers.flatMap((s) => (s.rttMs !== null ? [{ labels: [['server', s.server]] as const, value: s.rttMs / 1000 }] : [])),
  );
  family(
    'natdoctor_stun_rfc5780',
    '1 when the STUN server proved it can run the RFC 5780 behaviour tests (a valid OTHER-ADDRESS).',
    report.servers.map((s) => ({ labels: [['server', s.server]], value: s.rfc5780 ? 1 : 0 })),
  );

  family('natdoctor_port_preservation', '1 when the NAT kept the local port for the public one (RFC 4787 §4.1).', flag(nat.portPreservation));
  family('natdoctor_hairpinning', '1 when the NAT loops packets to its own public address back inside (RFC 5780 §4.5).', flag(nat.hairpinning));
  family('natdoctor_alg_rewriting', '1 when something on the path rewrote the address inside STUN payloads (an ALG).', flag(nat.alg));
  if (nat.portAllocation) {
    const { pattern, delta } = nat.portAllocation;
    family(
      'natdoctor_port_allocation',
      'How the NAT picks the public port of a new mapping (RFC 4787 §4.2): 1 for the pattern seen, 0 for the others.',
      PORT_ALLOCATION_PATTERNS.map((p) => ({ labels: [['pattern', p]], value: p === pattern ? 1 : 0 })),
    );
    family('natdoctor_port_allocation_delta', 'Step between the public ports of consecutive mappings of a sequential NAT.', delta === null ? [] : one(delta));
  }

  family(
    'natdoctor_port_mapping_available',
    '1 when the router offers this port mapping protocol (UPnP IGD, NAT-PMP, PCP).',
    PORT_MAPPING_PROTOCOLS.map(([field, protocol]) => ({ labels: [['protocol', protocol]], value: report.portMapping[field].available ? 1 : 0 })),
  );

  if (report.bindingLifetime) {
    const { seconds, lowerSec } = report.bindingLifetime;
    family('natdoctor_binding_lifetime_seconds', 'How long the NAT keeps an idle UDP mapping (RFC 5780 §4.6).', seconds === null ? [] : one(seconds));
    family('natdoctor_binding_lifetime_lower_bound_seconds', 'The longest idle time a UDP mapping was seen to survive (the lifetime is at least this).', one(lowerSec));
  }

  if (report.pathMtu) {
    family('natdoctor_path_mtu_bytes', 'Largest IP packet (header included) proven to reach the path MTU target.', report.pathMtu.bytes === null ? [] : one(report.pathMtu.bytes));
    family('natdoctor_path_mtu_black_hole', '1 when larger packets vanish without an ICMP "fragmentation needed" (a PMTU black hole).', flag(report.pathMtu.blackHole));
  }

  if (report.connectivity) {
    const { state, dns, tcp, captivePortal } = report.connectivity;
    family(
      'natdoctor_connectivity_state',
      'Whether the network works at all: 1 for the state seen, 0 for the others.',
      CONNECTIVITY_STATES.map((s) => ({ labels: [['state', s]], value: s === state ? 1 : 0 })),
    );
    family('natdoctor_dns_ok', '1 when the STUN server names resolved.', dns === 'not-needed' ? [] : one(dns === 'ok' ? 1 : 0));
    family('natdoctor_tcp_ok', '1 when a TCP connection attempt to a server was answered.', tcp === 'not-tested' ? [] : one(tcp === 'ok' ? 1 : 0));
    family('natdoctor_captive_portal', '1 when a captive portal intercepts the connection.', flag(captivePortal));
  }

  family(
    'natdoctor_probe_open',
    '1 when the VPN endpoint (as configured) answered, else 0; state is open, closed, filtered or open|filtered.',
    report.probes.map((p) => ({ labels: [['target', p.target], ['state', oneOf(p.state, PROBE_STATES)]], value: p.state === 'open' ? 1 : 0 })),
  );
  family(
    'natdoctor_probe_rtt_seconds',
    'Round-trip time of the VPN endpoint probe (as configured).',
    report.probes.flatMap((p) => (p.rttMs !== null ? [{ labels: [['target', p.target]] as const, value: p.rttMs / 1000 }] : [])),
  );

  family(
    'natdoctor_recommendation',
    'A recommendation of the last run, by its stable id (docs/report-schema.md); always 1.',
    report.recommendations.map((r) => ({ labels: [['id', RECOMMENDATION_ID.test(r.id) ? r.id : 'other'], ['severity', oneOf(r.severity, SEVERITIES)]], value: 1 })),
  );
  family('natdoctor_uplink_overlay', '1 when the default route went through a VPN or tunnel interface, so the NAT measured is the one behind the tunnel server.', flag(report.uplink?.overlay));

  family('natdoctor_run_duration_seconds', 'How long the last diagnosis took.', one(report.durationMs / 1000));
  const startedMs = Date.parse(report.startedAt);
  family(
    'natdoctor_last_run_timestamp_seconds',
    'When the last diagnosis finished, in seconds since the Unix epoch.',
    Number.isFinite(startedMs) ? one((startedMs + report.durationMs) / 1000) : [],
  );
  family('natdoctor_build_info', 'The nat-doctor version that measured; always 1.', one(1, [['version', report.tool.version]]));
  return families;
}

/** The report in the Prometheus text exposition format, one trailing newline included. */
export function formatPrometheusReport(report: Report): string {
  return formatMetricFamilies(reportMetrics(report));
}

function formatMetricFamilies(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const { name, help, type, samples } of families) {
    lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const { labels, value } of samples) {
      const labelText = labels.length > 0 ? `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
      lines.push(`${name}${labelText} ${formatValue(value)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Exposition format: in a label value, backslash, double quote and line feed are escaped. */
function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** Exposition format: in HELP text, backslash and line feed are escaped. */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * The same server or target configured twice would give two samples with one label set, which
 * Prometheus and node_exporter reject as a duplicate series: the first one stands.
 */
function uniqueLabelSets(samples: MetricSample[]): MetricSample[] {
  const seen = new Set<string>();
  return samples.filter((s) => {
    const key = JSON.stringify(s.labels);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
