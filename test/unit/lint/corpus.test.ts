// The corpus in test/fixtures/lint: each file's name says what the real tool does with it
// ("ok-…" accepted, "err-…" refused; checked against wg and openvpn by test/lab/lintCorpus.test.ts).
// Here we check that our verdict (any error finding?) agrees — except for the files named
// "…-exception-…", where we knowingly disagree, each one explained in docs/rules.md.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectLanguage, hasErrors, lint, RULES } from '../../../src/core/lint';

export const CORPUS_ROOT = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'lint');

function corpus(dir: string): string[] {
  return readdirSync(join(CORPUS_ROOT, dir)).filter((f) => /^(ok|err)-/.test(f)).sort();
}

const MINIMUM: Record<string, number> = { wireguard: 40, openvpn: 40, 'strongswan/swanctl': 10, 'strongswan/ipsec': 150, libreswan: 300 };

describe('corpus: our error/no-error verdict matches the real tools', () => {
  for (const dir of Object.keys(MINIMUM)) {
    const files = corpus(dir);
    const language = dir.split('/')[0] as 'wireguard' | 'openvpn' | 'strongswan' | 'libreswan';
    it(`${dir} corpus is not trivially small`, () => assert.ok(files.length >= (MINIMUM[dir] ?? 0), `${files.length} files`));
    for (const name of files) {
      it(`${dir}/${name}`, () => {
        const path = join(CORPUS_ROOT, dir, name);
        const text = readFileSync(path, 'utf8');
        const detected = detectLanguage(path, text);
        assert.equal(detected, language, 'the file is recognised by its path');
        const findings = lint(text, { language, fileName: path });
        const toolAccepts = name.startsWith('ok-');
        const exception = name.includes('-exception-');
        const weAccept = !hasErrors(findings);
        const detail = findings.map((f) => `${f.line}: ${f.severity} ${f.ruleId}`).join('; ');
        assert.equal(weAccept, exception ? !toolAccepts : toolAccepts, `tool ${toolAccepts ? 'accepts' : 'refuses'}; we found: ${detail || 'nothing'}`);
        if (name.startsWith('ok-warn-')) assert.ok(findings.some((f) => f.severity === 'warning'), `expected a warning; found: ${detail || 'nothing'}`);
      });
    }
  }
  it('every documented exception is listed in docs/rules.md', () => {
    const doc = readFileSync(join(CORPUS_ROOT, '..', '..', '..', 'docs', 'rules.md'), 'utf8');
    for (const dir of Object.keys(MINIMUM)) {
      for (const name of corpus(dir).filter((n) => n.includes('-exception-'))) assert.ok(doc.includes(name), `${name} is explained in docs/rules.md`);
    }
  });
});

describe('rule catalog and docs/rules.md', () => {
  it('every rule in the catalog has a section in docs/rules.md', () => {
    const doc = readFileSync(join(CORPUS_ROOT, '..', '..', '..', 'docs', 'rules.md'), 'utf8');
    for (const r of RULES) assert.ok(doc.includes(`### ${r.id}\n`), `${r.id} is documented`);
  });
});
