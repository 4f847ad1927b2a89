// The swanctl.conf corpus against strongSwan itself: charon runs in a namespace made for the test
// (test/lab/probeServers.ts startCharon) and `swanctl --load-all --file FILE` loads each file.
// "ok-…" files must load; "err-…" files must be refused: swanctl exits non-zero ("… failed to
// load") or, for a syntax error, prints "invalid config file" (and, surprisingly, exits 0).
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLab, type Netns } from './netns';
import { probeLabGate, startCharon } from './probeServers';

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'lint', 'strongswan', 'swanctl');
const gate = probeLabGate(['swanctl'], true);

describe('swanctl.conf corpus agrees with strongSwan', { skip: gate.skip }, () => {
  const lab = createLab(after);
  let ns: Netns;
  let dir = '';

  before(async () => {
    gate.assertReady();
    ns = await lab.addNamespace('lintsw');
    dir = lab.tempDir('lintsw');
    await startCharon(ns, dir);
  });

  const files = readdirSync(CORPUS).filter((f) => /^(ok|err)-/.test(f)).sort();
  it('the corpus has both kinds', () => {
    assert.ok(files.some((f) => f.startsWith('ok-')) && files.some((f) => f.startsWith('err-')));
  });
  for (const file of files) {
    it(`strongswan/${file}`, async () => {
      const path = dir;
      const conf = join(path, 'corpus-swanctl.conf');
      copyFileSync(join(CORPUS, file), conf);
      // startCharon's strongswan.conf and vici socket live in the directory it was given.
      const env = { ...process.env, STRONGSWAN_CONF: join(path, 'strongswan.conf') };
      const r = await ns.run('swanctl', ['--load-all', '--noprompt', '--file', conf, '--uri', `unix://${join(path, 'charon.vici')}`], { env, timeoutMs: 15_000 });
      const out = `${r.stdout}\n${r.stderr}`;
      const loaded = r.code === 0 && !/invalid config file|\d+ failed to load/.test(out);
      const why = out.split('\n').filter((l) => /failed to load|invalid|syntax error|unknown option/.test(l) && !l.startsWith('plugin')).slice(0, 2).join(' | ');
      assert.equal(loaded, file.startsWith('ok-'), `swanctl ${loaded ? 'loaded' : 'refused'} it (exit ${r.code}); ${why}`);
    });
  }
});
