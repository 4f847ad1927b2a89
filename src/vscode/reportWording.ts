// Words for a Report on the extension host: the status bar, the history list, "what changed" in
// the report panel, notifications and the log. Pure (no `vscode` import), unit-tested with
// node:test. The verdict words themselves come from core/report/explain.ts, the one vocabulary the
// terminal and Markdown reports use too.
import { formatAddress, CGNAT_LABEL, natTypeLabel, yesNo, type FilteringBehavior, type MappingBehavior, type ProbeResult, type Report, type TransportAddress } from '../core';

/** The tooltip's one-glance gloss of each behaviour (the panel's rows explain them at length). */
const MAPPING_WORDS: Record<MappingBehavior, string> = {
  none: 'no NAT (address unchanged)',
  'endpoint-independent': 'endpoint-independent (same public port for every destination)',
  'address-dependent': 'address-dependent (new public port per destination address)',
  'address-and-port-dependent': 'address-and-port-dependent (new public port per destination)',
  unknown: 'unknown',
};

const FILTERING_WORDS: Record<FilteringBehavior, string> = {
  'endpoint-independent': 'endpoint-independent (anyone may send back)',
  'address-dependent': 'address-dependent (only addresses you sent to)',
  'address-and-port-dependent': 'address-and-port-dependent (only the exact address and port you sent to)',
  unknown: 'unknown',
};

export function mappingWords(mapping: MappingBehavior): string {
  return MAPPING_WORDS[mapping];
}

export function filteringWords(filtering: FilteringBehavior): string {
  return FILTERING_WORDS[filtering];
}

/** CGNAT, UDP blocked and symmetric mapping break most peer-to-peer VPNs: worth a warning colour. */
export function needsAttention(report: Report): boolean {
  const { nat } = report;
  return report.cgnat.verdict === 'yes'
    || nat.udp === 'blocked'
    || nat.type === 'udp-blocked'
    || nat.type === 'symmetric'
    || nat.mapping === 'address-dependent'
    || nat.mapping === 'address-and-port-dependent';
}

/** One line for the history list and notifications. */
export function reportSummary(report: Report): string {
  return `${natTypeLabel(report.nat, report.connectivity)} · ${CGNAT_LABEL[report.cgnat.verdict]}`;
}

/** The public address for the tooltip, or why there is none to show. */
export function publicAddressWords(address: TransportAddress | null, hide: boolean): string {
  if (!address) return 'none (no STUN server answered)';
  if (hide) return 'hidden (natDoctor.hideAddresses)';
  return formatAddress(address);
}

/** One probe's verdict in a line, for the notification and the log (Probe VPN Server, Probe endpoint). */
export function probeVerdict(probe: Pick<ProbeResult, 'target' | 'state' | 'rttMs' | 'detail'>): string {
  return `${probe.target}: ${probe.state}${probe.rttMs !== null ? ` in ${probe.rttMs} ms` : ''}. ${probe.detail}`;
}

/** What changed between two reports, in words (newest compared with the one before). */
export function describeChanges(previous: Report | undefined, current: Report, hideAddresses: boolean): string[] {
  if (!previous) return [];
  const changes: string[] = [];
  const was = natTypeLabel(previous.nat, previous.connectivity);
  const now = natTypeLabel(current.nat, current.connectivity);
  if (was !== now) changes.push(`NAT type: ${was} → ${now}`);
  // The panel's "NAT behaviour" rows show mapping and filtering by their RFC 4787 names too.
  if (previous.nat.mapping !== current.nat.mapping) changes.push(`Mapping: ${previous.nat.mapping} → ${current.nat.mapping}`);
  if (previous.nat.filtering !== current.nat.filtering) changes.push(`Filtering: ${previous.nat.filtering} → ${current.nat.filtering}`);
  if (previous.cgnat.verdict !== current.cgnat.verdict) {
    changes.push(`CGNAT: ${CGNAT_LABEL[previous.cgnat.verdict]} → ${CGNAT_LABEL[current.cgnat.verdict]}`);
  }
  const before = previous.publicAddress?.address;
  const after = current.publicAddress?.address;
  if (before !== after) {
    changes.push(hideAddresses ? 'Public address changed' : `Public address: ${before ?? 'none'} → ${after ?? 'none'}`);
  }
  if (previous.nat.portPreservation !== current.nat.portPreservation) {
    changes.push(`Port preservation: ${yesNo(previous.nat.portPreservation)} → ${yesNo(current.nat.portPreservation)}`);
  }
  if ((previous.ranOn ?? '') !== (current.ranOn ?? '')) changes.push(`Ran on: ${previous.ranOn ?? '?'} → ${current.ranOn ?? '?'}`);
  return changes;
}
