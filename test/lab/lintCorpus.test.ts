// Checks the lint corpus against the real tools: each file named "ok-…" must be accepted and each
// "err-…" refused by
//   - WireGuard: `wg-quick strip` (wg-quick's own parsing), then `wg setconf` on a wireguard-go
//     interface inside a namespace made for this test (so no packet can leave it);
//   - OpenVPN 2.6: `openvpn --config FILE --verb 4` inside that namespace. OpenVPN prints
//     "Current Parameter Settings:" only after every option was parsed and options_postprocess
//     accepted them (show_settings, openvpn.c); with the corpus's dummy certificates it then stops
//     at certificate loading, before any networking.
// Together with test/unit/lint/corpus.test.ts (our verdict matches the file name) this proves our
// verdict agrees with the tools, except for the "-exception-" files documented in docs/rules.md.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { labGate } from './labEnv';
import { createLab, type Netns } from './netns';

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'lint');
const gate = labGate(['wg', 'wg-quick', 'wireguard-go', 'openvpn']);

function corpus(dir: string): string[] {
  return readdirSync(join(CORPUS, dir)).filter((f) => /^(ok|err)-/.test(f)).sort();
}

describe('lint corpus agrees with wg, wg-quick and openvpn 2.6', { skip: gate.skip }, () => {
  const lab = createLab(after);
  let ns: Netns;
  // A name unique to this run: wireguard-go's control socket lives in the shared /var/run/wireguard.
  const ifname = `ndl${process.pid % 1_000_000}`;
  let work: string;

  before(async () => {
    gate.assertReady();
    work = mkdtempSync(join(tmpdir(), 'nd-lint-'));
    ns = await lab.addNamespace('lint');
    ns.spawn('wireguard-go', ['-f', ifname], {
      // wireguard-go refuses to run next to the kernel module unless told to.
      env: { ...process.env, WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: '1', LOG_LEVEL: 'error' },
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await ns.run('wg', ['show', ifname], { timeoutMs: 5_000 });
      if (r.code === 0) break;
      if (Date.now() > deadline) throw new Error(`wireguard-go did not create ${ifname}: ${r.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function wireguardAccepts(file: string): Promise<{ ok: boolean; why: string }> {
    // wg-quick wants NAME.conf with a valid interface name, and warns about world-readable files.
    const conf = join(work, `${ifname}.conf`);
    writeFileSync(conf, readFileSync(join(CORPUS, 'wireguard', file)));
    chmodSync(conf, 0o600);
    const strip = await lab.runCommand('wg-quick', ['strip', conf], { timeoutMs: 10_000 });
    if (strip.code !== 0) return { ok: false, why: `wg-quick strip: ${strip.stderr.trim()}` };
    const stripped = join(work, 'stripped.conf');
    writeFileSync(stripped, strip.stdout);
    chmodSync(stripped, 0o600);
    // No DNS in the namespace: a host name fails at once instead of retrying for a minute.
    const set = await ns.run('wg', ['setconf', ifname, stripped], { timeoutMs: 10_000, env: { ...process.env, WG_ENDPOINT_RESOLUTION_RETRIES: '0' } });
    return { ok: set.code === 0, why: `wg setconf: ${set.stderr.trim()}` };
  }

  async function openvpnAccepts(file: string): Promise<{ ok: boolean; why: string }> {
    const r = await ns.run('openvpn', ['--config', file, '--verb', '4'], { timeoutMs: 15_000, cwd: join(CORPUS, 'openvpn') });
    const out = `${r.stdout}\n${r.stderr}`;
    const ok = out.includes('Current Parameter Settings:');
    const why = out.split('\n').filter((l) => /error|ERROR|Options|Assertion/.test(l)).slice(0, 2).join(' | ');
    return { ok, why };
  }

  it('wireguard-go is running in the test namespace', () => {
    assert.ok(existsSync(`/var/run/wireguard/${ifname}.sock`));
  });

  for (const file of corpus('wireguard')) {
    it(`wireguard/${file}`, async () => {
      const { ok, why } = await wireguardAccepts(file);
      assert.equal(ok, file.startsWith('ok-'), `wg ${ok ? 'accepted' : 'refused'} it; ${why}`);
    });
  }
  for (const file of corpus('openvpn')) {
    it(`openvpn/${file}`, async () => {
      const { ok, why } = await openvpnAccepts(file);
      assert.equal(ok, file.startsWith('ok-'), `openvpn ${ok ? 'accepted' : 'refused'} it; ${why}`);
    });
  }
});
