// The ipsec.conf corpora against the two real readers of that file:
//   - strongSwan 5.9.8's starter (Debian strongswan-starter), run with `--conf FILE` in a mount
//     namespace of its own, where /run is empty and /usr/lib/ipsec holds a copy of the starter and a
//     stand-in daemon that stops the starter as soon as it is started: the starter has then parsed
//     the whole file. Refused: "fatal errors in config", or a conn/ca section "ignored" for a bad
//     value or a keyword of another section. An unknown keyword is only logged.
//   - libreswan's `addconn --checkconfig` (Debian libreswan 4.10, unpacked into .cache/libreswan by
//     scripts/setup.sh because the package conflicts with strongswan-starter). Refused: non-zero exit.
// For strongSwan, our verdict must equal the tool's, and the file name says it (ok-…/err-…). For
// libreswan the names give the verdict of the current release (5.3, which cannot run here); this
// test lints each file as libreswan 4.10 sees it (LintOptions.libreswanVersion, the same keyword
// table with its version columns) and compares with 4.10 itself.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { hasErrors, lint } from '../../src/core/lint';
import { parseIpsecConf } from '../../src/core/config/ipsec/ipsecConfParser';
import { SourceText } from '../../src/core/config/sourceText';
import { labGate } from './labEnv';
import { createLab } from './netns';

const ROOT = join(__dirname, '..', '..', '..');
const CORPUS = join(ROOT, 'test', 'fixtures', 'lint');
const ADDCONN = join(ROOT, '.cache', 'libreswan', 'usr', 'libexec', 'ipsec', 'addconn');
const STARTER = '/usr/lib/ipsec/starter';
const gate = labGate(['unshare', 'mount']);
for (const [path, what] of [[STARTER, 'strongSwan starter (apt-get install strongswan-starter)'], [ADDCONN, 'libreswan addconn (bash scripts/setup.sh unpacks it)']] as const) {
  if (!existsSync(path)) {
    gate.availability.problems.push(`missing ${what}`);
    gate.availability.runnable = false;
  }
}

function files(dir: string): string[] {
  return readdirSync(join(CORPUS, dir)).filter((f) => /^(ok|err)-/.test(f)).sort();
}

