// The editor side of the VPN config languages: diagnostics and quick fixes from the lint
// engine, hovers, completion, outline, the "Probe endpoint" CodeLens and language re-detection.
// Everything created here is owned by the extension's one context.
import * as vscode from 'vscode';
import { LANGUAGE_IDS, measuredFromReports } from '../../core';
import type { NatDoctorContext } from '../context';
import type { NatDoctorSettings } from '../settingsModel';
import { isConfigLanguage } from './configLanguageModel';
import { ConfigCompletionProvider, ConfigHoverProvider, ConfigSymbolProvider } from './editingHelp';
import { LanguageRedetection } from './languageRedetection';
import { LintCodeActions } from './lintCodeActions';
import { LintDiagnostics, type LintSettings } from './lintDiagnostics';
import { PROBE_ENDPOINT_COMMAND, ProbeCodeLensProvider, probeEndpoint } from './probeCodeLens';

const SELECTOR: vscode.DocumentSelector = LANGUAGE_IDS.map((language) => ({ language }));

function lintSettings(settings: NatDoctorSettings): LintSettings {
  return { enabled: settings.lintEnabled, disabledRules: settings.lintDisabledRules };
}

export function registerConfigLanguages(ctx: NatDoctorContext): void {
  const rulesDoc = vscode.Uri.joinPath(ctx.extensionContext.extensionUri, 'docs', 'rules.md');
  const diagnostics = ctx.push(new LintDiagnostics(rulesDoc, lintSettings(ctx.settings.settings)));
  const redetection = ctx.push(new LanguageRedetection(ctx.log));

  // The newest diagnosis's measurements, exactly as `nat-doctor lint --report` reads a saved one.
  const measure = (): void => diagnostics.setMeasured(measuredFromReports(ctx.history.all().map((entry) => entry.report)));
  measure();
  ctx.push(ctx.runner.onDidFinish(measure));
  ctx.push(ctx.settings.onDidChange((settings) => diagnostics.setSettings(lintSettings(settings))));

  const opened = (document: vscode.TextDocument): void => {
    if (isConfigLanguage(document.languageId)) diagnostics.lintNow(document);
    void redetection.check(document);
  };
  ctx.push(vscode.workspace.onDidOpenTextDocument(opened));
  ctx.push(vscode.workspace.onDidChangeTextDocument((event) => {
    if (event.contentChanges.length > 0 && isConfigLanguage(event.document.languageId)) diagnostics.schedule(event.document);
  }));
  ctx.push(vscode.workspace.onDidCloseTextDocument((document) => {
    diagnostics.forget(document.uri);
    redetection.forget(document);
  }));
  for (const document of vscode.workspace.textDocuments) opened(document);

  ctx.push(vscode.languages.registerCodeActionsProvider(SELECTOR, new LintCodeActions(diagnostics), LintCodeActions.metadata));
  ctx.push(vscode.languages.registerHoverProvider(SELECTOR, new ConfigHoverProvider()));
  ctx.push(vscode.languages.registerCompletionItemProvider(SELECTOR, new ConfigCompletionProvider(), ...ConfigCompletionProvider.triggerCharacters));
  ctx.push(vscode.languages.registerDocumentSymbolProvider(SELECTOR, new ConfigSymbolProvider(), { label: 'NAT Doctor' }));
  ctx.push(vscode.languages.registerCodeLensProvider(SELECTOR, new ProbeCodeLensProvider()));
  ctx.push(vscode.commands.registerCommand(PROBE_ENDPOINT_COMMAND, (args: unknown) => probeEndpoint({ log: ctx.log }, args)));
}
