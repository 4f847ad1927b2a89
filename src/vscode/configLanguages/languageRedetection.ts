// `.conf` is claimed by VS Code's ini extension ("properties"), and one `ipsec.conf` name serves
// strongSwan and libreswan: when the engine's content sniff is sure, the document gets our language.
// Each document is re-detected once per session, so a language the user picks afterwards stays.
import * as vscode from 'vscode';
import { mayRedetect, redetectedLanguage } from './configLanguageModel';
import { loadLintEngine } from './lintEngine';

/** detectLanguage looks at most at this much of the head of a file. */
const SNIFF_CHARS = 65536;

export class LanguageRedetection implements vscode.Disposable {
  private readonly seen = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  async check(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const fileName = document.uri.scheme === 'file' ? document.fileName : document.uri.path;
    if (!mayRedetect(document.languageId, fileName)) return;
    // Only the head is copied out of the editor, whatever the file's size.
    const head = document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(SNIFF_CHARS)));
    const language = redetectedLanguage(document.languageId, fileName, loadLintEngine().detectLanguage(fileName, head, SNIFF_CHARS));
    if (!language) return;
    try {
      await vscode.languages.setTextDocumentLanguage(document, language);
      this.log.info(`${vscode.workspace.asRelativePath(document.uri)}: opened as ${document.languageId}, its content is ${language}`);
    } catch (error) {
      this.log.warn(`could not set the language of ${vscode.workspace.asRelativePath(document.uri)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * A document closed for good may be re-detected when opened again. A language change (ours, or
   * the user's from the status bar) also closes and reopens the document, but its tab stays: then
   * the mark stays too, so the user's choice is not undone.
   */
  forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const shown = vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) =>
      tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key));
    if (!shown) this.seen.delete(key);
  }

  dispose(): void {
    this.seen.clear();
  }
}
