// The document as lines, the way the VPN tools read it: they split on "\n" (fgets/getline/`read`),
// and a "\r" before it is whitespace to them. Columns skip a leading UTF-8 byte-order mark, as VS
// Code does (it never shows the BOM as part of the text). Every config parser reads through this
// class, so the linter, the probes and the editor see the same lines.

/**
 * A range in the document. Lines and columns are 1-based; columns count UTF-16 code units (as VS
 * Code does) after a leading byte-order mark, and the end is exclusive (the column just past the
 * last character), so an insertion point has start === end.
 */
export interface TextRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface TextEdit extends TextRange {
  text: string;
}

const BOM = '\uFEFF';

export interface SourceLine {
  /** 1-based line number. */
  number: number;
  /** The line without its line ending (a "\r" before "\n" belongs to the ending). */
  text: string;
  /** "\n", "\r\n", or "" on a last line without one. */
  eol: string;
}

export class SourceText {
  readonly lines: SourceLine[];
  readonly hasBom: boolean;
  /** The line ending a fix should use for new lines: the file's first one, else "\n". */
  readonly eol: string;

  constructor(readonly raw: string) {
    this.hasBom = raw.startsWith(BOM);
    const body = this.hasBom ? raw.slice(1) : raw;
    this.lines = [];
    let start = 0;
    let n = 1;
    while (start <= body.length) {
      const nl = body.indexOf('\n', start);
      if (nl < 0) {
        // A file ending in "\n" has no extra empty line, like fgets sees it.
        if (start < body.length || n === 1) this.lines.push({ number: n, text: body.slice(start), eol: '' });
        break;
      }
      const cr = nl > start && body.charCodeAt(nl - 1) === 13;
      this.lines.push({ number: n, text: body.slice(start, cr ? nl - 1 : nl), eol: cr ? '\r\n' : '\n' });
      n++;
      start = nl + 1;
    }
    const firstEol = this.lines.find((l) => l.eol !== '');
    this.eol = firstEol ? firstEol.eol : '\n';
  }

  line(n: number): SourceLine | undefined {
    return this.lines[n - 1];
  }

  /** A range on one line, from 0-based string offsets within that line. */
  static span(line: number, start: number, end: number): TextRange {
    return { line, column: start + 1, endLine: line, endColumn: end + 1 };
  }

  /** The whole text of a line (without its ending). */
  lineRange(line: SourceLine): TextRange {
    return SourceText.span(line.number, 0, line.text.length);
  }

  /** An edit that adds `newLine` as a new line right after `after`, keeping every other byte. */
  insertLineAfter(after: SourceLine, newLine: string): TextEdit {
    const at = after.text.length + 1;
    // A last line without an ending gets one in front of the new line; otherwise the new line
    // takes the same ending as the line it follows.
    const text = after.eol === '' ? this.eol + newLine : after.eol + newLine;
    if (after.eol === '') return { line: after.number, column: at, endLine: after.number, endColumn: at, text };
    // Insert at the start of the next line so that the edit sits entirely after `after`'s ending.
    return { line: after.number + 1, column: 1, endLine: after.number + 1, endColumn: 1, text: newLine + after.eol };
  }

  /** An edit that removes a whole line including its ending. */
  deleteLine(line: SourceLine): TextEdit {
    if (line.eol !== '') return { line: line.number, column: 1, endLine: line.number + 1, endColumn: 1, text: '' };
    const prev = this.line(line.number - 1);
    if (prev) {
      return { line: prev.number, column: prev.text.length + 1, endLine: line.number, endColumn: line.text.length + 1, text: '' };
    }
    return { line: line.number, column: 1, endLine: line.number, endColumn: line.text.length + 1, text: '' };
  }
}

/** Offset in `raw` (BOM included) of a 1-based line/column, or -1 when out of range. */
function offsetOf(raw: string, lineStarts: number[], line: number, column: number): number {
  const start = lineStarts[line - 1];
  if (start === undefined) {
    // One past the last line is allowed for the end of an insertion after a final newline.
    return line === lineStarts.length + 1 && column === 1 ? raw.length : -1;
  }
  return start + column - 1;
}

/**
 * Applies non-overlapping edits to a text (the way an editor would) — used by tests and by anyone
 * applying `fix.edits` outside VS Code. Throws on overlapping or out-of-range edits.
 */
export function applyEdits(raw: string, edits: readonly TextEdit[]): string {
  const bom = raw.startsWith(BOM) ? 1 : 0;
  const lineStarts: number[] = [bom];
  for (let i = bom; i < raw.length; i++) if (raw.charCodeAt(i) === 10) lineStarts.push(i + 1);
  if (lineStarts.length > 1 && lineStarts[lineStarts.length - 1] === raw.length) lineStarts.pop();
  const spans = edits
    .map((e) => ({ from: offsetOf(raw, lineStarts, e.line, e.column), to: offsetOf(raw, lineStarts, e.endLine, e.endColumn), text: e.text }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  let out = '';
  let pos = 0;
  for (const s of spans) {
    if (s.from < pos || s.to < s.from || s.from < 0 || s.to > raw.length) throw new Error('edits overlap or fall outside the text');
    out += raw.slice(pos, s.from) + s.text;
    pos = s.to;
  }
  return out + raw.slice(pos);
}
