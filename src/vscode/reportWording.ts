// Words for a Report on the extension host: the status bar, the history list, "what changed" in
// the report panel, notifications and the log. Pure (no `vscode` import), unit-tested with
// node:test. The verdict words themselves come from core/report/explain.ts, the one vocabulary the
// terminal and Markdown reports use too.
import { formatAddress, CGNAT_LABEL, natTypeLabel, yesNo, type FilteringBehavior, type MappingBehavior, type ProbeResult, type Report, type TransportAddress } from '../core';
import { english, msg, type Localize } from './localize';

/** The tooltip's one-glance gloss of each behaviour (the panel's rows explain them at length). */
const MAPPING_WORDS: Record<MappingBehavior, string> = {
  none: msg('no NAT (address unchanged)'),
  'endpoint-independent': msg('endpoint-independent (same public port for every destination)'),
  'address-dependent': msg('address-dependent (new public port per destination address)'),
  'address-and-port-dependent': msg('address-and-port-dependent (new public port per destination)'),
  unknown: msg('unknown'),
};

const FILTERING_WORDS: Record<FilteringBehavior, string> = {
  'endpoint-independent': msg('endpoint-independent (anyone may send back)'),
  'address-dependent': msg('address-dependent (only addresses you sent to)'),
  'address-and-port-dependent': msg('address-and-port-dependent (only the exact address and port you sent to)'),
  unknown: msg('unknown'),
};

export function mappingWords(mapping: MappingBehavior, t: Localize = english): string {
  return t(MAPPING_WORDS[mapping]);
}

export function filteringWords(filtering: FilteringBehavior, t: Localize = english): string {
  return t(FILTERING_WORDS[filtering]);
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
export function publicAddressWords(address: TransportAddress | null, hide: boolean, t: Localize = english): string {
  if (!address) return t('none (no STUN server answered)');
  if (hide) return t('hidden (natDoctor.hideAddresses)');
  return formatAddress(address);
}

/** One probe's verdict in a line, for the notification and the log (Probe VPN Server, Probe endpoint). */
export function probeVerdict(probe: Pick<ProbeResult, 'target' | 'state' | 'rttMs' | 'detail'>): string {
  return `${probe.target}: ${probe.state}${probe.rttMs !== null ? ` in ${probe.rttMs} ms` : ''}. ${probe.detail}`;
}

/** What changed between two reports, in words (newest compared with the one before). */
export function describeChanges(previous: Report | undefined, current: Report, hideAddresses: boolean, t: Localize = english): string[] {
  if (!previous) return [];
  const changes: string[] = [];
  const was = natTypeLabel(previous.nat, previous.connectivity);
  const now = natTypeLabel(current.nat, current.connectivity);
  if (was !== now) changes.push(t('NAT type: {0} → {1}', was, now));
  // The panel's "NAT behaviour" rows show mapping and filtering by their RFC 4787 names too.
  if (previous.nat.mapping !== current.nat.mapping) changes.push(t('Mapping: {0} → {1}', previous.nat.mapping, current.nat.mapping));
  if (previous.nat.filtering !== current.nat.filtering) changes.push(t('Filtering: {0} → {1}', previous.nat.filtering, current.nat.filtering));
  if (previous.cgnat.verdict !== current.cgnat.verdict) {
    changes.push(t('CGNAT: {0} → {1}', CGNAT_LABEL[previous.cgnat.verdict], CGNAT_LABEL[current.cgnat.verdict]));
  }
  const before = previous.publicAddress?.address;
  const after = current.publicAddress?.address;
  if (before !== after) {
    changes.push(hideAddresses ? t('Public address changed') : t('Public address: {0} → {1}', before ?? t('none'), after ?? t('none')));
  }
  if (previous.nat.portPreservation !== current.nat.portPreservation) {
    changes.push(t('Port preservation: {0} → {1}', yesNo(previous.nat.portPreservation), yesNo(current.nat.portPreservation)));
  }
  if ((previous.ranOn ?? '') !== (current.ranOn ?? '')) changes.push(t('Ran on: {0} → {1}', previous.ranOn ?? '?', current.ranOn ?? '?'));
  return changes;
}
