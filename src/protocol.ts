// The one typed union of messages between the extension host and the report webview. Both sides
// import this module (the webview bundle through esbuild), so a renamed field fails to compile on
// both sides at once. It imports nothing, so no Node module reaches the browser bundle through it
// (eslint.config.mjs). The host still validates what arrives (isWebviewToHostMessage): webview
// content is untrusted.
//
// The webview gets only what it renders: the report as titled rows, the network path and the
// figures, already worded and with addresses already hidden when natDoctor.hideAddresses is on —
// never the Report itself.

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

/** What a hop means for VPN and P2P traffic (core/report/networkPath's HopVerdict). */
export type VerdictView = 'ok' | 'warning' | 'blocking' | 'unknown';

/** One hop of the network path, as core/report/networkPath derives it (addresses already hidden when asked). */
export interface PathHopView {
  kind: 'device' | 'tunnel' | 'router' | 'carrier' | 'internet' | 'stun' | 'probe';
  name: string;
  address?: string;
  badges: string[];
  detail?: string;
  rttMs?: number | null;
  verdict: VerdictView;
  reason: string;
}

/** The network path the panel draws at its top: hops in order, then what was reached. */
export interface NetworkPathView {
  hops: PathHopView[];
  destinations: PathHopView[];
  verdict: VerdictView;
}

/** A value a tunnel uses, drawn against a measurement. */
export interface MarkView {
  label: string;
  value: number;
  verdict: VerdictView;
}

interface FigureViewBase {
  /** The report section the figure belongs under. */
  place: string;
  title: string;
  /** The figure in words: its text alternative. */
  summary: string;
}

/**
 * The small pictures (core/report/reportFigures): one member per kind, and the webview's renderer
 * switch over `kind` is exhaustive, so a new kind (the pair test's) fails to compile until drawn.
 */
export type FigureView =
  | (FigureViewBase & {
      kind: 'access';
      samePortForEveryone: boolean | null;
      mappingVerdict: VerdictView;
      mappingWords: string;
      senders: { who: string; getsIn: boolean | null }[];
    })
  | (FigureViewBase & { kind: 'timing'; unit: 'ms'; bars: { label: string; value: number | null; verdict: VerdictView; note: string }[] })
  | (FigureViewBase & { kind: 'lifetime'; unit: 's'; lowerSec: number; upperSec: number; seconds: number | null; marks: MarkView[] })
  | (FigureViewBase & { kind: 'mtu'; unit: 'bytes'; bytes: number | null; blackHole: boolean | null; marks: MarkView[] });

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
      /** The network path drawn at the top (core/report/networkPath), addresses already hidden when asked. */
      path: NetworkPathView;
      /** The small pictures, each placed under its section (core/report/reportFigures). */
      figures: FigureView[];
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
  /**
   * Sent after a report is in the DOM: lets tests prove the real webview rendered it — the
   * sections in order, the path's hop names as drawn, and the figures by kind.
   */
  | { type: 'rendered'; startedAt: string; sections: string[]; path?: string[]; figures?: string[] };

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
        && isStringList(message.sections)
        && (message.path === undefined || isStringList(message.path))
        && (message.figures === undefined || isStringList(message.figures));
    default:
      return false;
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((s) => typeof s === 'string');
}

/** The webview panel's view type, shared by the panel, its serializer and the activation event. */
export const REPORT_VIEW_TYPE = 'natDoctor.report';
