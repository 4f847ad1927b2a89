import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli';
import { savedReport } from '../report/reportFixture';
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
  describe('--report REPORT.json: lint as the editor does after that diagnosis', () => {
    const writeReport = (name: string, overrides: Record<string, unknown>): string => {
      writeFileSync(p(name), JSON.stringify(savedReport(overrides)));
      return p(name);
    };
    const blackHole = { target: '203.0.113.10:3478', bytes: 1400, blackHole: true, detail: 'test' };
    type JsonFinding = { ruleId: string; message: string; severity: string; fix?: { edits: { text: string }[] } };
    const fixOf = (findings: JsonFinding[], ruleId: string): string => findings.find((f) => f.ruleId === ruleId)?.fix?.edits.map((e) => e.text).join('') ?? '';

    before(() => {
      writeFileSync(p('wg4.conf'), `[Interface]\nPrivateKey = ${PRIV}\nAddress = 10.0.0.2/32\n[Peer]\nPublicKey = ${PUB}\nEndpoint = 203.0.113.1:51820\n`);
    });

    it('a black-hole path gives the fitting MTU and mssfix fixes, a lifetime the keepalive, in the contract\'s JSON', async () => {
      const report = writeReport('black-hole.json', { pathMtu: blackHole, bindingLifetime: { seconds: 20, lowerSec: 15, upperSec: 25 } });
      const r = await cli('lint', p('wg4.conf'), p('client.ovpn'), '--report', report, '--json');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '', 'with --json nothing but the findings is printed');
      const findings = JSON.parse(r.stdout) as JsonFinding[];
      for (const f of findings) assert.deepEqual(Object.keys(f).filter((k) => k !== 'fix').sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'ruleId', 'severity']);
      assert.equal(fixOf(findings, 'wireguard/mtu-too-large'), 'MTU = 1340\n');
      assert.equal(fixOf(findings, 'openvpn/mtu-too-large'), 'mssfix 1400 mtu\n');
      assert.equal(fixOf(findings, 'wireguard/missing-persistent-keepalive'), 'PersistentKeepalive = 10\n');
      assert.equal(fixOf(findings, 'openvpn/missing-keepalive'), 'keepalive 10 60\n');
      assert.match(findings.find((f) => f.ruleId === 'wireguard/missing-persistent-keepalive')?.message ?? '', /your NAT \(port-restricted-cone\) drops idle UDP mappings after ~20 s/);
    });

    it('in text mode it says on stderr which measurements it uses', async () => {
      const report = writeReport('text.json', { pathMtu: blackHole, bindingLifetime: { seconds: 32, lowerSec: 30, upperSec: 35, established: { seconds: 122, lowerSec: 120, upperSec: 125 } } });
      const r = await cli('lint', p('wg4.conf'), '--report', report);
      assert.equal(r.code, 0);
      assert.match(r.stderr, /^Using the measurements of .*text\.json: NAT port-restricted-cone, idle mapping ~32 s \(~122 s established\), path MTU 1400 bytes over IPv4 \(black hole\)\n/);
      assert.match(r.stdout, /wg4\.conf:1:1: warning wireguard\/mtu-too-large: /);
      assert.match(r.stdout, /PersistentKeepalive = 25\./);
    });

    it('a report from before this version (no pathMtu, no connectivity) still works', async () => {
      const report = writeReport('old.json', { bindingLifetime: { seconds: 30, lowerSec: 25, upperSec: 35 } });
      const r = await cli('lint', '--json', '--report', report, p('wg4.conf'));
      assert.equal(r.code, 0, r.stderr);
      const findings = JSON.parse(r.stdout) as JsonFinding[];
      assert.equal(fixOf(findings, 'wireguard/missing-persistent-keepalive'), 'PersistentKeepalive = 15\n');
      assert.ok(!findings.some((f) => f.ruleId === 'wireguard/mtu-too-large'));
    });

    it('errors in the linted files still exit 1 with a report', async () => {
      const report = writeReport('plain.json', {});
      assert.equal((await cli('lint', p('wg1.conf'), '--report', report)).code, 1);
    });

    const unusable: Array<[string, () => string, RegExp]> = [
      ['a missing file', () => p('nowhere.json'), /no such file/],
      ['a directory', () => dir, /is a directory/],
      ['a config given as the report', () => p('wg0.conf'), /not JSON/],
      ['JSON that is not a report', () => { writeFileSync(p('other.json'), '{"hello": 1}'); return p('other.json'); }, /not a nat-doctor report: schemaVersion is missing, not 1/],
      ['a report of a newer schema', () => writeReport('v2.json', { schemaVersion: 2 }), /schemaVersion is 2, not 1/],
    ];
    for (const [name, file, reason] of unusable) {
      it(`${name} as --report: exit 2 with one line, nothing linted`, async () => {
        const r = await cli('lint', p('wg0.conf'), '--report', file());
        assert.equal(r.code, 2);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.split('\n').filter((l) => l !== '').length, 1, r.stderr);
        assert.match(r.stderr, /^nat-doctor lint: --report /);
        assert.match(r.stderr, reason);
        assert.doesNotMatch(r.stderr, new RegExp(PRIV.slice(0, 12).replace(/[+/]/g, '\\$&')), 'a key in a file given by mistake is never echoed');
      });
    }
  });

  it('no file or an unknown flag is a usage error (exit 2)', async () => {
    assert.equal((await cli('lint')).code, 2);
    const r = await cli('lint', '--frobnicate', p('wg0.conf'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /frobnicate/);
  });
});
