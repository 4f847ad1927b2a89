// Runs the engine's diagnose() for every face of the extension (commands, monitor, panel):
// progress in a notification with a Cancel that aborts the engine's AbortSignal (every socket and
// timer of the run), one diagnosis at a time, results logged to the "NAT Doctor" channel, kept in
// the history and announced to the status bar and the panel.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { LIFETIME_TIMEOUT_MS, type DiagnoseOptions, type ProgressEvent, type TurnCredentials, type Report } from '../core';
import { loadEngine } from './engine';
import type { ReportHistory } from './reportHistory';
import { reportSummary } from './reportWording';
import type { SettingsReader } from './settings';
import type { DiagnosisTrigger, NatDoctorTelemetry } from './telemetryEvents';

export interface DiagnosisRequest {
  mode: 'full' | 'quick';
  trigger: DiagnosisTrigger;
  /** Notification title; no notification when absent (background monitor checks). */
  title?: string;
  probes?: string[];
  measureLifetime?: boolean;
  /** Overrides the STUN servers from settings (the user picked them explicitly). */
  stunServers?: string[];
  /** For `/turn` probe targets: from natDoctor.turnServers + SecretStorage. */
  turnCredentials?: TurnCredentials;
  /** Open the report panel on the result (an open panel shows every result anyway). */
  revealReport?: boolean;
}

/** The event listeners read the result from: the report is also in the history by now. */
export interface DiagnosisFinished {
  request: DiagnosisRequest;
  report: Report;
}

/** The engine's DiagnosisCancelled (or a plain AbortError): callers get `undefined` instead. */
function isAbort(error: unknown): boolean {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  return name === 'DiagnosisCancelled' || name === 'AbortError';
}

/** "local machine", or the remote host's name when this extension runs in a remote window's host. */
export function whereProbesRun(extensionKind: vscode.ExtensionKind): string {
  const remote = vscode.env.remoteName;
  if (remote && extensionKind === vscode.ExtensionKind.Workspace) return `${os.hostname()} (remote: ${remote})`;
  return 'local machine';
}

export class DiagnosisRunner implements vscode.Disposable {
  private readonly finished = new vscode.EventEmitter<DiagnosisFinished>();
  readonly onDidFinish = this.finished.event;
  private readonly started = new vscode.EventEmitter<DiagnosisRequest>();
  readonly onDidStart = this.started.event;
  private readonly failed = new vscode.EventEmitter<{ request: DiagnosisRequest; message: string }>();
  readonly onDidFail = this.failed.event;

  private current: { request: DiagnosisRequest; controller: AbortController; done: Promise<unknown> } | undefined;
  /** Serialises runs: every run waits for the previous one to settle. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: SettingsReader,
    private readonly history: ReportHistory,
    private readonly telemetry: NatDoctorTelemetry,
    private readonly ranOn: string,
  ) {}

  get running(): DiagnosisRequest | undefined {
    return this.current?.request;
  }

  /** Aborts whatever runs now (the notification's Cancel does the same for its own run). */
  cancel(): void {
    this.current?.controller.abort();
  }

  /**
   * Runs a diagnosis. A background check never waits: if anything runs it returns `undefined`.
   * A user's request aborts a background check in flight, then waits its turn.
   * Resolves to the report, or `undefined` when cancelled. Rejects when the engine failed.
   */
  async run(request: DiagnosisRequest): Promise<Report | undefined> {
    if (request.trigger === 'monitor' && this.current) return undefined;
    if (request.trigger !== 'monitor' && this.current?.request.trigger === 'monitor') {
      this.log.info('a background check was running; it yields to your request');
      this.current.controller.abort();
    }
    const turn = this.queue.then(() => this.execute(request));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async execute(request: DiagnosisRequest): Promise<Report | undefined> {
    const controller = new AbortController();
    const startedAt = Date.now();
    const settings = this.settings.refresh();
    const stunServers = request.stunServers ?? settings.stunServers;
    const options: DiagnoseOptions = {
      mode: request.mode,
      // Lifetime measurement waits for the NAT to forget a binding: minutes, not seconds.
      timeoutMs: request.measureLifetime ? Math.max(settings.timeoutMs, LIFETIME_TIMEOUT_MS) : settings.timeoutMs,
      signal: controller.signal,
      ranOn: this.ranOn,
      measureLifetime: request.measureLifetime ?? false,
      probes: request.probes ?? [],
      captivePortalUrl: settings.captivePortalUrl === '' ? false : settings.captivePortalUrl,
    };
    if (request.turnCredentials) options.turnCredentials = request.turnCredentials;
    if (stunServers.length > 0) options.stunServers = stunServers;
    this.log.info(`${request.mode} diagnosis started (${request.trigger})`
      + `${stunServers.length > 0 ? ` with STUN ${stunServers.join(', ')}` : ' with the default STUN servers'}`
      + `${options.probes && options.probes.length > 0 ? `, probing ${options.probes.join(', ')}` : ''}`);

    let done: () => void = () => undefined;
    this.current = { request, controller, done: new Promise<void>((resolve) => { done = resolve; }) };
    this.started.fire(request);
    try {
      const report = request.title
        ? await this.withNotification(request.title, controller, options)
        : await this.callEngine(options, undefined);
      this.log.info(`${request.mode} diagnosis finished in ${report.durationMs} ms: ${reportSummary(report)}`);
      for (const recommendation of report.recommendations) {
        this.log.info(`  ${recommendation.severity}: ${recommendation.message}`);
      }
      await this.history.add(report, request.mode);
      this.telemetry.diagnosisCompleted(report, request.mode, request.trigger);
      this.finished.fire({ request, report });
      return report;
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) {
        this.log.info(`${request.mode} diagnosis cancelled after ${Date.now() - startedAt} ms`);
        this.failed.fire({ request, message: 'cancelled' });
        return undefined;
      }
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(`${request.mode} diagnosis failed: ${message}`);
      this.telemetry.diagnosisFailed(error, request.mode, request.trigger, Date.now() - startedAt);
      this.failed.fire({ request, message });
      throw error;
    } finally {
      this.current = undefined;
      done();
    }
  }

  private withNotification(title: string, controller: AbortController, options: DiagnoseOptions): Promise<Report> {
    return Promise.resolve(vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          let reported = 0;
          return await this.callEngine(options, (event) => {
            const fraction = typeof event.fraction === 'number' ? Math.min(1, Math.max(0, event.fraction)) : undefined;
            const increment = fraction !== undefined && fraction * 100 > reported ? fraction * 100 - reported : undefined;
            if (increment !== undefined) reported += increment;
            progress.report(increment !== undefined ? { message: event.message, increment } : { message: event.message });
          });
        } finally {
          subscription.dispose();
        }
      },
    ));
  }

  private async callEngine(options: DiagnoseOptions, onProgress: ((event: ProgressEvent) => void) | undefined): Promise<Report> {
    const { diagnose } = loadEngine();
    return diagnose({
      ...options,
      onProgress: (event) => {
        this.log.debug(`[${event.phase}] ${event.message}`);
        onProgress?.(event);
      },
    });
  }

  dispose(): void {
    this.cancel();
    this.finished.dispose();
    this.started.dispose();
    this.failed.dispose();
  }
}
