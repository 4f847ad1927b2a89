// One line per diagnosis, for a journal or a log shipper (`nat-doctor monitor` without
// --textfile): logfmt, `key=value` pairs, a value quoted when it holds a space, a quote or an
// equals sign. Like the metrics (prometheusReport.ts) it names servers and probe targets as
// configured and carries no public, local or router address.
import type { Report } from './types';

export function formatSummaryLine(report: Report): string {
  const { nat } = report;
  const startedMs = Date.parse(report.startedAt);
  const fields: Array<[string, string | number]> = [
    ['time', Number.isFinite(startedMs) ? new Date(startedMs + report.durationMs).toISOString() : report.startedAt],
    ['nat_type', nat.type],
    ['mapping', nat.mapping],
    ['filtering', nat.filtering],
    ['cgnat', report.cgnat.verdict],
    ['udp', nat.udp],
  ];
  if (report.connectivity) fields.push(['connectivity', report.connectivity.state]);
  const answered = report.servers.find((s) => s.rttMs !== null);
  if (answered?.rttMs !== null && answered?.rttMs !== undefined) fields.push(['stun_rtt_ms', answered.rttMs]);
  if (nat.portAllocation) fields.push(['port_allocation', nat.portAllocation.pattern]);
  if (report.bindingLifetime?.seconds !== null && report.bindingLifetime?.seconds !== undefined) fields.push(['lifetime_s', report.bindingLifetime.seconds]);
  if (report.pathMtu?.bytes !== null && report.pathMtu?.bytes !== undefined) fields.push(['path_mtu', report.pathMtu.bytes]);
  if (report.probes.length > 0) fields.push(['probes', report.probes.map((p) => `${p.target}=${p.state}`).join(',')]);
  if (report.recommendations.length > 0) fields.push(['recommendations', report.recommendations.map((r) => r.id).join(',')]);
  fields.push(['duration_s', report.durationMs / 1000]);
  return fields.map(([key, value]) => `${key}=${logfmtValue(String(value))}`).join(' ');
}

function logfmtValue(value: string): string {
  if (value !== '' && !/[\s"=\\]/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}
