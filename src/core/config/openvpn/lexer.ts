// OpenVPN's config lexer, after src/openvpn/options.c (2.6): read_config_file reads lines with
// fgets into a 256-byte buffer (OPTION_LINE_SIZE) and rejects a line that fills it; parse_line
// splits on whitespace into at most 16 parameters (MAX_PARMS), honours "…" and '…' quoting and
// backslash escapes of \, " and whitespace outside single quotes, and starts a comment with "#" or
// ";" only at the start of a token. A line whose only token is <tag> opens an inline block that
// ends at the first line whose left-trimmed text starts with </tag> (check_inline_file,
// read_inline_file). A leading "--" on the option name is dropped (bypass_doubledash).
import type { SourceLine, SourceText, TextRange } from '../sourceText';
import { SourceText as ST } from '../sourceText';

export const OPTION_LINE_SIZE = 256;
const MAX_PARMS = 16;

export interface OpenvpnToken {
  /** The parameter after unquoting and unescaping. */
  value: string;
  range: TextRange;
  quoted: boolean;
}

export interface OpenvpnDirective {
  line: SourceLine;
  /** Option name without a leading "--". */
  name: string;
  nameToken: OpenvpnToken;
  args: OpenvpnToken[];
  /** From the option name to the end of the last parameter. */
  range: TextRange;
  /** The inline block this directive is, when it came from <name>…</name>. */
  inline?: OpenvpnInlineBlock;
  /** Index of the <connection> block holding it, if any. */
  connection?: number;
}

export interface OpenvpnInlineBlock {
  tag: string;
  open: SourceLine;
  /** Undefined when the end tag is missing. */
  close?: SourceLine;
  /** Lines between the tags (their text is secret material for key/secret/tls-* blocks). */
  contentLines: SourceLine[];
}

export type OpenvpnLexProblemKind = 'line-too-long' | 'unterminated-quote' | 'bad-backslash' | 'missing-end-tag';

export interface OpenvpnLexProblem {
  kind: OpenvpnLexProblemKind;
  range: TextRange;
  detail: string;
}

export interface OpenvpnDocument {
  directives: OpenvpnDirective[];
  inlineBlocks: OpenvpnInlineBlock[];
  problems: OpenvpnLexProblem[];
}

/** options.c space(): isspace or NUL. */
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f' || c === '\0';
}

type LineLex = { ok: true; tokens: OpenvpnToken[] } | { ok: false; kind: OpenvpnLexProblemKind; detail: string };

const SIMPLE_LINE = /^[^"'\\\0]*$/;
const SIMPLE_TOKEN = /[^ \t\n\v\f\r]+/g;

/** parse_line() of options.c, with positions. */
export function lexLine(text: string, lineNumber: number): LineLex {
  // Fast path for the common line without quotes or backslashes: whitespace-separated tokens,
  // a token starting with "#" or ";" ends the line. Same result as the state machine below.
  if (SIMPLE_LINE.test(text)) {
    const tokens: OpenvpnToken[] = [];
    SIMPLE_TOKEN.lastIndex = 0;
    for (let m = SIMPLE_TOKEN.exec(text); m !== null && tokens.length < MAX_PARMS; m = SIMPLE_TOKEN.exec(text)) {
      const c = m[0].charCodeAt(0);
      if (c === 35 || c === 59) break; // '#' or ';'
      tokens.push({ value: m[0], range: ST.span(lineNumber, m.index, m.index + m[0].length), quoted: false });
    }
    return { ok: true, tokens };
  }
  return lexLineSlow(text, lineNumber);
}

function lexLineSlow(text: string, lineNumber: number): LineLex {
  const tokens: OpenvpnToken[] = [];
  let state: 'initial' | 'unquoted' | 'dquoted' | 'squoted' = 'initial';
  let backslash = false;
  let parm = '';
  let parmStart = 0;
  let quoted = false;
  const finish = (endExclusive: number): void => {
    tokens.push({ value: parm, range: ST.span(lineNumber, parmStart, endExclusive), quoted });
    parm = '';
    state = 'initial';
    quoted = false;
  };
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charAt(i) : '\0';
    let out = '';
    if (!backslash && c === '\\' && state !== 'squoted') {
      backslash = true;
      if (state === 'initial') parmStart = i;
      continue;
    }
    let done = false;
    if (state === 'initial') {
      if (!isSpace(c)) {
        if (c === ';' || c === '#') break;
        if (!backslash) parmStart = i;
        if (!backslash && c === '"') { state = 'dquoted'; quoted = true; }
        else if (!backslash && c === "'") { state = 'squoted'; quoted = true; }
        else { out = c; state = 'unquoted'; }
      }
    } else if (state === 'unquoted') {
      if (!backslash && isSpace(c)) done = true;
      else out = c;
    } else if (state === 'dquoted') {
      if (!backslash && c === '"') done = true;
      else out = c;
    } else {
      if (c === "'") done = true;
      else out = c;
    }
    if (done) finish(state === 'unquoted' ? i : i + 1);
    if (backslash && out !== '' && !(out === '\\' || out === '"' || isSpace(out))) {
      return { ok: false, kind: 'bad-backslash', detail: `\\${out}` };
    }
    backslash = false;
    if (out !== '' && out !== '\0') parm += out;
    if (tokens.length >= MAX_PARMS) break;
    if (c === '\0' && i >= text.length) break;
  }
  if (state === 'dquoted') return { ok: false, kind: 'unterminated-quote', detail: '"' };
  if (state === 'squoted') return { ok: false, kind: 'unterminated-quote', detail: "'" };
  // A trailing backslash escapes the line's own newline (which fgets keeps), so OpenVPN ends the
  // parameter there; keep it rather than losing it.
  if (state === 'unquoted' && tokens.length < MAX_PARMS) finish(text.length);
  return { ok: true, tokens };
}

