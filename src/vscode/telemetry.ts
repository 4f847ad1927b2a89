// Connects NatDoctorTelemetry (telemetryEvents.ts: what may be sent) to @vscode/extension-telemetry.
// Off unless a connection string was set at build time (NAT_DOCTOR_TELEMETRY_CONNECTION_STRING, see
// scripts/build.mjs); then the reporter follows the user's telemetry setting through VS Code's
// TelemetryLogger, and we check env.isTelemetryEnabled as well before handing anything over.
import * as vscode from 'vscode';
import { NatDoctorTelemetry, type TelemetryEvent, type TelemetrySink } from './telemetryEvents';

declare const __NAT_DOCTOR_TELEMETRY_CONNECTION_STRING__: string | undefined;

export function buildTimeConnectionString(): string {
  return typeof __NAT_DOCTOR_TELEMETRY_CONNECTION_STRING__ === 'string' ? __NAT_DOCTOR_TELEMETRY_CONNECTION_STRING__ : '';
}

/**
 * The condition is a build-time constant: without a connection string esbuild drops the branch,
 * and with it the ~370 kB Application Insights client, from dist/extension.js.
 */
function loadReporterModule(): Promise<typeof import('@vscode/extension-telemetry')> {
  if (__NAT_DOCTOR_TELEMETRY_CONNECTION_STRING__) return import('@vscode/extension-telemetry');
  return Promise.reject(new Error('telemetry is not configured in this build'));
}

interface Reporter extends vscode.Disposable {
  sendTelemetryEvent(eventName: string, properties?: Record<string, string>): void;
}

class ReporterSink implements TelemetrySink, vscode.Disposable {
  private reporter: Reporter | undefined;
  private loading: Promise<void> | undefined;
  private readonly queued: TelemetryEvent[] = [];

  constructor(private readonly connectionString: string) {}

  send(event: TelemetryEvent): void {
    if (!vscode.env.isTelemetryEnabled) return;
    if (this.reporter) {
      this.reporter.sendTelemetryEvent(`natDoctor/${event.name}`, event.properties);
      return;
    }
    // Loaded on first use so activation does not pay for the Application Insights client.
    if (this.queued.length < 50) this.queued.push(event);
    this.loading ??= loadReporterModule().then(({ TelemetryReporter }) => {
      this.reporter = new TelemetryReporter(this.connectionString);
      for (const queued of this.queued.splice(0)) this.send(queued);
    }, () => undefined);
  }

  dispose(): void {
    this.reporter?.dispose();
  }
}

const noSink: TelemetrySink = { send: () => undefined };

export function createTelemetry(): { telemetry: NatDoctorTelemetry; disposable: vscode.Disposable } {
  const connectionString = buildTimeConnectionString();
  if (!connectionString) return { telemetry: new NatDoctorTelemetry(noSink), disposable: { dispose: () => undefined } };
  const sink = new ReporterSink(connectionString);
  return { telemetry: new NatDoctorTelemetry(sink), disposable: sink };
}
