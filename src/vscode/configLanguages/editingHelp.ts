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

export class ConfigHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const language = document.languageId;
    if (!isConfigLanguage(language)) return undefined;
    const bom = startsWithBom(document);
    const lineText = document.lineAt(position.line).text;
    const engineLine = bom && position.line === 0 ? lineText.slice(1) : lineText;
    const { getHoverTarget, getOptionDoc } = loadLintEngine();
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
    const range = toVscodeRange({ line: position.line + 1, column: target.column, endLine: position.line + 1, endColumn: target.endColumn }, bom);
    return new vscode.Hover(markdown, range);
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
