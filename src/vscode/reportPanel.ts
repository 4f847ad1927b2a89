// The report panel: one WebviewPanel at a time (revealed, not duplicated), restored after a reload
// by a WebviewPanelSerializer, fed through the typed protocol after the webview says `ready`.
// The webview gets the report as worded rows with addresses already hidden (src/protocol.ts),
// never the Report. A finished diagnosis reaches the panel through context.ts only; commands open
// the panel, they do not refresh it.
// CSP: no inline script or style, scripts only with this load's nonce, resources only from the
// extension's dist/ and media/ folders. The webview's own words come translated with the page
// (vscode.l10n.bundle in a data attribute, read by webview/l10n.ts).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { reportSections, type Report, type ReportSection } from '../core';
import { isWebviewToHostMessage, REPORT_VIEW_TYPE, type HostToWebview, type WebviewToHost } from '../protocol';
import { SECTION_EXPLANATIONS } from '../sectionExplanations';
import { loadEngine } from './engine';
import type { ReportHistory, StoredReport } from './reportHistory';
import { describeChanges } from './reportWording';
import type { NatDoctorTelemetry } from './telemetryEvents';

// Fails to compile when the engine's report gains a section the panel cannot explain.
const EVERY_SECTION_EXPLAINED: Record<ReportSection['id'], string> = SECTION_EXPLANATIONS;
void EVERY_SECTION_EXPLAINED;

export interface ReportPanelHooks {
  hideAddresses(): boolean;
  rerun(): Thenable<unknown>;
  copyMarkdown(historyIndex: number): Thenable<unknown>;
  exportJson(historyIndex: number): Thenable<unknown>;
}

