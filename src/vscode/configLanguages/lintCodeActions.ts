// Quick fixes from the engine's `fix` of each finding, and a fix-all source action
// (`source.fixAll.natDoctor`, usable in editor.codeActionsOnSave) made of fixAllEdits. Each
// WorkspaceEdit replaces exactly the ranges the engine gives, so nothing else in the file moves.
import * as vscode from 'vscode';
import type { Finding, TextEdit } from '../../core';
import { DIAGNOSTIC_SOURCE, toVscodeRange, type LintDiagnostics } from './lintDiagnostics';
import { loadLintEngine } from './lintEngine';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('natDoctor');

function workspaceEdit(uri: vscode.Uri, edits: readonly TextEdit[], bom: boolean): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(uri, toVscodeRange(e, bom), e.text);
  return edit;
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}

export class LintCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly diagnostics: LintDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const { findings, bom } = this.diagnostics.findings(document);
    const actions: vscode.CodeAction[] = [];
    const only = context.only;
    if (!only || only.contains(vscode.CodeActionKind.QuickFix) || vscode.CodeActionKind.QuickFix.contains(only)) {
      for (const diagnostic of context.diagnostics) {
        if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
        const finding = findings.find((f) => f.fix && f.ruleId === codeOf(diagnostic) && toVscodeRange(f, bom).isEqual(diagnostic.range));
        if (!finding?.fix) continue;
        const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = workspaceEdit(document.uri, finding.fix.edits, bom);
        action.diagnostics = [diagnostic];
        // Only the engine knows when a fix is surely right (a removed option's one successor, the
        // keepalive wg(8) recommends); a guess stays a plain suggestion.
        action.isPreferred = finding.fix.preferred === true;
        actions.push(action);
      }
    }
    const wantsFixAll = only ? FIX_ALL_KIND.contains(only) || only.contains(FIX_ALL_KIND) : preferredFixCount(findings) > 1 && rangeHasFinding(findings, range, bom);
    if (wantsFixAll) {
      const edits = loadLintEngine().fixAllEdits(findings);
      if (edits.length > 0) {
        const action = new vscode.CodeAction(vscode.l10n.t('Fix all NAT Doctor problems with a sure fix'), FIX_ALL_KIND);
        action.edit = workspaceEdit(document.uri, edits, bom);
        actions.push(action);
      }
    }
    return actions;
  }
}

function preferredFixCount(findings: readonly Finding[]): number {
  return findings.filter((f) => f.fix?.preferred).length;
}

function rangeHasFinding(findings: readonly Finding[], range: vscode.Range, bom: boolean): boolean {
  return findings.some((f) => f.fix?.preferred && toVscodeRange(f, bom).intersection(range) !== undefined);
}
