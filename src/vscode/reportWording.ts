// Words for a Report, shared by the status bar, the history list and the report panel. Pure (no
// `vscode` import) so it is unit-tested with node:test and bundled into the webview as well.
import type { ClassicNatType, FilteringBehavior, MappingBehavior, Report } from '../core/report/types';

const NAT_TYPE_WORDS: Record<ClassicNatType, string> = {
  'open-internet': 'No NAT',
  'full-cone': 'Full-cone NAT',
  'restricted-cone': 'Restricted-cone NAT',
  'port-restricted-cone': 'Port-restricted NAT',
  symmetric: 'Symmetric NAT',
  'symmetric-udp-firewall': 'UDP firewall',
  'udp-blocked': 'UDP blocked',
  unknown: 'NAT unknown',
};

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

/**
 * The NAT type in a few words. A quick check measures mapping only, so when the classic type is
 * unknown the mapping still says cone-like or symmetric.
 */
export function natTypeWords(report: Report): string {
  const { nat } = report;
  if (nat.udp === 'blocked') return NAT_TYPE_WORDS['udp-blocked'];
  if (nat.type !== 'unknown') return NAT_TYPE_WORDS[nat.type];
  switch (nat.mapping) {
    case 'none': return 'No NAT';
    case 'endpoint-independent': return 'Cone NAT';
    case 'address-dependent':
    case 'address-and-port-dependent': return 'Symmetric NAT';
    default: return NAT_TYPE_WORDS.unknown;
  }
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

export function cgnatWords(report: Report): string {
  const percent = Math.round(report.cgnat.confidence * 100);
  switch (report.cgnat.verdict) {
    case 'yes': return `behind carrier-grade NAT (${percent}% confidence)`;
    case 'no': return `not behind carrier-grade NAT (${percent}% confidence)`;
    default: return 'carrier-grade NAT unknown';
  }
}

/** One line for the history list and notifications. */
export function reportSummary(report: Report): string {
  const cgnat = report.cgnat.verdict === 'yes' ? 'CGNAT' : report.cgnat.verdict === 'no' ? 'no CGNAT' : 'CGNAT unknown';
  return `${natTypeWords(report)} · ${cgnat}`;
}

export function formatAddress(address: { address: string; port: number } | null, hide: boolean): string {
  if (!address) return 'none (no STUN server answered)';
  if (hide) return 'hidden (natDoctor.hideAddresses)';
  return address.address.includes(':') ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
}

/** What changed between two reports, in words (newest compared with the one before). */
export function describeChanges(previous: Report | undefined, current: Report, hideAddresses: boolean): string[] {
  if (!previous) return [];
  const changes: string[] = [];
  const was = natTypeWords(previous);
  const now = natTypeWords(current);
  if (was !== now) changes.push(`NAT type: ${was} → ${now}`);
  if (previous.nat.mapping !== current.nat.mapping) changes.push(`Mapping: ${previous.nat.mapping} → ${current.nat.mapping}`);
  if (previous.nat.filtering !== current.nat.filtering) changes.push(`Filtering: ${previous.nat.filtering} → ${current.nat.filtering}`);
  if (previous.cgnat.verdict !== current.cgnat.verdict) changes.push(`CGNAT: ${previous.cgnat.verdict} → ${current.cgnat.verdict}`);
  const before = previous.publicAddress?.address;
  const after = current.publicAddress?.address;
  if (before !== after) {
    changes.push(hideAddresses ? 'Public address changed' : `Public address: ${before ?? 'none'} → ${after ?? 'none'}`);
  }
  if (previous.nat.portPreservation !== current.nat.portPreservation) {
    changes.push(`Port preservation: ${String(previous.nat.portPreservation)} → ${String(current.nat.portPreservation)}`);
  }
  if ((previous.ranOn ?? '') !== (current.ranOn ?? '')) changes.push(`Ran on: ${previous.ranOn ?? '?'} → ${current.ranOn ?? '?'}`);
  return changes;
}

/** Escapes text for a Markdown tooltip: network-derived strings must not become links or markup. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~]/g, (c) => `\\${c}`);
}
