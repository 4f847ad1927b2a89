// One object owns everything the extension creates: every disposable is pushed here and released
// in reverse order on deactivate. Features get what they need from it instead of globals.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { NetworkMonitor, type CheckReason, type MonitorState, type Report } from '../core';
import type { WebviewToHost, HostToWebview } from '../protocol';
import { registerCommands } from './commands';
import { DiagnosisRunner, whereProbesRun } from './diagnosisRunner';
import { ReportHistory, type StoredReport } from './reportHistory';
import { registerReportPanelSerializer, ReportPanelManager } from './reportPanel';
import { SettingsReader } from './settings';
import type { SettingsReadResult } from './settingsModel';
import { NatStatusBar } from './statusBar';
import type { StatusBarView } from './statusBarModel';
import { createTelemetry } from './telemetry';
import type { NatDoctorTelemetry } from './telemetryEvents';

/** What activate() returns: read-only views used by the extension-host tests (test/vscode). */
export interface NatDoctorApi {
  statusBarView(): StatusBarView;
  statusBarVisible(): boolean;
  monitorState(): MonitorState | 'disabled';
  settings(): SettingsReadResult;
  history(): StoredReport[];
  reportPanel(): {
    isOpen: boolean;
    lastDelivered: HostToWebview | undefined;
    lastRendered: Extract<WebviewToHost, { type: 'rendered' }> | undefined;
  };
  onDidRenderReport: vscode.Event<Extract<WebviewToHost, { type: 'rendered' }>>;
  /** What started the diagnosis running now (command, monitor, panel), if any. */
  runningDiagnosis(): 'command' | 'monitor' | 'panel' | undefined;
  onDidStartDiagnosis: vscode.Event<unknown>;
  /** Same path as the notification's Cancel button: aborts the running diagnosis. */
  cancelDiagnosis(): void;
  /** Fires with each pair token the peer test copies to the clipboard (offer or answer). */
  onDidCreatePairToken: vscode.Event<string>;
}

