// The one entry point: text in, findings out. Pure — no file system, no VS Code — so the CLI, the
// editor adapter and the tests share it.
import { FindingSink } from './findings';
import { lintLibreswan } from './ipsec/libreswanRules';
import { lintStrongswan } from './ipsec/strongswanRules';
import { lintOpenvpn } from './openvpn/rules';
import { SourceText } from '../config/sourceText';
import { checkText } from './textGuard';
import type { Finding, LintOptions, TextEdit } from './types';
import { lintWireguard } from './wireguard/rules';

/**
 * Lints one document. `byteLength` (when the caller read bytes) lets the size guard count bytes
 * rather than UTF-16 units.
 */
export function lint(text: string, options: LintOptions, byteLength?: number): Finding[] {
  const file = options.fileName ?? '<input>';
  const sink = new FindingSink(file);
  const verdict = checkText(text, byteLength ?? text.length);
  if (!verdict.ok) {
    sink.add({ line: 1, column: 1, endLine: 1, endColumn: 1 }, 'info', verdict.ruleId, verdict.message);
    return sink.result();
  }
  const source = new SourceText(text);
  switch (options.language) {
    case 'wireguard':
      lintWireguard(source, sink, options);
      break;
    case 'openvpn':
      lintOpenvpn(source, sink, options);
      break;
    case 'strongswan':
      lintStrongswan(source, sink, options);
      break;
    case 'libreswan':
      lintLibreswan(source, sink, options);
      break;
  }
  const off = options.disabledRules;
  const findings = sink.result();
  return off && off.length > 0 ? findings.filter((f) => !off.includes(f.ruleId)) : findings;
}

/**
 * The edits of a "fix all" action: every preferred fix, skipping any whose edits would overlap one
 * already taken (the next lint run offers the rest). Returns edits in document order.
 */
export function fixAllEdits(findings: readonly Finding[]): TextEdit[] {
  const taken: TextEdit[] = [];
  const before = (a: { line: number; column: number }, b: { line: number; column: number }): boolean => a.line < b.line || (a.line === b.line && a.column < b.column);
  const overlaps = (a: TextEdit, b: TextEdit): boolean => {
    const aEmpty = a.line === a.endLine && a.column === a.endColumn;
    const bEmpty = b.line === b.endLine && b.column === b.endColumn;
    // Two insertions at one point would have an undefined order: treat them as overlapping.
    if (aEmpty && bEmpty) return a.line === b.line && a.column === b.column;
    return before({ line: a.line, column: a.column }, { line: b.endLine, column: b.endColumn }) && before({ line: b.line, column: b.column }, { line: a.endLine, column: a.endColumn });
  };
  for (const f of findings) {
    if (!f.fix?.preferred) continue;
    if (f.fix.edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    taken.push(...f.fix.edits);
  }
  return taken.sort((a, b) => a.line - b.line || a.column - b.column);
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