export class ReportPanelManager implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private ready = false;
  private pending: HostToWebview | undefined;
  private shownIndex = 0;
  /** A peer comparison or pair test, shown with the report it was made from (by its start time). */
  private peer: { startedAt: string; section: ReportSection } | undefined;
  /** The last `rendered` acknowledgement from the webview (tests read it via the extension API). */
  lastRendered: Extract<WebviewToHost, { type: 'rendered' }> | undefined;
  /** The last message delivered to a ready webview. */
  lastDelivered: HostToWebview | undefined;
  private readonly renderedEmitter = new vscode.EventEmitter<Extract<WebviewToHost, { type: 'rendered' }>>();
  readonly onDidRender = this.renderedEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly history: ReportHistory,
    private readonly hooks: ReportPanelHooks,
    private readonly telemetry: NatDoctorTelemetry,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  get selectedIndex(): number {
    return this.shownIndex;
  }

  /** Opens (or reveals) the panel showing history entry `index`; default: the newest full report. */
  show(index?: number): void {
    this.openOrReveal();
    this.showEntry(index);
  }

  /**
   * A diagnosis just finished and `entry` is the newest history entry: shown if the panel is open,
   * or opened for it when `reveal` (the command that ran it shows its result).
   */
  showNewest(entry: StoredReport, reveal: boolean): void {
    if (reveal) this.openOrReveal();
    if (this.panel) this.present(entry, 0);
  }

  /**
   * Shows a peer comparison or pair test result above the report it was made with (`report`,
   * which must be in the history), opening the panel.
   */
  showPeer(report: Report, section: ReportSection): void {
    this.peer = { startedAt: report.startedAt, section };
    this.openOrReveal();
    const index = this.history.all().findIndex((e) => e.report.startedAt === report.startedAt);
    this.showEntry(index >= 0 ? index : undefined);
  }

  /** Used by the serializer: a panel VS Code restored after a reload shows the newest full report. */
  restore(panel: vscode.WebviewPanel): void {
    this.attach(panel);
    this.showEntry(undefined);
  }

  private openOrReveal(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    this.attach(vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, vscode.l10n.t('NAT Doctor Report'), vscode.ViewColumn.Active, this.webviewOptions()));
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.disposePanel();
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.png');
    panel.webview.options = this.webviewOptions();
    panel.webview.html = this.html(panel.webview);
    this.panelDisposables.push(
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.disposePanel();
      }),
      // Without retainContextWhenHidden the page reloads when shown again and says `ready` again.
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
    );
  }

  /** Shows history entry `index` (0 = newest) or, by default, the newest full report. */
  private showEntry(index: number | undefined): void {
    const entries = this.history.all();
    const chosen = index ?? this.history.latestForPanel()?.index;
    const entry = chosen !== undefined ? entries[chosen] : undefined;
    if (!entry || chosen === undefined) {
      this.post({ type: 'empty', history: this.history.summaries() });
      return;
    }
    this.present(entry, chosen);
  }

  /** Posts history entry `index`, which is `entry`, as the rows the webview renders. */
  private present(entry: StoredReport, index: number): void {
    this.shownIndex = index;
    const { report, mode } = entry;
    const hide = this.hooks.hideAddresses();
    // Compared with the previous report of the same kind: a quick check measures less than a
    // full diagnosis, and "filtering: x → unknown" would be noise, not a change.
    const previous = this.history.all().slice(index + 1).find((e) => e.mode === mode)?.report;
    // From the engine bundle: activation does not pay for the path and figure code.
    const engine = loadEngine();
    const path = engine.networkPath(report, { hideAddresses: hide });
    this.post({
      type: 'report',
      startedAt: report.startedAt,
      durationMs: report.durationMs,
      mode,
      ...(report.ranOn !== undefined ? { ranOn: report.ranOn } : {}),
      version: report.tool.version,
      sections: this.withPeer(report, reportSections(report, { hideAddresses: hide })),
      path,
      figures: engine.reportFigures(report, path),
      historyIndex: index,
      changes: describeChanges(previous, report, hide, (message, ...args) => vscode.l10n.t(message, ...args)),
      history: this.history.summaries(),
    });
  }

  /** The peer section goes right after the summary, for the report it was made with only. */
  private withPeer(report: Report, sections: ReportSection[]): ReportSection[] {
    if (!this.peer || this.peer.startedAt !== report.startedAt) return sections;
    return [...sections.slice(0, 1), this.peer.section, ...sections.slice(1)];
  }

  setRunning(running: boolean, message?: string): void {
    if (this.panel) this.post(message !== undefined ? { type: 'running', running, message } : { type: 'running', running });
  }

  showError(message: string): void {
    if (this.panel) this.post({ type: 'error', message });
  }

  private post(message: HostToWebview): void {
    if (!this.panel) return;
    // `running` and `error` are transient; a report or empty state is what a reload must restore.
    if (message.type === 'report' || message.type === 'empty') this.pending = message;
    if (!this.ready) return;
    this.lastDelivered = message;
    void this.panel.webview.postMessage(message);
  }

  private receive(message: unknown): void {
    if (!isWebviewToHostMessage(message)) {
      this.log.warn('report panel: ignored a malformed message from the webview');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.ready = true;
        if (this.pending) this.post(this.pending);
        else this.showEntry(undefined);
        return;
      case 'rendered':
        this.lastRendered = message;
        this.renderedEmitter.fire(message);
        return;
      case 'rerun':
        this.telemetry.panelAction('rerun');
        void this.hooks.rerun();
        return;
      case 'copyMarkdown':
        this.telemetry.panelAction('copyMarkdown');
        void this.hooks.copyMarkdown(this.shownIndex);
        return;
      case 'exportJson':
        this.telemetry.panelAction('exportJson');
        void this.hooks.exportJson(this.shownIndex);
        return;
      case 'selectHistory':
        this.telemetry.panelAction('selectHistory');
        this.showEntry(message.index);
        return;
    }
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'report.css'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${escapeHtml(vscode.l10n.t('NAT Doctor Report'))}</title>
</head>
<body data-l10n="${escapeHtml(JSON.stringify(vscode.l10n.bundle ?? {}))}">
<main id="app" aria-live="polite"><p class="placeholder">${escapeHtml(vscode.l10n.t('Loading the report…'))}</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  private disposePanel(): void {
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
    this.ready = false;
    this.pending = undefined;
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposePanel();
    this.renderedEmitter.dispose();
  }
}

/** Text for an HTML attribute or element: the translations come from files we do not control. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function registerReportPanelSerializer(manager: ReportPanelManager): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      manager.restore(panel);
    },
  });
}
