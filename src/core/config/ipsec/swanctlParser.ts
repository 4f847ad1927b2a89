// swanctl.conf uses the strongswan.conf syntax (src/libstrongswan/settings/settings_parser.y):
// "name {" opens a section, "}" closes it, "key = value" sets a value, "#" starts a comment,
// "include FILE" pulls in files, and "name : other.section, … {" opens a section that inherits the
// settings and subsections of the referenced ones (strongswan.conf(5), since 5.7.0). Each setting needs its own line: "local { auth = psk id = x }"
// is refused by swanctl --load-all ("invalid value for: auth", verified).
import type { SourceLine, SourceText, TextRange } from '../sourceText';
import { SourceText as ST } from '../sourceText';

export interface SwanctlSetting {
  line: SourceLine;
  key: string;
  value: string;
  keyRange: TextRange;
  valueRange: TextRange;
  range: TextRange;
}

export interface SwanctlReference {
  /** Dotted path from the top of the file, e.g. "connections.nat-t". */
  path: string;
  range: TextRange;
}

export interface SwanctlSection {
  name: string;
  /** Sections this one inherits from ("name : a.b, c.d {"), in order. */
  references: SwanctlReference[];
  line: SourceLine;
  nameRange: TextRange;
  /** Dotted path of parents, e.g. ["connections", "rw"]. */
  path: string[];
  settings: SwanctlSetting[];
  children: SwanctlSection[];
  endLine: number;
  /** Indentation one level deeper than the header, for fixes. */
  childIndent: string;
}

export interface SwanctlDocument {
  root: SwanctlSection;
  problems: { range: TextRange; message: string }[];
}

export function parseSwanctl(source: SourceText): SwanctlDocument {
  const first = source.lines[0];
  const root: SwanctlSection = {
    name: '', references: [], line: first ?? { number: 1, text: '', eol: '' }, nameRange: ST.span(1, 0, 0), path: [], settings: [], children: [], endLine: source.lines.length, childIndent: '',
  };
  const stack: SwanctlSection[] = [root];
  const problems: { range: TextRange; message: string }[] = [];
  for (const line of source.lines) {
    const hash = line.text.indexOf('#');
    const content = (hash < 0 ? line.text : line.text.slice(0, hash)).replace(/\s+$/, '');
    const start = content.length - content.trimStart().length;
    const body = content.trim();
    if (body === '') continue;
    const range = ST.span(line.number, start, content.length);
    const top = stack[stack.length - 1] as SwanctlSection;
    if (body === '}') {
      if (stack.length === 1) problems.push({ range, message: 'This "}" closes no section.' });
      else { top.endLine = line.number; stack.pop(); }
      continue;
    }
    const open = /^([^\s={}:]+)\s*(?::([^={}]*))?\{\s*(.*)$/.exec(body);
    if (open) {
      const name = open[1] as string;
      const refText = open[2];
      const rest = open[3] as string;
      const references: SwanctlReference[] = [];
      if (refText !== undefined) {
        let offset = content.indexOf(':', start) + 1;
        for (const part of refText.split(',')) {
          const path = part.trim();
          const at = content.indexOf(path, offset);
          offset += part.length + 1;
          if (path === '' || /\s/.test(path)) {
            problems.push({ range, message: 'A section reference is "name : other.section {" with dotted section names separated by commas.' });
            continue;
          }
          references.push({ path, range: ST.span(line.number, at, at + path.length) });
        }
      }
      const section: SwanctlSection = {
        name, references, line, nameRange: ST.span(line.number, start, start + name.length), path: [...top.path, top.name].filter((p) => p !== ''),
        settings: [], children: [], endLine: line.number, childIndent: `${content.slice(0, start)}    `,
      };
      top.children.push(section);
      stack.push(section);
      if (rest === '}') { stack.pop(); continue; }
      if (rest !== '') problems.push({ range, message: 'Put each setting of a section on its own line; swanctl refuses settings on the "{" line ("invalid value").' });
      continue;
    }
    if (/^include\s+\S/.test(body)) continue;
    const eq = content.indexOf('=');
    if (eq < 0) {
      problems.push({ range, message: 'Expected "key = value", "name {" or "}".' });
      continue;
    }
    const key = content.slice(start, eq).trim();
    if (key === '' || /\s/.test(key)) {
      problems.push({ range, message: 'Expected "key = value": the key is empty or contains spaces.' });
      continue;
    }
    const after = content.slice(eq + 1);
    const valueStart = eq + 1 + (after.length - after.trimStart().length);
    let value = content.slice(valueStart);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    top.settings.push({
      line, key, value,
      keyRange: ST.span(line.number, start, start + key.length),
      valueRange: ST.span(line.number, valueStart, content.length),
      range,
    });
  }
  for (const open of stack.slice(1)) {
    problems.push({ range: open.nameRange, message: `Section "${open.name}" is never closed with "}".` });
  }
  return { root, problems };
}

/** The sections at a dotted path from the top of the file (repeated sections are all returned). */
export function findSwanctlSections(doc: SwanctlDocument, path: string): SwanctlSection[] {
  let level: SwanctlSection[] = [doc.root];
  for (const name of path.split('.')) {
    level = level.flatMap((s) => s.children.filter((c) => c.name === name));
    if (level.length === 0) break;
  }
  return level;
}

/**
 * The value `section` gets for `key`: its own last one, else the first found in the sections it
 * references, in order and recursively (settings_parser.y: references are looked up after the
 * section's own settings).
 */
export function swanctlSetting(doc: SwanctlDocument, section: SwanctlSection, key: string, seen = new Set<SwanctlSection>()): SwanctlSetting | undefined {
  const own = [...section.settings].reverse().find((s) => s.key === key);
  if (own || seen.has(section)) return own;
  seen.add(section);
  for (const ref of section.references) {
    for (const target of findSwanctlSections(doc, ref.path).reverse()) {
      const inherited = swanctlSetting(doc, target, key, seen);
      if (inherited) return inherited;
    }
  }
  return undefined;
}
