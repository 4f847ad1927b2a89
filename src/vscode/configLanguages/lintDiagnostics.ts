// Diagnostics for WireGuard, OpenVPN, strongSwan and libreswan documents: one collection per
// language, refreshed on open, on change (debounced) and cleared on close; every finding links to
// its section of docs/rules.md (packaged with the extension). The findings of the last run are kept
// per document so code actions reuse them instead of linting again.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { ruleDocUrl, sameMeasured, MAX_LINT_BYTES, LANGUAGE_IDS, type Finding, type LanguageId, type MeasuredNat, type Severity, type TextRange } from '../../core';
import { isConfigLanguage, isLintedScheme, ruleHeadingLines, toZeroBased } from './configLanguageModel';
import { loadLintEngine } from './lintEngine';

export const DIAGNOSTIC_SOURCE = 'NAT Doctor';

/**
 * Edits closer together than this (a paste, multi-cursor typing, a fast typist) lint once. Short
 * enough for diagnostics updated ≤ 100 ms after typing stops (test/vscode/suite/
 * configLanguages.suite.ts) with the lint of a 10,000-line file (≤ 20 ms, bench/lint.bench.mjs) and
 * the trip to the renderer on top.
 */
export const LINT_DEBOUNCE_MS = 50;

export interface LintSettings {
  enabled: boolean;
  disabledRules: readonly string[];
}

interface LintResult {
  version: number;
  language: LanguageId;
  findings: Finding[];
  bom: boolean;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toVscodeRange(range: TextRange, bom: boolean): vscode.Range {
  const r = toZeroBased(range, bom);
  return new vscode.Range(r.startLine, r.startCharacter, r.endLine, r.endCharacter);
}

/** UTF-16 length of a document without copying its text. */
export function documentLength(document: vscode.TextDocument): number {
  return document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
}

export class LintDiagnostics implements vscode.Disposable {
  private readonly collections = new Map<LanguageId, vscode.DiagnosticCollection>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, LintResult>();
  private measured: MeasuredNat | undefined;
  private headingLines: ReadonlyMap<string, number> | undefined;

  constructor(
    /** The packaged docs/rules.md: Diagnostic.code links to its sections. */
    private readonly rulesDocUri: vscode.Uri,
    private settings: LintSettings,
  ) {
    for (const language of LANGUAGE_IDS) this.collections.set(language, vscode.languages.createDiagnosticCollection(`natDoctor.${language}`));
  }

  /** Lints every open document now (start-up, settings change, a new diagnosis). */
  lintOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) this.lintNow(document);
  }

  setSettings(settings: LintSettings): void {
    this.settings = settings;
    this.lintOpenDocuments();
  }

  /** A diagnosis measured the NAT: messages and fixes of open configs now name it. */
  setMeasured(measured: MeasuredNat | undefined): void {
    if (sameMeasured(this.measured, measured)) return;
    this.measured = measured;
    this.lintOpenDocuments();
  }

  schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.lintNow(document);
    }, LINT_DEBOUNCE_MS));
  }

  lintNow(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (document.isClosed) return;
    const language = document.languageId;
    if (!isConfigLanguage(language) || !isLintedScheme(document.uri.scheme) || !this.settings.enabled) {
      this.forget(document.uri);
      return;
    }
    const result = this.run(document, language);
    for (const [id, collection] of this.collections) if (id !== language) collection.delete(document.uri);
    this.collections.get(language)?.set(document.uri, result.findings.map((f) => this.toDiagnostic(f, result.bom)));
  }

  /** Findings for the document's current text (linted again only when it changed since). */
  findings(document: vscode.TextDocument): { findings: Finding[]; bom: boolean } {
    const language = document.languageId;
    if (!isConfigLanguage(language) || !this.settings.enabled) return { findings: [], bom: false };
    const cached = this.results.get(document.uri.toString());
    if (cached && cached.version === document.version && cached.language === language) return cached;
    return this.run(document, language);
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.results.delete(key);
    for (const collection of this.collections.values()) collection.delete(uri);
  }

  private run(document: vscode.TextDocument, language: LanguageId): LintResult {
    // A file over the engine's size guard gets its one finding without its text being copied out
    // of the editor (UTF-16 units ≤ UTF-8 bytes, so the guard trips whenever the length does).
    const length = documentLength(document);
    const tooLarge = length > MAX_LINT_BYTES;
    const text = tooLarge ? '' : document.getText();
    const findings = loadLintEngine().lint(text, {
      language,
      fileName: document.uri.scheme === 'file' ? document.fileName : document.uri.path,
      ...(this.measured ? { measured: this.measured } : {}),
      disabledRules: this.settings.disabledRules,
    }, tooLarge ? length : undefined);
    const result: LintResult = { version: document.version, language, findings, bom: text.startsWith('\uFEFF') };
    this.results.set(document.uri.toString(), result);
    return result;
  }

  private toDiagnostic(finding: Finding, bom: boolean): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(toVscodeRange(finding, bom), finding.message, SEVERITY[finding.severity]);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = { value: finding.ruleId, target: this.ruleTarget(finding.ruleId) };
    return diagnostic;
  }

  /**
   * The rule's section of the packaged docs/rules.md. VS Code opens a file link with a `#L<line>`
   * fragment at that line, and ignores a heading anchor there; so the line of the rule's heading
   * when the file can be read, else the anchor ruleDocUrl gives (right in a Markdown preview).
   */
  private ruleTarget(ruleId: string): vscode.Uri {
    if (this.headingLines === undefined) {
      try {
        this.headingLines = ruleHeadingLines(fs.readFileSync(this.rulesDocUri.fsPath, 'utf8'));
      } catch {
        this.headingLines = new Map();
      }
    }
    const line = this.headingLines.get(ruleId);
    return line !== undefined ? this.rulesDocUri.with({ fragment: `L${line}` }) : vscode.Uri.parse(ruleDocUrl(ruleId, this.rulesDocUri.toString()));
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.results.clear();
    for (const collection of this.collections.values()) collection.dispose();
  }
}
