// What the status bar item shows for each state, as plain data: the adapter (statusBar.ts) only
// copies it onto the StatusBarItem. Pure, unit-tested without VS Code.
import { CGNAT_LABEL, cgnatVerdictWords, natTypeLabel, escapeMarkdown, p2pDifficulty, p2pDifficultyMeaning, type Report } from '../core';
import { filteringWords, mappingWords, needsAttention, publicAddressWords } from './reportWording';

export type StatusBarState =
  | { kind: 'idle' }
  | { kind: 'checking'; previous?: Report }
  | { kind: 'offline'; previous?: Report }
  | { kind: 'error'; message: string; previous?: Report }
  | { kind: 'report'; report: Report };

export interface StatusBarView {
  /** Status bar text with at most one codicon. */
  text: string;
  /** Markdown (already escaped). */
  tooltipMarkdown: string;
  /** Read by screen readers instead of the codicon text. */
  accessibilityLabel: string;
  background: 'none' | 'warning' | 'error';
}

export interface StatusBarOptions {
  hideAddresses: boolean;
  /** Formats the check time; injected so tests are independent of the locale and time zone. */
  formatTime?: (iso: string) => string;
}

function defaultFormatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function reportTooltip(report: Report, options: StatusBarOptions, heading: string): string {
  const formatTime = options.formatTime ?? defaultFormatTime;
  const { nat } = report;
  const lines = [
    `**${escapeMarkdown(heading)}**`,
    '',
    `| | |`,
    `|---|---|`,
    `| Public address | ${escapeMarkdown(publicAddressWords(report.publicAddress, options.hideAddresses))} |`,
    `| Mapping | ${escapeMarkdown(mappingWords(nat.mapping))} |`,
    `| Filtering | ${escapeMarkdown(filteringWords(nat.filtering))} |`,
    `| CGNAT | ${escapeMarkdown(cgnatVerdictWords(report.cgnat))} |`,
    `| P2P difficulty | ${escapeMarkdown(`${p2pDifficulty(nat)}: ${p2pDifficultyMeaning(nat)}`)} |`,
    `| Last check | ${escapeMarkdown(formatTime(report.startedAt))} |`,
  ];
  if (report.ranOn) lines.push(`| Ran on | ${escapeMarkdown(report.ranOn)} |`);
  lines.push('', 'Click to open the NAT Doctor report.');
  return lines.join('\n');
}

export function statusBarView(state: StatusBarState, options: StatusBarOptions): StatusBarView {
  switch (state.kind) {
    case 'idle':
      return {
        text: '$(globe) NAT',
        tooltipMarkdown: 'NAT Doctor: no check yet. Click to open the report, or run **NAT Doctor: Quick Check**.',
        accessibilityLabel: 'NAT Doctor: no check yet',
        background: 'none',
      };
    case 'checking': {
      const previous = state.previous ? ` (was ${natTypeLabel(state.previous.nat, state.previous.connectivity)})` : '';
      return {
        text: '$(sync~spin) Checking NAT…',
        tooltipMarkdown: `NAT Doctor is checking your NAT${escapeMarkdown(previous)}.`,
        accessibilityLabel: `NAT Doctor: checking NAT${previous}`,
        background: 'none',
      };
    }
    case 'offline':
      return {
        text: '$(debug-disconnect) Offline',
        tooltipMarkdown: 'NAT Doctor: no network with a routable address. Checks resume when the network is back.',
        accessibilityLabel: 'NAT Doctor: offline, checks paused',
        background: 'none',
      };
    case 'error':
      return {
        text: '$(error) NAT check failed',
        tooltipMarkdown: `NAT Doctor: the last check failed: ${escapeMarkdown(state.message)}\n\nClick to open the report.`,
        accessibilityLabel: `NAT Doctor: last check failed: ${state.message}`,
        background: 'error',
      };
    case 'report': {
      const { report } = state;
      const words = natTypeLabel(report.nat, report.connectivity);
      // The text names CGNAT only when it is there: the bar has room for problems, not all-clears.
      const cgnat = report.cgnat.verdict === 'yes' ? ` · ${CGNAT_LABEL.yes}` : '';
      const attention = needsAttention(report);
      const icon = attention ? '$(warning)' : report.nat.mapping === 'none' ? '$(globe)' : '$(shield)';
      return {
        text: `${icon} ${words}${cgnat}`,
        tooltipMarkdown: reportTooltip(report, options, `NAT Doctor: ${words}`),
        accessibilityLabel: `NAT Doctor: ${words}, ${cgnatVerdictWords(report.cgnat)}${attention ? ', needs attention' : ''}. Opens the report.`,
        background: attention ? 'warning' : 'none',
      };
    }
  }
}
