// The command palette face: the commands of package.json's contributes.commands. Each is a thin
// adapter: ask what is missing, run through the DiagnosisRunner, show the result. Every command
// is timed for telemetry (id, duration bucket, outcome, error kind — nothing else) and shows
// failures to the user with a way to the log.
import * as vscode from 'vscode';
import type { PairPrediction, PairResult, Report } from '../core';
import type { NatDoctorContext } from './context';
import { loadEngine } from './engine';
import { comparePeerReport, testPeerConnection } from './peerCommands';
import { pickProbeTarget, rememberProbeTarget } from './probeTargetPicker';
import { probeVerdict, reportSummary } from './reportWording';
import { isHostPort, parseProbeTarget } from './settingsModel';
import type { CommandId } from './telemetryEvents';

/** Why a command stopped without a result: not an error to show. */
class Dismissed extends Error {
  override name = 'Dismissed';
}

export function registerCommands(ctx: NatDoctorContext): void {
  const register = <A extends unknown[], R>(id: CommandId, handler: (...args: A) => Promise<R>) => {
    ctx.push(vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
      const started = Date.now();
      try {
        const result = await handler(...args);
        ctx.telemetry.commandRun(id, Date.now() - started, result === undefined ? 'cancelled' : 'ok');
        return result;
      } catch (error) {
        if (error instanceof Dismissed) {
          ctx.telemetry.commandRun(id, Date.now() - started, 'cancelled');
          return undefined;
        }
        ctx.telemetry.commandRun(id, Date.now() - started, 'error', error);
        const message = error instanceof Error ? error.message : String(error);
        ctx.log.error(`${id} failed: ${message}`);
        const showLog = vscode.l10n.t('Show Log');
        void vscode.window.showErrorMessage(vscode.l10n.t('NAT Doctor: {0}', message), showLog).then((choice) => {
          if (choice === showLog) ctx.log.show(true);
        });
        return undefined;
      }
    }));
  };

  register('natDoctor.runDiagnostics', async (): Promise<Report | undefined> => {
    const settings = ctx.settings.refresh();
    ctx.reportPanel.show();
    return ctx.runner.run({
      mode: 'full',
      trigger: 'command',
      title: vscode.l10n.t('NAT Doctor: running diagnostics'),
      probes: settings.probeTargets,
      measureLifetime: settings.measureLifetimeAutomatically,
      revealReport: true,
    });
  });

  register('natDoctor.quickCheck', async (): Promise<Report | undefined> => {
    const report = await ctx.runner.run({ mode: 'quick', trigger: 'command', title: vscode.l10n.t('NAT Doctor: quick check') });
    if (report) {
      ctx.monitor?.noteExternalCheck('ok');
      void vscode.window.setStatusBarMessage(vscode.l10n.t('NAT Doctor: {0}', reportSummary(report)), 5_000);
    }
    return report;
  });

  register('natDoctor.probeServer', async (targetArgument?: unknown): Promise<Report | undefined> => {
    const settings = ctx.settings.refresh();
    let target: string | undefined;
    if (typeof targetArgument === 'string') {
      if (!parseProbeTarget(targetArgument)) throw new Error(vscode.l10n.t('"{0}" is not host:port/protocol', targetArgument));
      target = targetArgument;
    } else {
      const untrusted = ctx.settings.lastRead.ignoredWorkspaceSettings
        .filter((i) => i.key === 'probe.targets' && Array.isArray(i.value))
        .flatMap((i) => (i.value as unknown[]).filter((t): t is string => typeof t === 'string' && parseProbeTarget(t) !== undefined));
      target = await pickProbeTarget({
        memento: ctx.extensionContext.globalState,
        settingsTargets: settings.probeTargets,
        untrustedWorkspaceTargets: untrusted,
        defaultProtocol: settings.probeDefaultProtocol,
      });
    }
    if (!target) throw new Dismissed();
    await rememberProbeTarget(ctx.extensionContext.globalState, target);
    const turnCredentials = await turnCredentialsFor(ctx, target);
    const report = await ctx.runner.run({
      mode: 'quick', trigger: 'command', title: vscode.l10n.t('NAT Doctor: probing {0}', target), probes: [target],
      ...(turnCredentials ? { turnCredentials } : {}),
    });
    if (!report) return undefined;
    const probe = report.probes.find((p) => p.target === target) ?? report.probes[0];
    const verdict = probe ? probeVerdict(probe) : vscode.l10n.t('{0}: the probe engine returned no result for this target.', target);
    ctx.log.info(`probe ${verdict}`);
    const showReport = vscode.l10n.t('Show Report');
    void vscode.window.showInformationMessage(vscode.l10n.t('NAT Doctor: {0}', verdict), showReport).then((choice) => {
      if (choice === showReport) ctx.reportPanel.show(0);
    });
    return report;
  });

  register('natDoctor.showReport', async (index?: unknown): Promise<boolean> => {
    ctx.reportPanel.show(typeof index === 'number' ? index : undefined);
    return true;
  });

  register('natDoctor.copyReport', async (index?: unknown): Promise<string | undefined> => {
    const report = reportAt(ctx, index);
    if (!report) return offerToRun(ctx);
    const markdown = loadEngine().formatMarkdownReport(report, { hideAddresses: ctx.settings.settings.hideAddresses });
    await vscode.env.clipboard.writeText(markdown);
    void vscode.window.showInformationMessage(vscode.l10n.t('NAT Doctor: report copied as Markdown.'));
    return markdown;
  });

  register('natDoctor.exportReport', async (index?: unknown, target?: unknown): Promise<vscode.Uri | undefined> => {
    const report = reportAt(ctx, index);
    if (!report) return offerToRun(ctx);
    let uri = target instanceof vscode.Uri ? target : undefined;
    if (!uri) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `nat-doctor-report-${report.startedAt.replace(/[:.]/g, '-')}.json`;
      uri = await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Export NAT Doctor report as JSON'),
        filters: { 'JSON': ['json'] },
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      });
    }
    if (!uri) throw new Dismissed();
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(report, null, 2) + '\n'));
    ctx.log.info(`report exported to ${uri.toString(true)}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('NAT Doctor: report saved to {0}.', vscode.workspace.asRelativePath(uri)));
    return uri;
  });

  register('natDoctor.measureBindingLifetime', async (): Promise<Report | undefined> => {
    return ctx.runner.run({
      mode: 'full',
      trigger: 'command',
      title: vscode.l10n.t('NAT Doctor: measuring how long the NAT keeps an idle UDP mapping (a few minutes)'),
      measureLifetime: true,
      revealReport: true,
    });
  });

  register('natDoctor.testPeerConnection', (args?: unknown): Promise<PairResult | undefined> => testPeerConnection(ctx, args));

  register('natDoctor.comparePeerReport', (uri?: unknown): Promise<PairPrediction | undefined> => comparePeerReport(ctx, uri));

  register('natDoctor.setTurnPassword', async (): Promise<boolean | undefined> => {
    const servers = ctx.settings.refresh().turnServers;
    if (servers.length === 0) {
      const openSettings = vscode.l10n.t('Open Settings');
      void vscode.window.showInformationMessage(vscode.l10n.t('NAT Doctor: add a TURN server to natDoctor.turnServers first ({ "server": "host:port", "username": "…" }).'), openSettings)
        .then((choice) => { if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'natDoctor.turnServers'); });
      throw new Dismissed();
    }
    const picked = servers.length === 1 ? servers[0] : (await vscode.window.showQuickPick(
      servers.map((s) => ({ label: s.server, description: s.username, server: s })),
      { title: vscode.l10n.t('NAT Doctor: TURN server') },
    ))?.server;
    if (!picked || !isHostPort(picked.server)) throw new Dismissed();
    const password = await vscode.window.showInputBox({
      title: vscode.l10n.t('TURN password for {0}@{1}', picked.username, picked.server),
      prompt: vscode.l10n.t('Stored in the operating system keychain (VS Code SecretStorage), never in settings.'),
      password: true,
      ignoreFocusOut: true,
    });
    if (password === undefined) throw new Dismissed();
    await ctx.extensionContext.secrets.store(turnSecretKey(picked.server, picked.username), password);
    void vscode.window.showInformationMessage(vscode.l10n.t('NAT Doctor: TURN password for {0} saved.', picked.server));
    return true;
  });
}

/** SecretStorage key of a TURN server's password. */
export function turnSecretKey(server: string, username: string): string {
  return `natDoctor.turn:${username}@${server}`;
}

/** TURN credentials for a `/turn` target named in natDoctor.turnServers whose password is stored. */
async function turnCredentialsFor(ctx: NatDoctorContext, target: string): Promise<{ user: string; password: string } | undefined> {
  if (!target.endsWith('/turn')) return undefined;
  const server = target.slice(0, -'/turn'.length);
  const entry = ctx.settings.settings.turnServers.find((t) => t.server === server);
  if (!entry) return undefined;
  const password = await ctx.extensionContext.secrets.get(turnSecretKey(entry.server, entry.username));
  return password === undefined ? undefined : { user: entry.username, password };
}

function reportAt(ctx: NatDoctorContext, index: unknown): Report | undefined {
  const entries = ctx.history.all();
  if (typeof index === 'number') return entries[index]?.report;
  return ctx.history.latestForPanel()?.entry.report;
}

async function offerToRun(ctx: NatDoctorContext): Promise<undefined> {
  const runDiagnostics = vscode.l10n.t('Run Diagnostics');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('NAT Doctor: no report yet.'), runDiagnostics);
  if (choice === runDiagnostics) await vscode.commands.executeCommand('natDoctor.runDiagnostics');
  ctx.log.info('no report to copy or export yet');
  throw new Dismissed();
}
