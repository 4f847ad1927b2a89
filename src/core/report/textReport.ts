// The terminal report: aligned label/value rows, each verdict followed by what it means.
import { reportSections, type SectionOptions } from './reportSections';
import type { Report } from './types';

export function formatTextReport(report: Report, options: SectionOptions = {}): string {
  const lines: string[] = [`NAT Doctor ${report.tool.version} — ${report.startedAt} (${(report.durationMs / 1000).toFixed(1)} s)`];
  for (const section of reportSections(report, options)) {
    lines.push('', section.title);
    const width = Math.min(24, Math.max(...section.rows.map((r) => r.label.length)));
    for (const row of section.rows) {
      lines.push(`  ${row.label.padEnd(width)}  ${row.value}`);
      if (row.meaning) lines.push(`  ${' '.repeat(width)}  ↳ ${row.meaning}`);
    }
  }
  return lines.join('\n') + '\n';
}
