// Hovers, completion and the outline for the four config languages, mapped one to one from the
// engine's plain data (src/core/lint/editorData.ts). Hovers show keys and options only: the engine
// gives no hover over a value, and the text we build holds the key's documentation, never the
// line's content, so a private key on that line cannot appear.
import * as vscode from 'vscode';
import type { DocumentSymbolData, SymbolKind } from '../../core';
import { completionStart, EDITOR_FEATURE_MAX_CHARS, isConfigLanguage, toEngineColumn } from './configLanguageModel';
import { documentLength, toVscodeRange } from './lintDiagnostics';
import { loadLintEngine } from './lintEngine';

function startsWithBom(document: vscode.TextDocument): boolean {
  return document.lineAt(0).text.startsWith('\uFEFF');
}

/** The document's text, or undefined when it is too big to be a config (nothing is copied then). */
function smallText(document: vscode.TextDocument): string | undefined {
  return documentLength(document) > EDITOR_FEATURE_MAX_CHARS ? undefined : document.getText();
}

/** The built-in "Change Language Mode" picker: how a user switches strongSwan ↔ libreswan. */
const CHANGE_LANGUAGE = 'workbench.action.editor.changeLanguageMode';

/**
 * ipsec.conf has two readers: say which one this document is linted as, why, and how to switch
 * (appended to keyword hovers, and alone on section header lines). Undefined for other files.
 */
function dialectNote(document: vscode.TextDocument, language: string): vscode.MarkdownString | undefined {
  if (language !== 'strongswan' && language !== 'libreswan') return undefined;
  const text = smallText(document);
  if (text === undefined) return undefined;
  const fileName = document.uri.scheme === 'file' ? document.fileName : document.uri.path;
  const why = loadLintEngine().explainIpsecDialect(fileName, text, language);
  if (why === undefined) return undefined;
  const other = language === 'libreswan' ? 'strongSwan' : 'libreswan';
  const markdown = new vscode.MarkdownString();
  markdown.isTrusted = { enabledCommands: [CHANGE_LANGUAGE] };
  markdown.appendMarkdown(`**${vscode.l10n.t('ipsec.conf read as {0}', language === 'libreswan' ? 'libreswan' : 'strongSwan')}** — `);
  markdown.appendText(`${why.replace(/^(strongSwan|libreswan)(, )?/, '')}.`);
  markdown.appendMarkdown(`\n\n[${vscode.l10n.t('Read it as {0} instead…', other)}](command:${CHANGE_LANGUAGE} "${vscode.l10n.t('Change Language Mode')}")`);
  return markdown;
}

export class ConfigHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const language = document.languageId;
    if (!isConfigLanguage(language)) return undefined;
    const bom = startsWithBom(document);
    const lineText = document.lineAt(position.line).text;
    const engineLine = bom && position.line === 0 ? lineText.slice(1) : lineText;
    const { getHoverTarget, getOptionDoc } = loadLintEngine();
    const header = /^(config|conn|ca)\s+\S+/.exec(engineLine);
    if (header && (language === 'strongswan' || language === 'libreswan')) {
      const note = dialectNote(document, language);
      return note ? new vscode.Hover(note, new vscode.Range(position.line, 0, position.line, lineText.length)) : undefined;
    }
    const target = getHoverTarget(language, engineLine, toEngineColumn(position.line, position.character, bom));
    if (!target) return undefined;
    const doc = getOptionDoc(language, target.key);
    if (!doc) return undefined;
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown('**');
    markdown.appendText(doc.key);
    markdown.appendMarkdown('**\n\n');
    markdown.appendText(doc.summary);
    if (doc.syntax) markdown.appendMarkdown('\n\n').appendCodeblock(doc.syntax, language);
    if (doc.defaultText) {
      markdown.appendMarkdown('\n\n');
      markdown.appendText(vscode.l10n.t('Default: {0}', doc.defaultText));
    }
    markdown.appendMarkdown('\n\n');
    markdown.appendText(vscode.l10n.t('See {0}', doc.manSection));
    const note = dialectNote(document, language);
    const range = toVscodeRange({ line: position.line + 1, column: target.column, endLine: position.line + 1, endColumn: target.endColumn }, bom);
    return new vscode.Hover(note ? [markdown, note] : markdown, range);
  }
}

export class ConfigCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = ['['];

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const language = document.languageId;
    if (!isConfigLanguage(language)) return undefined;
    const prefix = document.lineAt(position.line).text.slice(0, position.character);
    const start = completionStart(language, prefix);
    if (start === undefined) return undefined;
    const text = smallText(document);
    if (text === undefined) return undefined;
    const replace = new vscode.Range(position.line, start, position.line, position.character);
    return loadLintEngine().getCompletions(language, text, position.line + 1).map((data) => {
      const item = new vscode.CompletionItem(data.label, data.label.startsWith('[') ? vscode.CompletionItemKind.Module : vscode.CompletionItemKind.Property);
      item.insertText = new vscode.SnippetString(data.snippet);
      item.detail = data.detail;
      if (data.documentation) item.documentation = new vscode.MarkdownString().appendText(data.documentation);
      if (data.deprecated) item.tags = [vscode.CompletionItemTag.Deprecated];
      item.range = replace;
      return item;
    });
  }
}

const SYMBOL_KIND: Record<SymbolKind, vscode.SymbolKind> = {
  interface: vscode.SymbolKind.Interface,
  peer: vscode.SymbolKind.Object,
  connection: vscode.SymbolKind.Class,
  section: vscode.SymbolKind.Namespace,
  'inline-block': vscode.SymbolKind.Key,
};

export class ConfigSymbolProvider implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] | undefined {
    const language = document.languageId;
    if (!isConfigLanguage(language)) return undefined;
    const text = smallText(document);
    if (text === undefined) return undefined;
    const bom = text.startsWith('\uFEFF');
    const toSymbol = (data: DocumentSymbolData): vscode.DocumentSymbol => {
      const range = document.validateRange(toVscodeRange(data.range, bom));
      const selection = document.validateRange(toVscodeRange(data.selectionRange, bom));
      // VS Code rejects a symbol whose selection lies outside its range, or an empty name.
      const symbol = new vscode.DocumentSymbol(data.name || '(unnamed)', data.detail, SYMBOL_KIND[data.kind], range,
        range.contains(selection) ? selection : new vscode.Range(range.start, range.start));
      symbol.children = data.children.map(toSymbol);
      return symbol;
    };
    return loadLintEngine().getDocumentSymbols(language, text, document.uri.scheme === 'file' ? document.fileName : document.uri.path).map(toSymbol);
  }
}
