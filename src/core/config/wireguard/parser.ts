// Reads a WireGuard config the way wireguard-tools src/config.c does (config_read_line,
// process_line): everything from the first "#" is a comment, all whitespace is removed from the
// rest (not only trimmed), section headers and keys compare case-insensitively. Ranges point at the
// original text so findings and fixes land on what the user wrote.
import type { SourceLine, SourceText, TextRange } from '../sourceText';
import { SourceText as ST } from '../sourceText';

/** The two sections wg knows (config.c process_line). */
export type WireguardSection = 'Interface' | 'Peer';

/** config.c char_is_space: SP, \t, \n, \v, \f, \r. */
const WG_SPACE = /[ \t\n\v\f\r]/g;
const WG_SPACE_CHAR = /[ \t\n\v\f\r]/;

export interface WireguardEntry {
  line: SourceLine;
  /** The key as `wg` sees it (whitespace removed). */
  key: string;
  /** The value as `wg` sees it (comment cut, whitespace removed). */
  value: string;
  /** The value as wg-quick sees it: comment cut, trimmed; hooks keep the comment (linux.bash). */
  quickValue: string;
  /** The key text without surrounding whitespace, as wg-quick matches it (internal spaces kept). */
  quickKey: string;
  keyRange: TextRange;
  valueRange: TextRange;
  /** The whole entry, key to end of value. */
  range: TextRange;
}

export interface WireguardSectionNode {
  kind: WireguardSection;
  header: SourceLine;
  headerRange: TextRange;
  /** wg-quick recognises the header only when it is exactly "[Interface]" after trimming. */
  quickRecognized: boolean;
  entries: WireguardEntry[];
  /** Nearest comment above the header or on it, used as a peer's name in the outline. */
  label?: string;
  /** Last line that belongs to this section (for outline ranges). */
  endLine: number;
}

export type WireguardProblemKind = 'semicolon-comment' | 'not-key-value' | 'bad-header' | 'outside-section';

export interface WireguardLineProblem {
  kind: WireguardProblemKind;
  line: SourceLine;
  range: TextRange;
  /** For outside-section: the key. For bad-header: the header text. */
  detail: string;
}

export interface WireguardDocument {
  sections: WireguardSectionNode[];
  problems: WireguardLineProblem[];
}

function firstNonSpace(s: string, from: number, to: number): number {
  let i = from;
  while (i < to && WG_SPACE_CHAR.test(s.charAt(i))) i++;
  return i;
}

function lastNonSpaceEnd(s: string, from: number, to: number): number {
  let i = to;
  while (i > from && WG_SPACE_CHAR.test(s.charAt(i - 1))) i--;
  return i;
}

export function parseWireguard(source: SourceText): WireguardDocument {
  const sections: WireguardSectionNode[] = [];
  const problems: WireguardLineProblem[] = [];
  let current: WireguardSectionNode | undefined;
  let pendingComment: string | undefined;

  for (const line of source.lines) {
    const text = line.text;
    const hash = text.indexOf('#');
    const contentEnd = hash < 0 ? text.length : hash;
    const cleaned = text.slice(0, contentEnd).replace(WG_SPACE, '');
    if (cleaned === '') {
      const comment = hash >= 0 ? text.slice(hash + 1).trim() : '';
      pendingComment = comment !== '' ? comment : hash >= 0 ? pendingComment : undefined;
      continue;
    }
    const start = firstNonSpace(text, 0, contentEnd);
    const end = lastNonSpaceEnd(text, start, contentEnd);
    const range = ST.span(line.number, start, end);
    // A header ends the previous section; any other line belongs to the current one.
    if (current && !cleaned.startsWith('[')) current.endLine = line.number;

    if (cleaned.startsWith('[')) {
      const lower = cleaned.toLowerCase();
      if (lower === '[interface]' || lower === '[peer]') {
        const kind: WireguardSection = lower === '[interface]' ? 'Interface' : 'Peer';
        const trailing = hash >= 0 ? text.slice(hash + 1).trim() : '';
        const node: WireguardSectionNode = {
          kind,
          header: line,
          headerRange: range,
          // linux.bash: [[ $key == "[Interface]" ]] on the trimmed text, under nocasematch.
          quickRecognized: text.slice(start, end).toLowerCase() === '[interface]',
          entries: [],
          endLine: line.number,
        };
        const label = trailing !== '' ? trailing : pendingComment;
        if (label !== undefined) node.label = label;
        sections.push(node);
        current = node;
      } else {
        problems.push({ kind: 'bad-header', line, range, detail: text.slice(start, end) });
      }
      pendingComment = undefined;
      continue;
    }
    pendingComment = undefined;

    const eq = text.indexOf('=', start);
    if (eq < 0 || eq >= contentEnd) {
      problems.push({ kind: cleaned.startsWith(';') ? 'semicolon-comment' : 'not-key-value', line, range, detail: '' });
      continue;
    }
    const keyEnd = lastNonSpaceEnd(text, start, eq);
    const valueStart = firstNonSpace(text, eq + 1, contentEnd);
    const valueEnd = lastNonSpaceEnd(text, valueStart, contentEnd);
    const key = text.slice(start, keyEnd).replace(WG_SPACE, '');
    if (!current) {
      problems.push({ kind: 'outside-section', line, range, detail: key });
      continue;
    }
    const afterEq = text.slice(eq + 1);
    current.entries.push({
      line,
      key,
      value: text.slice(valueStart, valueEnd).replace(WG_SPACE, ''),
      quickValue: /^(pre|post)(up|down)$/i.test(key) ? afterEq.trim() : text.slice(valueStart, valueEnd),
      quickKey: text.slice(start, keyEnd),
      keyRange: ST.span(line.number, start, keyEnd),
      valueRange: ST.span(line.number, valueStart, Math.max(valueStart, valueEnd)),
      range,
    });
  }
  return { sections, problems };
}
