// The ipsec.conf format shared by strongSwan's starter (src/starter/parser/lexer.l, parser.y) and
// libreswan's addconn (lib/libswan/ipsecconf/parser.y): a section starts at column 0
// ("config setup", "conn NAME", "ca NAME"), its parameters are indented "key=value" lines
// (whitespace allowed around "="), "#" starts a comment, a double-quoted value keeps its spaces,
// and "include FILE" / "version N" stand at column 0.
import type { SourceLine, SourceText, TextRange } from '../sourceText';
import { SourceText as ST } from '../sourceText';

export interface IpsecSetting {
  line: SourceLine;
  key: string;
  value: string;
  keyRange: TextRange;
  valueRange: TextRange;
  range: TextRange;
  /** Leading whitespace of the line, reused by fixes that add settings. */
  indent: string;
  /** False for a bare "x-name" line without "=" (libreswan reads it as a comment, strongSwan refuses it). */
  hasEquals: boolean;
}

export type IpsecSectionKind = 'config' | 'conn' | 'ca';

export interface IpsecSection {
  kind: IpsecSectionKind;
  /** "setup" for config setup, the connection or CA name otherwise. */
  name: string;
  header: SourceLine;
  headerRange: TextRange;
  nameRange: TextRange;
  settings: IpsecSetting[];
  endLine: number;
}

export interface IpsecConfProblem {
  range: TextRange;
  message: string;
}

export interface IpsecConfDocument {
  sections: IpsecSection[];
  problems: IpsecConfProblem[];
}

/** Cuts a "#" comment that is not inside double quotes. */
function stripComment(text: string): string {
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '"') inQuote = !inQuote;
    else if (c === '#' && !inQuote) return text.slice(0, i);
  }
  return text;
}

export function parseIpsecConf(source: SourceText): IpsecConfDocument {
  const sections: IpsecSection[] = [];
  const problems: IpsecConfProblem[] = [];
  let current: IpsecSection | undefined;
  for (const line of source.lines) {
    const content = stripComment(line.text).replace(/\s+$/, '');
    if (content.trim() === '') continue;
    const indented = /^\s/.test(content);
    // Only indented lines belong to the open section; a header or include ends it.
    if (current && indented) current.endLine = line.number;
    const start = content.length - content.trimStart().length;
    const range = ST.span(line.number, start, content.length);
    if (!indented) {
      const m = /^(config|conn|ca)\s+(\S+)\s*$/.exec(content);
      if (m) {
        const kind = m[1] as IpsecSectionKind;
        const name = m[2] as string;
        const nameStart = content.lastIndexOf(name);
        current = {
          kind,
          name,
          header: line,
          headerRange: range,
          nameRange: ST.span(line.number, nameStart, nameStart + name.length),
          settings: [],
          endLine: line.number,
        };
        sections.push(current);
        if (kind === 'config' && name !== 'setup') problems.push({ range, message: `Only "config setup" exists; "config ${name}" is a syntax error.` });
        continue;
      }
      if (/^(include|version)\s+\S/.test(content)) {
        current = undefined;
        continue;
      }
      problems.push({ range, message: 'A line at the start of the line must be "config setup", "conn NAME", "ca NAME" or "include FILE"; parameters must be indented.' });
      continue;
    }
    const eq = content.indexOf('=');
    if (eq < 0 && current && /^[Xx][-_]\S+$/.test(content.trim())) {
      // libreswan's scanner takes "x-…"/"x_…" keys for comments, even without "=" (scanner.lex).
      const key = content.trim();
      current.settings.push({
        line, key, value: '', keyRange: ST.span(line.number, start, start + key.length), valueRange: ST.span(line.number, content.length, content.length),
        range, indent: content.slice(0, start), hasEquals: false,
      });
      continue;
    }
    if (eq < 0) {
      problems.push({ range, message: 'Expected an indented "key=value" line.' });
      continue;
    }
    if (!current) {
      problems.push({ range, message: 'This parameter comes before any "config setup" or "conn" section.' });
      continue;
    }
    const keyText = content.slice(start, eq);
    const key = keyText.trim();
    if (key === '' || /\s/.test(key)) {
      problems.push({ range, message: 'Expected "key=value": the key is empty or contains spaces.' });
      continue;
    }
    const valueStart = eq + 1 + (content.slice(eq + 1).length - content.slice(eq + 1).trimStart().length);
    let value = content.slice(valueStart);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    current.settings.push({
      line,
      key,
      value,
      keyRange: ST.span(line.number, start, start + key.length),
      valueRange: ST.span(line.number, valueStart, content.length),
      range,
      indent: content.slice(0, start),
      hasEquals: true,
    });
  }
  return { sections, problems };
}

/** conn sections by name (the first of each name), built once per document. */
const connsByName = new WeakMap<IpsecConfDocument, Map<string, IpsecSection>>();

function connNamed(doc: IpsecConfDocument, name: string): IpsecSection | undefined {
  let byName = connsByName.get(doc);
  if (!byName) {
    byName = new Map();
    for (const s of doc.sections) if (s.kind === 'conn' && !byName.has(s.name)) byName.set(s.name, s);
    connsByName.set(doc, byName);
  }
  return byName.get(name);
}

/** The value a conn gets for `key`: its own, then its also= parents, then conn %default. */
export function effectiveSetting(doc: IpsecConfDocument, conn: IpsecSection, key: string, seen = new Set<string>()): IpsecSetting | undefined {
  for (let i = conn.settings.length - 1; i >= 0; i--) {
    const own = conn.settings[i] as IpsecSetting;
    if (own.key === key) return own;
  }
  seen.add(conn.name);
  for (const also of conn.settings) {
    if (also.key !== 'also') continue;
    const parent = connNamed(doc, also.value);
    if (parent && !seen.has(parent.name)) {
      const v = effectiveSetting(doc, parent, key, seen);
      if (v) return v;
    }
  }
  if (conn.name !== '%default') {
    const def = connNamed(doc, '%default');
    if (def && !seen.has('%default')) return effectiveSetting(doc, def, key, seen);
  }
  return undefined;
}
