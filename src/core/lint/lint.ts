// The one entry point: text in, findings out. Pure — no file system, no VS Code — so the CLI, the
// editor adapter and the tests share it.
import { FindingSink } from './findings';
import { lintLibreswan } from './ipsec/libreswanRules';
import { lintStrongswan } from './ipsec/strongswanRules';
import { lintOpenvpn } from './openvpn/rules';
import { SourceText } from './sourceText';
import { checkText } from './textGuard';
import type { Finding, LintOptions } from './types';
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
  return sink.result();
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
