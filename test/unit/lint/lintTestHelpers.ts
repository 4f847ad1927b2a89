// Shared by the lint unit tests: run the engine and summarise findings compactly.
import { lint, type Finding, type LanguageId, type MeasuredNat } from '../../../src/core/lint';

export const PRIV = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
export const PUB = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
export const PUB2 = 'TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=';

export function run(language: LanguageId, text: string, measured?: MeasuredNat, fileName = 'test.conf'): Finding[] {
  const options = measured ? { language, fileName, measured } : { language, fileName };
  return lint(text, options);
}

/** "severity ruleId@line" for each finding, in document order. */
export function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.ruleId}@${f.line}`);
}

export function ruleIds(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.ruleId);
}
