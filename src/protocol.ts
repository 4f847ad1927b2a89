// The one typed union of messages between the extension host and the report webview. Both sides
// import this module (the webview bundle through esbuild), so a renamed field fails to compile on
// both sides at once. The host still validates what arrives (isWebviewToHostMessage): webview
// content is untrusted.
import type { Report } from './core/report/types';

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
  /** Short summary such as "Port-restricted cone NAT · no CGNAT". */
  summary: string;
  mode: 'full' | 'quick';
}

export type HostToWebview =
  | {
      type: 'report';
      report: Report;
      /** The report as titled rows (core/report/reportSections), computed by the host so the
       * webview bundle needs no Node module; addresses already hidden when asked. */
      sections: ReportSectionView[];
      /** Which history entry this is (0 = newest). */
      historyIndex: number;
      /** What changed compared with the previous report, in words; empty for the first one. */
      changes: string[];
      history: HistoryEntry[];
      /** natDoctor.hideAddresses: mask public and mapped addresses. */
      hideAddresses: boolean;
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
