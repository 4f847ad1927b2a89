// What the status bar item shows for each state, as plain data: the adapter (statusBar.ts) only
// copies it onto the StatusBarItem. Pure, unit-tested without VS Code.
import { CGNAT_LABEL, cgnatVerdictWords, natTypeLabel, escapeMarkdown, p2pDifficulty, p2pDifficultyMeaning, type Report } from '../core';
import { english, type Localize } from './localize';
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
  /** The words in the user's language (vscode.l10n.t); English by default. */
  t?: Localize;
}

function defaultFormatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function reportTooltip(report: Report, options: StatusBarOptions, heading: string): string {
  const formatTime = options.formatTime ?? defaultFormatTime;
  const t = options.t ?? english;
  const { nat } = report;
  const row = (label: string, value: string): string => `| ${escapeMarkdown(label)} | ${escapeMarkdown(value)} |`;
  const lines = [
    `**${escapeMarkdown(heading)}**`,
    '',
    `| | |`,
    `|---|---|`,
    row(t('Public address'), publicAddressWords(report.publicAddress, options.hideAddresses, t)),
    row(t('Mapping'), mappingWords(nat.mapping, t)),
    row(t('Filtering'), filteringWords(nat.filtering, t)),
    row(t('CGNAT'), cgnatVerdictWords(report.cgnat)),
    row(t('P2P difficulty'), `${p2pDifficulty(nat)}: ${p2pDifficultyMeaning(nat)}`),
    row(t('Last check'), formatTime(report.startedAt)),
  ];
  if (report.ranOn) lines.push(row(t('Ran on'), report.ranOn));
  lines.push('', escapeMarkdown(t('Click to open the NAT Doctor report.')));
  return lines.join('\n');
}

export function statusBarView(state: StatusBarState, options: StatusBarOptions): StatusBarView {
  const t = options.t ?? english;
  switch (state.kind) {
    case 'idle':
      return {
        text: '$(globe) NAT',
        tooltipMarkdown: t('NAT Doctor: no check yet. Click to open the report, or run **NAT Doctor: Quick Check**.'),
        accessibilityLabel: t('NAT Doctor: no check yet'),
        background: 'none',
      };
    case 'checking': {
      const previous = state.previous ? natTypeLabel(state.previous.nat, state.previous.connectivity) : undefined;
      return {
        text: `$(sync~spin) ${t('Checking NAT…')}`,
        tooltipMarkdown: escapeMarkdown(previous ? t('NAT Doctor is checking your NAT (was {0}).', previous) : t('NAT Doctor is checking your NAT.')),
        accessibilityLabel: previous ? t('NAT Doctor: checking NAT (was {0})', previous) : t('NAT Doctor: checking NAT'),
        background: 'none',
      };
    }
    case 'offline':
      return {
        text: `$(debug-disconnect) ${t('Offline')}`,
        tooltipMarkdown: escapeMarkdown(t('NAT Doctor: no network with a routable address. Checks resume when the network is back.')),
        accessibilityLabel: t('NAT Doctor: offline, checks paused'),
        background: 'none',
      };
    case 'error':
      return {
        text: `$(error) ${t('NAT check failed')}`,
        tooltipMarkdown: `${escapeMarkdown(t('NAT Doctor: the last check failed: {0}', state.message))}\n\n${escapeMarkdown(t('Click to open the report.'))}`,
        accessibilityLabel: t('NAT Doctor: last check failed: {0}', state.message),
        background: 'error',
      };
    case 'report': {
      const { report } = state;
      const words = natTypeLabel(report.nat, report.connectivity);
      // The text names CGNAT only when it is there: the bar has room for problems, not all-clears.
      const cgnat = report.cgnat.verdict === 'yes' ? ` · ${CGNAT_LABEL.yes}` : '';
      const attention = needsAttention(report);
      const icon = attention ? '$(warning)' : report.nat.mapping === 'none' ? '$(globe)' : '$(shield)';
      const verdict = `${words}, ${cgnatVerdictWords(report.cgnat)}`;
      return {
        text: `${icon} ${words}${cgnat}`,
        tooltipMarkdown: reportTooltip(report, options, t('NAT Doctor: {0}', words)),
        accessibilityLabel: attention ? t('NAT Doctor: {0}, needs attention. Opens the report.', verdict) : t('NAT Doctor: {0}. Opens the report.', verdict),
        background: attention ? 'warning' : 'none',
      };
    }
  }
}
