import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { PRIV, PUB } from './lintTestHelpers';

interface Captured { code: number; stdout: string; stderr: string }

async function cli(...argv: string[]): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: {}, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

describe('nat-doctor lint', () => {
  let dir = '';
  const p = (name: string): string => join(dir, name);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nd-lint-cli-'));
    writeFileSync(p('wg0.conf'), `[Interface]\nPrivateKey = ${PRIV}\n[Peer]\nPublicKey = ${PUB}\nEndpoint = 203.0.113.1:51820\nPersistentKeepalive = 25\n`);
    writeFileSync(p('wg1.conf'), `[Interface]\nPrivateKey = ${PRIV}\n[Peer]\nPublicKey = ${PUB}\nPersistentKeepalive = 65536\n`);
    writeFileSync(p('client.ovpn'), 'client\ndev tun\nremote 198.51.100.1 1194\n');
    writeFileSync(p('nginx.conf'), 'server {\n  listen 80;\n}\n');
    const bin = Buffer.alloc(4096);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 131) % 256;
    writeFileSync(p('wg2.conf'), bin);
    writeFileSync(p('wg3.conf'), Buffer.alloc(10 * 1024 * 1024, 0x41));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 for a clean file and prints nothing on stdout', async () => {
    const r = await cli('lint', p('wg0.conf'));
    assert.deepEqual([r.code, r.stdout], [0, '']);
    assert.match(r.stderr, /0 errors, 0 warnings, 0 info in 1 file/);
  });
  it('exits 1 on an error and prints compiler-style lines', async () => {
    const r = await cli('lint', p('wg1.conf'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^${p('wg1.conf').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:23: error wireguard/invalid-value: `, 'm'));
  });
  it('says which ipsec.conf dialect it assumed, and why, in text mode only', async () => {
    writeFileSync(p('ipsec.conf'), 'conn office\n\tleft=%defaultroute\n\tright=203.0.113.5\n\tikev2=insist\n\tauto=add\n\tdpddelay=30\n');
    const r = await cli('lint', p('ipsec.conf'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /ipsec\.conf: ipsec\.conf read as libreswan, because line 4: ikev2= is a libreswan keyword that strongSwan does not know/);
    const json = await cli('lint', '--json', p('ipsec.conf'));
    assert.deepEqual(JSON.parse(json.stdout), []);
  });
  it('exits 0 when there are only infos and warnings', async () => {
    const r = await cli('lint', p('client.ovpn'));
    assert.equal(r.code, 0);
    assert.match(r.stdout, /client\.ovpn:3:1: info openvpn\/missing-keepalive: /);
  });
  it('--json prints one array in the contract shape', async () => {
    const r = await cli('lint', '--json', p('client.ovpn'), p('wg1.conf'));
    assert.equal(r.code, 1);
    const parsed = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.ok(Array.isArray(parsed) && parsed.length >= 2);
    for (const f of parsed) {
      const keys = Object.keys(f).sort();
      assert.deepEqual(keys.filter((k) => k !== 'fix'), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'ruleId', 'severity']);
      if (f.fix) {
        const fix = f.fix as { title: string; edits: Record<string, unknown>[] };
        assert.deepEqual(Object.keys(fix).sort(), ['edits', 'title']);
        for (const e of fix.edits) assert.deepEqual(Object.keys(e).sort(), ['column', 'endColumn', 'endLine', 'line', 'text']);
      }
    }
    const keepalive = parsed.find((f) => f.ruleId === 'openvpn/missing-keepalive') as { fix: { edits: { text: string }[] } } | undefined;
    assert.equal(keepalive?.fix.edits[0]?.text, 'keepalive 10 60\n');
  });
  it('a file that cannot be read is named on stderr and exits 1, others still run', async () => {
    const r = await cli('lint', p('missing.conf'), p('wg0.conf'));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot read .*missing\.conf: no such file/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
  it('a directory is reported as such', async () => {
    const r = await cli('lint', dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is a directory/);
  });
  it('a binary file gets one info finding', async () => {
    const r = await cli('lint', '--json', p('wg2.conf'));
    assert.deepEqual((JSON.parse(r.stdout) as { ruleId: string }[]).map((f) => f.ruleId), ['general/not-a-text-file']);
    assert.equal(r.code, 0);
  });
  it('a 10 MB file gets one info finding without being parsed', async () => {
    const r = await cli('lint', '--json', p('wg3.conf'));
    assert.deepEqual((JSON.parse(r.stdout) as { ruleId: string }[]).map((f) => f.ruleId), ['general/file-too-large']);
  });
  it('an unrelated .conf is not linted', async () => {
    const r = await cli('lint', '--json', p('nginx.conf'));
    assert.deepEqual((JSON.parse(r.stdout) as { ruleId: string }[]).map((f) => f.ruleId), ['general/unknown-language']);
  });
  it('no file or an unknown flag is a usage error (exit 2)', async () => {
    assert.equal((await cli('lint')).code, 2);
    const r = await cli('lint', '--frobnicate', p('wg0.conf'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /frobnicate/);
  });
});