/** Byte length of a string in UTF-8 (fgets counts bytes). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

export function lexOpenvpn(source: SourceText): OpenvpnDocument {
  const directives: OpenvpnDirective[] = [];
  const inlineBlocks: OpenvpnInlineBlock[] = [];
  const problems: OpenvpnLexProblem[] = [];
  const lines = source.lines;
  let connection: number | undefined;
  let connectionCount = 0;

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li] as SourceLine;
    // fgets(256) reads at most 255 bytes; read_config_file rejects a line that fills them without
    // reaching its "\n" ("Maximum option line length (256) exceeded"). So 255 bytes before the
    // newline (a "\r" of CRLF counts) are too many; 254 pass (both verified with 2.6.14).
    // (A UTF-16 unit is at most 3 UTF-8 bytes, so short lines need no byte count.)
    if (line.text.length * 3 + 1 >= OPTION_LINE_SIZE - 1 && utf8Length(line.text) + (line.eol === '\r\n' ? 1 : 0) >= OPTION_LINE_SIZE - 1) {
      problems.push({ kind: 'line-too-long', range: ST.span(line.number, 0, line.text.length), detail: String(utf8Length(line.text)) });
      continue;
    }
    const lexed = lexLine(line.text, line.number);
    if (!lexed.ok) {
      problems.push({ kind: lexed.kind, range: ST.span(line.number, 0, line.text.length), detail: lexed.detail });
      continue;
    }
    const tokens = lexed.tokens;
    const first = tokens[0];
    if (!first) continue;

    // check_inline_file: the only token is <tag>.
    if (tokens.length === 1 && !first.quoted && first.value.length > 2 && first.value.startsWith('<') && first.value.endsWith('>')) {
      const tag = first.value.slice(1, -1);
      if (tag === '/connection' && connection !== undefined) {
        connection = undefined;
        continue;
      }
      if (tag === 'connection' && connection === undefined) {
        // options.c handles <connection> by parsing its body as options of a new connection entry.
        connection = connectionCount++;
        const closeIdx = lines.findIndex((l, j) => j > li && l.text.trimStart().startsWith('</connection>'));
        if (closeIdx < 0) {
          problems.push({ kind: 'missing-end-tag', range: first.range, detail: tag });
          connection = undefined;
          break;
        }
        continue;
      }
      const closeTag = `</${tag}>`;
      const content: SourceLine[] = [];
      let close: SourceLine | undefined;
      let j = li + 1;
      for (; j < lines.length; j++) {
        const l = lines[j] as SourceLine;
        if (l.text.replace(/^[ \t\n\v\f\r]+/, '').startsWith(closeTag)) { close = l; break; }
        content.push(l);
      }
      const block: OpenvpnInlineBlock = { tag, open: line, contentLines: content };
      if (close) block.close = close;
      inlineBlocks.push(block);
      const endLine = close ?? line;
      const d: OpenvpnDirective = {
        line,
        name: tag,
        nameToken: first,
        args: [],
        range: { line: line.number, column: first.range.column, endLine: endLine.number, endColumn: endLine.text.length + 1 },
        inline: block,
      };
      if (connection !== undefined) d.connection = connection;
      directives.push(d);
      if (!close) {
        // read_inline_file: "ERROR: Endtag </tag> missing" (fatal).
        problems.push({ kind: 'missing-end-tag', range: first.range, detail: tag });
        break;
      }
      li = j;
      continue;
    }

    const name = first.value.startsWith('--') ? first.value.slice(2) : first.value;
    const last = tokens[tokens.length - 1] as OpenvpnToken;
    const d: OpenvpnDirective = {
      line,
      name,
      nameToken: first,
      args: tokens.slice(1),
      range: { line: line.number, column: first.range.column, endLine: line.number, endColumn: last.range.endColumn },
    };
    if (connection !== undefined) d.connection = connection;
    directives.push(d);
  }
  return { directives, inlineBlocks, problems };
}