describe('ipsec.conf corpora agree with strongSwan\'s starter and libreswan\'s addconn', { skip: gate.skip }, () => {
  const lab = createLab(after);
  let stage = '';

  before(() => {
    gate.assertReady();
    stage = lab.tempDir('ipsecconf');
    const lib = join(stage, 'libipsec');
    mkdirSync(lib);
    for (const f of readdirSync('/usr/lib/ipsec').filter((n) => n === 'starter' || /^lib.*\.so/.test(n))) copyFileSync(join('/usr/lib/ipsec', f), join(lib, f));
    // The stand-in daemon: the starter runs it only after parsing the file, and it ends the starter.
    writeFileSync(join(lib, 'stopstarter'), '#!/bin/sh\nkill -TERM $PPID\n');
    chmodSync(join(lib, 'stopstarter'), 0o755);
  });

  async function starterVerdict(file: string): Promise<{ ok: boolean; why: string }> {
    const script = `mount -t tmpfs none /run && mount --bind '${join(stage, 'libipsec')}' /usr/lib/ipsec && exec /usr/lib/ipsec/starter --nofork --debug --conf '${file}' --daemon stopstarter`;
    const r = await lab.runCommand('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { timeoutMs: 15_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    assert.match(out, /Attempting to start stopstarter|fatal errors in config/, `the starter finished parsing: ${out}`);
    const refused = /fatal errors in config|# ignored (conn|ca) /.test(out);
    return { ok: !refused, why: out.split('\n').filter((l) => l.startsWith('#') || /error/.test(l)).slice(0, 3).join(' | ') };
  }

  async function addconnVerdict(file: string): Promise<{ ok: boolean; why: string }> {
    const r = await lab.runCommand(ADDCONN, ['--checkconfig', '--config', file], { timeoutMs: 15_000 });
    return { ok: r.code === 0, why: `exit ${r.code}: ${`${r.stdout} ${r.stderr}`.trim().slice(0, 200)}` };
  }

  it('the corpora are large', () => {
    assert.ok(files('strongswan/ipsec').length >= 150);
    assert.ok(files('libreswan').length >= 300);
  });

  // Differential fuzzing: random files built from the corpus's own keyword lines (so every value is
  // one the tool takes in the right section), moved to the wrong section, misspelt, recased,
  // duplicated, mixed with x- comment lines. Bounded: a fixed seed and LINT_FUZZ_RUNS files each.
  const RUNS = Number(process.env.LINT_FUZZ_RUNS ?? 150);
  function linePool(dir: string): { setup: string[]; conn: string[] } {
    const pool = { setup: new Set<string>(), conn: new Set<string>() };
    for (const name of files(dir).filter((f) => f.startsWith('ok-') && !f.includes('-gen-'))) {
      for (const section of parseIpsecConf(new SourceText(readFileSync(join(CORPUS, dir, name), 'utf8'))).sections) {
        if (section.kind === 'ca') continue;
        for (const st of section.settings) pool[section.kind === 'config' ? 'setup' : 'conn'].add(st.line.text.trim());
      }
    }
    return { setup: [...pool.setup].sort(), conn: [...pool.conn].sort() };
  }
  function randomFile(pool: { setup: string[]; conn: string[] }, dialect: 'strongswan' | 'libreswan'): fc.Arbitrary<string> {
    const mutate = fc.constantFrom('none', 'none', 'none', 'typo', 'upper', 'x-comment', 'other-section');
    const line = (own: string[], other: string[]): fc.Arbitrary<string> => fc.tuple(fc.constantFrom(...own), fc.constantFrom(...other), mutate).map(([l, o, m]) => {
      if (m === 'typo') return l.replace(/^([a-z_-]+?)([a-z])=/i, '$1=');
      if (m === 'upper') return l.replace(/^[a-z_-]+/i, (k) => k.toUpperCase());
      if (m === 'x-comment') return `x-${l}`;
      if (m === 'other-section') return o;
      return l;
    });
    const base = dialect === 'libreswan' ? '\tleft=192.0.2.1\n\tright=198.51.100.1\n\tauthby=secret\n' : '\tleft=192.0.2.1\n\tright=198.51.100.1\n\tauthby=psk\n';
    return fc.tuple(fc.array(line(pool.setup, pool.conn), { maxLength: 3 }), fc.array(line(pool.conn, pool.setup), { maxLength: 5 }))
      .map(([setup, conn]) => `${setup.length > 0 ? `config setup\n${setup.map((l) => `\t${l}\n`).join('')}\n` : ''}conn base\n${base}\tauto=ignore\n\nconn office\n${base}${conn.map((l) => `\t${l}\n`).join('')}\tauto=add\n`);
  }
  for (const [dialect, dir] of [['strongswan', 'strongswan/ipsec'], ['libreswan', 'libreswan']] as const) {
    it(`${RUNS} random ${dialect} files: our verdict equals the tool's`, async () => {
      const samples = fc.sample(randomFile(linePool(dir), dialect), { numRuns: RUNS, seed: dialect === 'libreswan' ? 12 : 13 });
      const disagreements: string[] = [];
      for (const [i, text] of samples.entries()) {
        const file = join(stage, `fuzz-${dialect}-${i}.conf`);
        writeFileSync(file, text);
        const tool = dialect === 'strongswan' ? await starterVerdict(file) : await addconnVerdict(file);
        const options = dialect === 'libreswan' ? { language: dialect, fileName: file, libreswanVersion: '4.10' } : { language: dialect, fileName: file };
        const ours = !hasErrors(lint(text, options));
        if (ours !== tool.ok) disagreements.push(`--- tool ${tool.ok ? 'accepts' : 'refuses'} (${tool.why}), we ${ours ? 'accept' : 'refuse'}:\n${text}`);
      }
      assert.deepEqual(disagreements.slice(0, 3), []);
    });
  }

  for (const name of files('strongswan/ipsec')) {
    it(`strongswan/ipsec/${name}`, async () => {
      const path = join(CORPUS, 'strongswan', 'ipsec', name);
      const { ok, why } = await starterVerdict(path);
      const exception = name.includes('-exception-');
      assert.equal(ok, name.startsWith('ok-') !== exception, `the starter ${ok ? 'accepted' : 'refused'} it; ${why}`);
      const ours = !hasErrors(lint(readFileSync(path, 'utf8'), { language: 'strongswan', fileName: path }));
      assert.equal(ours === ok, !exception, `we ${ours ? 'accept' : 'refuse'} it, the starter ${ok ? 'accepted' : 'refused'} it`);
    });
  }

  for (const name of files('libreswan')) {
    it(`libreswan/${name} (as libreswan 4.10)`, async () => {
      const path = join(CORPUS, 'libreswan', name);
      const { ok, why } = await addconnVerdict(path);
      const findings = lint(readFileSync(path, 'utf8'), { language: 'libreswan', fileName: path, libreswanVersion: '4.10' });
      const ours = !hasErrors(findings);
      const detail = findings.filter((f) => f.severity === 'error').map((f) => `${f.line}: ${f.ruleId}`).join('; ');
      assert.equal(ours, ok, `addconn 4.10 ${ok ? 'accepted' : 'refused'} it (${why}); our 4.10 verdict: ${detail || 'no error'}`);
    });
  }
});
