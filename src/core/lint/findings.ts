// Collects findings for one file. The cap keeps a garbage file (or a 10 MB mistake) to a bounded
// list: past it one info finding says the rest were left out.
import type { Finding, Fix, Severity, TextRange } from './types';

export const MAX_FINDINGS_PER_FILE = 500;

export class FindingSink {
  readonly findings: Finding[] = [];
  private dropped = 0;

  constructor(private readonly file: string) {}

  add(range: TextRange, severity: Severity, ruleId: string, message: string, fix?: Fix): void {
    if (this.findings.length >= MAX_FINDINGS_PER_FILE) {
      this.dropped++;
      return;
    }
    const f: Finding = { file: this.file, ...range, severity, ruleId, message };
    if (fix) f.fix = fix;
    this.findings.push(f);
  }

  get full(): boolean {
    return this.findings.length >= MAX_FINDINGS_PER_FILE;
  }

  /** The findings in document order, with a note when some were dropped. */
  result(): Finding[] {
    const sorted = [...this.findings].sort((a, b) => a.line - b.line || a.column - b.column);
    if (this.dropped > 0) {
      sorted.push({
        file: this.file,
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 1,
        severity: 'info',
        ruleId: 'general/too-many-findings',
        message: `${this.dropped} more findings were left out; fix the ones above first.`,
      });
    }
    return sorted;
  }
}
