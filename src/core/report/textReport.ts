// The terminal report: the network path in one line, then aligned label/value rows, each verdict
// followed by what it means.
import { formatPathLine, networkPath, pathProblems, VERDICT_MARK, type HopVerdict } from './networkPath';
import { reportSections, type SectionOptions } from './reportSections';
import type { Report } from './types';

export interface TextReportOptions extends SectionOptions {
  /** ANSI colours on the path's hops: only for a terminal, never with NO_COLOR (the CLI decides). */
  color?: boolean;
}

/** SGR colours per verdict: green, yellow, red, dim. The marks (⚠ ✖ ?) carry the same meaning. */
const SGR: Record<HopVerdict, string> = { ok: '32', warning: '33', blocking: '31', unknown: '2' };

export function formatTextReport(report: Report, options: TextReportOptions = {}): string {
  const lines: string[] = [`NAT Doctor ${report.tool.version} — ${report.startedAt} (${(report.durationMs / 1000).toFixed(1)} s)`];
  const path = networkPath(report, options);
  const paint = options.color ? (words: string, verdict: HopVerdict) => `\x1b[${SGR[verdict]}m${words}\x1b[0m` : undefined;
  lines.push('', `Path  ${formatPathLine(path, paint)}`);
  for (const problem of pathProblems(path)) {
    lines.push(`     ${VERDICT_MARK[problem.verdict]} ${problem.name}: ${problem.reason}`);
  }
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