export class NatDoctorContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  readonly log: vscode.LogOutputChannel;
  readonly settings: SettingsReader;
  readonly history: ReportHistory;
  readonly telemetry: NatDoctorTelemetry;
  readonly runner: DiagnosisRunner;
  readonly reportPanel: ReportPanelManager;
  readonly statusBar: NatStatusBar;
  monitor: NetworkMonitor | undefined;
  private statusBarShown = false;
  private readonly pairTokens = this.push(new vscode.EventEmitter<string>());

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    this.log = this.push(vscode.window.createOutputChannel('NAT Doctor', { log: true }));
    const { telemetry, disposable } = createTelemetry();
    this.telemetry = telemetry;
    this.push(disposable);
    this.settings = this.push(new SettingsReader(this.log, (problems) => this.showSettingsProblems(problems)));
    this.history = new ReportHistory(extensionContext.globalState);
    const ranOn = whereProbesRun(extensionContext.extension.extensionKind);
    this.runner = this.push(new DiagnosisRunner(this.log, this.settings, this.history, this.telemetry, ranOn));
    this.statusBar = this.push(new NatStatusBar(this.settings.settings.hideAddresses));
    this.reportPanel = this.push(new ReportPanelManager(extensionContext.extensionUri, this.history, {
      hideAddresses: () => this.settings.settings.hideAddresses,
      rerun: () => vscode.commands.executeCommand('natDoctor.runDiagnostics'),
      copyMarkdown: (index) => vscode.commands.executeCommand('natDoctor.copyReport', index),
      exportJson: (index) => vscode.commands.executeCommand('natDoctor.exportReport', index),
    }, this.telemetry, this.log));
  }

  /** A pair token was copied for the user to send (tests read it through the API). */
  announcePairToken(token: string): void {
    this.pairTokens.fire(token);
  }

  push<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** Wires the features together; everything it creates is owned by this object. */
  start(): void {
    this.push(registerReportPanelSerializer(this.reportPanel));
    registerCommands(this);
    this.log.info(`NAT Doctor ${String(this.extensionContext.extension.packageJSON.version)} on ${os.platform()}, probes run on: ${whereProbesRun(this.extensionContext.extension.extensionKind)}`);

    const latest = this.history.latest();
    if (latest) this.statusBar.update({ kind: 'report', report: latest.report });
    this.push(this.runner.onDidStart((request) => {
      this.statusBar.update({ kind: 'checking', ...this.previous() });
      if (request.trigger !== 'monitor') this.reportPanel.setRunning(true, request.title);
    }));
    this.push(this.runner.onDidFinish(({ request, report }) => {
      this.statusBar.update({ kind: 'report', report });
      if (request.trigger !== 'monitor') this.reportPanel.setRunning(false);
      // The one place a result reaches the panel: from the event, not re-read from storage.
      this.reportPanel.showNewest({ report, mode: request.mode }, request.revealReport ?? false);
    }));
    this.push(this.runner.onDidFail(({ request, message }) => {
      const previous = this.history.latest()?.report;
      if (message === 'cancelled') this.statusBar.update(previous ? { kind: 'report', report: previous } : { kind: 'idle' });
      else this.statusBar.update({ kind: 'error', message, ...this.previous() });
      if (request.trigger !== 'monitor') {
        this.reportPanel.setRunning(false);
        if (message !== 'cancelled') this.reportPanel.showError(message);
      }
    }));
    let stunServers = this.settings.settings.stunServers.join(',');
    this.push(this.settings.onDidChange((settings) => {
      this.statusBar.setHideAddresses(settings.hideAddresses);
      this.applyMonitorSettings();
      // Other STUN servers may see another NAT behaviour: the status bar must not keep a verdict
      // measured against servers the user no longer wants (or settings that arrived late).
      const servers = settings.stunServers.join(',');
      if (servers !== stunServers) {
        stunServers = servers;
        this.monitor?.trigger('settings-change');
      }
    }));
    this.push({ dispose: () => this.monitor?.stop() });
    this.applyMonitorSettings();
  }

  private previous(): { previous?: Report } {
    const report = this.history.latest()?.report;
    return report ? { previous: report } : {};
  }

  /** Status bar + monitor follow natDoctor.statusBar.enabled and natDoctor.monitor.intervalMinutes. */
  private applyMonitorSettings(): void {
    const settings = this.settings.settings;
    if (!settings.statusBarEnabled) {
      this.monitor?.stop();
      this.monitor = undefined;
      this.statusBar.hide();
      this.statusBarShown = false;
      return;
    }
    this.statusBar.show();
    this.statusBarShown = true;
    const intervalMs = settings.monitorIntervalMinutes * 60_000;
    if (this.monitor) {
      this.monitor.setIntervalMs(intervalMs);
      return;
    }
    this.monitor = new NetworkMonitor({
      readInterfaces: () => os.networkInterfaces(),
      runCheck: (reason) => this.monitorCheck(reason),
      intervalMs,
      log: (message) => this.log.info(message),
      onStateChange: (state) => {
        if (state === 'offline') this.statusBar.update({ kind: 'offline', ...this.previous() });
      },
    });
    this.monitor.start();
  }

  private async monitorCheck(reason: CheckReason): Promise<'ok' | 'failed'> {
    try {
      const report = await this.runner.run({ mode: 'quick', trigger: 'monitor' });
      // undefined: another diagnosis was running (its result updates the bar) or it was cancelled.
      const outcome = report === undefined || report.nat.udp === 'ok' ? 'ok' : 'failed';
      this.telemetry.monitorCheck(reason, outcome);
      return outcome;
    } catch {
      this.telemetry.monitorCheck(reason, 'failed');
      return 'failed';
    }
  }

  private showSettingsProblems(problems: string[]): void {
    this.telemetry.settingsInvalid(problems.length);
    const text = problems.length === 1 ? problems[0] : vscode.l10n.t('{0} settings are invalid; see the log.', problems.length);
    const openSettings = vscode.l10n.t('Open Settings');
    void vscode.window.showWarningMessage(vscode.l10n.t('NAT Doctor: {0}', text ?? ''), openSettings).then((choice) => {
      if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'natDoctor');
    });
  }

  api(): NatDoctorApi {
    return {
      statusBarView: () => this.statusBar.currentView,
      statusBarVisible: () => this.statusBarShown,
      monitorState: () => this.monitor?.currentState ?? 'disabled',
      settings: () => this.settings.lastRead,
      history: () => this.history.all(),
      reportPanel: () => ({
        isOpen: this.reportPanel.isOpen,
        lastDelivered: this.reportPanel.lastDelivered,
        lastRendered: this.reportPanel.lastRendered,
      }),
      onDidRenderReport: this.reportPanel.onDidRender,
      runningDiagnosis: () => this.runner.running?.trigger,
      onDidStartDiagnosis: this.runner.onDidStart,
      cancelDiagnosis: () => this.runner.cancel(),
      onDidCreatePairToken: this.pairTokens.event,
    };
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      try {
        disposable.dispose();
      } catch (error) {
        console.error('NAT Doctor: dispose failed', error);
      }
    }
  }
}
