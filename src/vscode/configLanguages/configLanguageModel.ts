// The decisions of the config-language adapters that need no VS Code: position mapping, when to
// re-detect a document's language, where a completion replaces text. (Which measurement from the
// report history applies is the core's `measuredFromReports`, which `nat-doctor lint --report`
// uses too.) Pure, so test/unit/configLanguages tests them with node:test.
import { LANGUAGE_IDS, type LanguageId, type TextRange } from '../../core';

/** A 0-based range, as vscode.Range takes it. */
export interface ZeroBasedRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/**
 * Engine ranges are 1-based, end-exclusive UTF-16 columns counted after a leading BOM. VS Code
 * usually strips the BOM when it decodes a file; when the editor text still starts with U+FEFF,
 * the first line's columns shift by one.
 */
export function toZeroBased(range: TextRange, textStartsWithBom: boolean): ZeroBasedRange {
  const shift = (line: number): number => (textStartsWithBom && line === 1 ? 1 : 0);
  return {
    startLine: Math.max(0, range.line - 1),
    startCharacter: Math.max(0, range.column - 1 + shift(range.line)),
    endLine: Math.max(0, range.endLine - 1),
    endCharacter: Math.max(0, range.endColumn - 1 + shift(range.endLine)),
  };
}

/** The inverse for a cursor: a 0-based character → the engine's 1-based column. */
export function toEngineColumn(line: number, character: number, textStartsWithBom: boolean): number {
  return character + 1 - (textStartsWithBom && line === 0 ? 1 : 0);
}

export function isConfigLanguage(languageId: string): languageId is LanguageId {
  return (LANGUAGE_IDS as readonly string[]).includes(languageId);
}

/** Diff views, SCM and output buffers show copies of a file: their diagnostics would be duplicates. */
const NOT_LINTED_SCHEMES = new Set(['git', 'gitfs', 'output', 'debug', 'vscode-scm', 'vscode-chat-code-block', 'comment', 'review']);

export function isLintedScheme(scheme: string): boolean {
  return !NOT_LINTED_SCHEMES.has(scheme);
}

/** Languages VS Code gives a `.conf` nobody claimed (the built-in ini extension takes `.conf`). */
const GENERIC_LANGUAGES = new Set(['plaintext', 'properties', 'ini']);

/** Whether a document is worth a content sniff at all (most are not: the lint engine stays unloaded). */
export function mayRedetect(currentLanguageId: string, fileName: string): boolean {
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? '';
  if (GENERIC_LANGUAGES.has(currentLanguageId)) return !base.includes('.') || /\.(conf|cfg|txt)$/i.test(base);
  return base === 'ipsec.conf' && (currentLanguageId === 'strongswan' || currentLanguageId === 'libreswan');
}

/**
 * The language to switch a freshly opened document to, or undefined to leave it: a generic
 * language becomes what the content sniff is sure of; `ipsec.conf` may move between strongSwan
 * and libreswan (one file name, two dialects). Nothing else is overridden: the user (or
 * files.associations) chose it.
 */
export function redetectedLanguage(currentLanguageId: string, fileName: string, detected: LanguageId | undefined): LanguageId | undefined {
  if (!detected || detected === currentLanguageId) return undefined;
  if (GENERIC_LANGUAGES.has(currentLanguageId)) return detected;
  const base = fileName.replace(/\\/g, '/').split('/').pop() ?? '';
  const ipsecFlavours: readonly string[] = ['strongswan', 'libreswan'];
  if (base === 'ipsec.conf' && ipsecFlavours.includes(currentLanguageId) && ipsecFlavours.includes(detected)) return detected;
  return undefined;
}

/**
 * Where a completion starts on a line, given the text before the cursor: at the first non-blank
 * character when everything typed so far could be the start of a key, option or `[Section]`;
 * undefined after "=" or a space following the option (a value, where we offer nothing).
 */
export function completionStart(language: LanguageId, linePrefix: string): number | undefined {
  const shape = language === 'wireguard' ? /^(\s*)(\[?[A-Za-z]*\]?)$/
    : language === 'openvpn' ? /^(\s*)(<?[A-Za-z0-9-]*)$/
    : /^(\s*)([A-Za-z0-9_.-]*)$/;
  const m = shape.exec(linePrefix);
  return m ? (m[1] as string).length : undefined;
}

/** docs/rules.md → the 1-based line of each rule's `### format/rule-id` heading. */
export function ruleHeadingLines(markdown: string): Map<string, number> {
  const lines = new Map<string, number>();
  markdown.split('\n').forEach((text, i) => {
    const m = /^###\s+([a-z]+\/[a-z0-9-]+)\s*$/.exec(text.replace(/\r$/, ''));
    if (m && !lines.has(m[1] as string)) lines.set(m[1] as string, i + 1);
  });
  return lines;
}

/** A document bigger than this is not read into a string for hovers, completion, symbols or lenses. */
export const EDITOR_FEATURE_MAX_CHARS = 1024 * 1024;
