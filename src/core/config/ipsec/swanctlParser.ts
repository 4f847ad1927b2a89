// swanctl.conf uses the strongswan.conf syntax (src/libstrongswan/settings/settings_parser.y):
// "name {" opens a section, "}" closes it, "key = value" sets a value, "#" starts a comment,
// "include FILE" pulls in files. Each setting needs its own line: "local { auth = psk id = x }"
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

export interface SwanctlSection {
  name: string;
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
    name: '', line: first ?? { number: 1, text: '', eol: '' }, nameRange: ST.span(1, 0, 0), path: [], settings: [], children: [], endLine: source.lines.length, childIndent: '',
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
    const open = /^([^\s={}]+)\s*\{\s*(.*)$/.exec(body);
    if (open) {
      const name = open[1] as string;
      const rest = open[2] as string;
      const section: SwanctlSection = {
        name, line, nameRange: ST.span(line.number, start, start + name.length), path: [...top.path, top.name].filter((p) => p !== ''),
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
