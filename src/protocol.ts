// The one typed union of messages between the extension host and the report webview. Both sides
// import this module (the webview bundle through esbuild), so a renamed field fails to compile on
// both sides at once. It imports nothing, so no Node module reaches the browser bundle through it
// (eslint.config.mjs). The host still validates what arrives (isWebviewToHostMessage): webview
// content is untrusted.
//
// The webview gets only what it renders: the report as titled rows, already worded and with
// addresses already hidden when natDoctor.hideAddresses is on — never the Report itself.

/**
 * A report section as the webview renders it. Structurally what core/report/reportSections
 * produces (the host passes those straight through); declared here so the browser bundle does
 * not type-check against Node modules.
 */
export interface ReportSectionView {
  id: string;
  title: string;
  rows: { label: string; value: string; meaning?: string }[];
}

/** One entry of the report history shown in the panel (newest first). */
export interface HistoryEntry {
  startedAt: string;
  /** Short summary such as "Port-restricted cone NAT · not behind CGNAT". */
  summary: string;
  mode: 'full' | 'quick';
}

export type HostToWebview =
  | {
      type: 'report';
      /** When the diagnosis started (ISO 8601): the header shows it, `rendered` echoes it. */
      startedAt: string;
      durationMs: number;
      mode: 'full' | 'quick';
      /** Where the probes ran ("local machine" or the remote host name). */
      ranOn?: string;
      /** The nat-doctor version that measured it. */
      version: string;
      /** The report as titled rows (core/report/reportSections), addresses already hidden when asked. */
      sections: ReportSectionView[];
      /** Which history entry this is (0 = newest). */
      historyIndex: number;
      /** What changed compared with the previous report, in words; empty for the first one. */
      changes: string[];
      history: HistoryEntry[];
    }
  | { type: 'empty'; history: HistoryEntry[] }
  | { type: 'running'; running: boolean; message?: string }
  | { type: 'error'; message: string };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'rerun' }
  | { type: 'copyMarkdown' }
  | { type: 'exportJson' }
  | { type: 'selectHistory'; index: number }
  /** Sent after a report is in the DOM: lets tests prove the real webview rendered it. */
  | { type: 'rendered'; startedAt: string; sections: string[] };

export type WebviewToHostType = WebviewToHost['type'];

/** Runtime check of a message from the webview (shape, not trust). */
export function isWebviewToHostMessage(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'rerun':
    case 'copyMarkdown':
    case 'exportJson':
      return true;
    case 'selectHistory':
      return typeof message.index === 'number' && Number.isInteger(message.index) && message.index >= 0;
    case 'rendered':
      return typeof message.startedAt === 'string'
        && Array.isArray(message.sections) && message.sections.every((s) => typeof s === 'string');
    default:
      return false;
  }
}

/** The webview panel's view type, shared by the panel, its serializer and the activation event. */
export const REPORT_VIEW_TYPE = 'natDoctor.report';
