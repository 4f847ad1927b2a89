// How often the ipsec.conf dialect guess is right, on the corpus (test/fixtures/lint/libreswan and
// strongswan/ipsec), with every file renamed plainly /etc/ipsec.conf so that only the content can
// decide. Two figures: whole configs (ok-real-…), and every file the tool accepts (ok-…, most of
// them one keyword on a neutral connection). A wrong guess on a file without any separating
// evidence is counted apart, and so is whether it matters: the lint verdict is the same either way.
//
// Run: npm run compile-tests && node bench/ipsec-dialect.bench.mjs
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const entry = new URL('../out/src/core/lint/index.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('bench/ipsec-dialect.bench.mjs: out/src/core/lint is missing; run `npm run compile-tests` first.');
  process.exit(1);
}
const { detectLanguage, guessIpsecDialect, hasErrors, lint } = require(entry.pathname);
const corpus = new URL('../test/fixtures/lint/', import.meta.url).pathname;

function measure(select) {
  const r = { files: 0, right: 0, wrongNoEvidence: 0, wrongWithEvidence: 0, wrongSameVerdict: 0, wrongNames: [] };
  for (const [dialect, dir] of [['libreswan', 'libreswan'], ['strongswan', 'strongswan/ipsec']]) {
    for (const name of readdirSync(corpus + dir).filter(select)) {
      const text = readFileSync(`${corpus}${dir}/${name}`, 'utf8');
      r.files++;
      if (detectLanguage('/etc/ipsec.conf', text) === dialect) { r.right++; continue; }
      if (guessIpsecDialect(text).evidence.length === 0) r.wrongNoEvidence++;
      else { r.wrongWithEvidence++; r.wrongNames.push(`${dir}/${name}`); }
      const verdict = (language) => hasErrors(lint(text, { language, fileName: '/etc/ipsec.conf' }));
      if (verdict('libreswan') === verdict('strongswan')) r.wrongSameVerdict++;
    }
  }
  return r;
}

for (const [label, select] of [['whole configs (ok-real-…)', (f) => f.includes('-real-')], ['every accepted file (ok-…)', (f) => f.startsWith('ok-')]]) {
  const r = measure(select);
  const pct = (n) => `${((100 * n) / r.files).toFixed(1)} %`;
  console.log(`${label}: ${r.right}/${r.files} right (${pct(r.right)}); wrong: ${r.wrongNoEvidence} without any separating evidence, ${r.wrongWithEvidence} with evidence${r.wrongNames.length ? ` (${r.wrongNames.join(', ')})` : ''}; of the wrong ones ${r.wrongSameVerdict} get the same error/no-error verdict either way`);
}
