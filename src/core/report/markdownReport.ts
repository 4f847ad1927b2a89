// The report as Markdown (CLI --markdown, "Copy Report as Markdown"): the network path in one
// line, then the sections. Values from the network are escaped so a hostile server name cannot
// inject links or formatting.
import { formatPathLine, networkPath, pathProblems, VERDICT_MARK } from './networkPath';
import { reportSections, type SectionOptions } from './reportSections';
import type { Report } from './types';

export function formatMarkdownReport(report: Report, options: SectionOptions = {}): string {
  const lines: string[] = [
    '# NAT Doctor report',
    '',
    `${escapeMarkdown(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s · nat-doctor ${escapeMarkdown(report.tool.version)}`,
  ];
  const path = networkPath(report, options);
  lines.push('', `**Path:** ${formatPathLine(path, escapeMarkdown)}`);
  const problems = pathProblems(path);
  if (problems.length > 0) lines.push('');
  for (const problem of problems) lines.push(`-${VERDICT_MARK[problem.verdict]} **${escapeMarkdown(problem.name)}**: ${escapeMarkdown(problem.reason)}`);
  for (const section of reportSections(report, options)) {
    lines.push('', `## ${section.title}`, '');
    if (section.id === 'recommendations' || section.id === 'notes') {
      for (const row of section.rows) lines.push(`- **${escapeMarkdown(row.label)}**: ${escapeMarkdown(row.value)}`);
      continue;
    }
    lines.push('| | | |', '|---|---|---|');
    for (const row of section.rows) {
      lines.push(`| ${escapeMarkdown(row.label)} | ${escapeMarkdown(row.value)} | ${escapeMarkdown(row.meaning ?? '')} |`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * Text as literal Markdown, for every face that writes Markdown (this report, the status bar
 * tooltip): network-derived strings must not become links, HTML or formatting. `.` and `-` are
 * escaped too, so a server name such as `www.example.org` cannot become a GFM autolink; a line
 * break would end a table row, so it becomes a space.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
