// Differential fuzzing against the real tools: random WireGuard and OpenVPN files built from
// tricky keys, values, spacing and comments. For each, our verdict (any error finding?) must equal
// the tool's (accepted or refused), checked the same way as lintCorpus.test.ts. The generators
// leave out what we knowingly judge differently (docs/rules.md "Where we disagree with the
// tools"): wg-quick keys read only at `up` (Address, MTU), host names, Windows-only options and
// files the config points to. Bounded: a fixed seed and a fixed number of files.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { hasErrors, lint } from '../../src/core/lint';
import { labGate } from './labEnv';
import { createLab, type Netns } from './netns';

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'lint');
const gate = labGate(['wg', 'wg-quick', 'wireguard-go', 'openvpn']);
const RUNS = Number(process.env.LINT_FUZZ_RUNS ?? 200);

const PRIV = 'UJ+zFRpUO/DuX079+RdyGEVlWjpKTqTt/33DsJJuAHM=';
const PUB = 's6CkYJ3IMNnZupXzUVaWn26YFo5pVgqLLmL6PJLWcGQ=';

const ws = fc.constantFrom('', ' ', '\t', '  ');

const wireguardFile = (() => {
  const key = fc.constantFrom('PrivateKey', 'PublicKey', 'Endpoint', 'AllowedIPs', 'PersistentKeepalive', 'ListenPort', 'FwMark',
    'PresharedKey', 'DNS', 'Table', 'SaveConfig', 'PostUp', 'persistentKEEPALIVE', 'allowedips', 'Bogus', 'Persistent Keepalive');
  const value = fc.constantFrom(PRIV, PUB, PRIV.slice(1), `${PUB.slice(0, 42)}B=`, `${PUB.slice(0, 43)}A`, '203.0.113.1:51820', '[2001:db8::1]:51820',
    '2001:db8::1:51820', '203.0.113.1', '203.0.113.1:99999', '203.0.113.1:0', '203.0.113.256:1', '[::1]:', 'localhost:51820', '10.0.0.0/8',
    '10.0.0.1/24', '10.0.0.0/33', '10.0.0.0/8, fd00::/64', '10.0.0.0/8,', '::/0', '0.0.0.0/0', '25', '025', '0', 'off', 'OFF', '65535', '65536',
    '-1', '+5', 'x', 'true', 'FALSE', 'yes', 'auto', '0x10', '0X10', '', 'a # b', '#', '1 0', 'ntp', 'NTP', '0xffffffff', '99999999999');
  const line = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('[Interface]', '[Peer]', '[peer ]', '# comment', '', '[Interface]', '[Peer]', '; comment', '[Peers]') },
    { weight: 4, arbitrary: fc.tuple(ws, key, ws, ws, value).map(([a, k, b, c, v]) => `${a}${k}${b}=${c}${v}`) },
  );
  return fc.tuple(fc.array(line, { maxLength: 10 }), fc.constantFrom('\n', '\r\n')).map(([ls, eol]) => ls.join(eol) + eol);
})();

/** Options whose parameters we check fully, with values that exercise those checks. */
const openvpnBody = (() => {
  const option = fc.constantFrom('keepalive', 'ping', 'ping-restart', 'ping-exit', 'proto', 'remote', 'port', 'lport', 'rport', 'fragment',
    'explicit-exit-notify', 'resolv-retry', 'comp-lzo', 'ns-cert-type', 'cipher', 'nobind', 'persist-tun', 'persist-key', 'float', 'verb',
    'Keepalive', 'frobnicate', 'ncp-disable', 'no-iv', 'client-cert-not-required', 'key-direction', 'mute', 'auth-nocache', 'remote-random',
    'tun-mtu', 'connect-retry', 'server-poll-timeout', 'connect-timeout', 'dev-type', 'compress', 'topology', 'remote-cert-tls', 'setenv',
    'tls-version-min', 'mssfix', 'max-routes', 'push', 'route');
  const arg = fc.constantFrom('10', '60', '15', '0', '1', '2', 'x', 'udp', 'tcp', 'tcp-client', 'udp6', 'udp7', '198.51.100.1', '2001:db8::1',
    '1194', '70000', '1300', '67', 'infinite', 'forever', 'server', '"quoted arg"', 'a#b', '#c', ';c', 'yes', 'YES', 'adaptive', 'lz4', 'subnet',
    'net30', 'client', 'FOO', '1.2', 'mtu', 'AES-256-GCM');
  const line = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom('', '# comment', '; comment', '  ') },
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom('', '--', ' '), option, fc.array(fc.tuple(fc.constantFrom(' ', '\t'), arg).map(([w, a]) => w + a), { maxLength: 3 }))
      .map(([d, o, as]) => d + o + as.join('')) },
  );
  return fc.array(line, { minLength: 1, maxLength: 5 }).map((ls) => `${ls.join('\n')}\n`);
})();

describe('differential fuzzing against wg and openvpn', { skip: gate.skip }, () => {
  const lab = createLab(after);
  let ns: Netns;
  const ifname = `ndf${process.pid % 1_000_000}`;
  let work = '';

  before(async () => {
    gate.assertReady();
    work = mkdtempSync(join(tmpdir(), 'nd-lintfuzz-'));
    ns = await lab.addNamespace('lintfuzz');
    ns.spawn('wireguard-go', ['-f', ifname], { env: { ...process.env, WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: '1', LOG_LEVEL: 'error' } });
    const deadline = Date.now() + 10_000;
    while ((await ns.run('wg', ['show', ifname], { timeoutMs: 5_000 })).code !== 0) {
      if (Date.now() > deadline) throw new Error(`wireguard-go did not create ${ifname}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function wgAccepts(text: string): Promise<boolean> {
    const conf = join(work, `${ifname}.conf`);
    writeFileSync(conf, text);
    chmodSync(conf, 0o600);
    const strip = await lab.runCommand('wg-quick', ['strip', conf], { timeoutMs: 10_000 });
    if (strip.code !== 0) return false;
    const stripped = join(work, 'stripped.conf');
    writeFileSync(stripped, strip.stdout);
    const set = await ns.run('wg', ['setconf', ifname, stripped], { timeoutMs: 10_000, env: { ...process.env, WG_ENDPOINT_RESOLUTION_RETRIES: '0' } });
    return set.code === 0;
  }

  it(`${RUNS} random WireGuard files: our verdict equals wg-quick strip + wg setconf`, async () => {
    const samples = fc.sample(wireguardFile, { numRuns: RUNS, seed: 20261124 });
    const disagreements: string[] = [];
    let accepted = 0;
    for (const text of samples) {
      const tool = await wgAccepts(text);
      if (tool) accepted++;
      const ours = !hasErrors(lint(text, { language: 'wireguard', fileName: `${ifname}.conf` }));
      if (tool !== ours) disagreements.push(`wg ${tool ? 'accepts' : 'refuses'}, we ${ours ? 'accept' : 'refuse'}: ${JSON.stringify(text)}`);
    }
    assert.deepEqual(disagreements, []);
    // The generator must produce both kinds, or the test proves little.
    assert.ok(accepted >= RUNS / 10 && accepted <= RUNS - RUNS / 10, `${accepted} of ${RUNS} accepted`);
  });

  it(`${RUNS} random OpenVPN files: our verdict equals openvpn 2.6 option parsing`, async () => {
    const base = readFileSync(join(CORPUS, 'openvpn', 'ok-client.ovpn'), 'utf8');
    const inline = base.slice(base.indexOf('<ca>'));
    const samples = fc.sample(openvpnBody, { numRuns: RUNS, seed: 20261125 });
    const disagreements: string[] = [];
    let accepted = 0;
    const file = join(work, 'fuzz.ovpn');
    for (const body of samples) {
      const text = `client\ndev tun\nremote 198.51.100.1 1194\nremote-cert-tls server\n${body}${inline}`;
      writeFileSync(file, text);
      const r = await ns.run('openvpn', ['--config', file, '--verb', '4'], { timeoutMs: 15_000 });
      const tool = `${r.stdout}${r.stderr}`.includes('Current Parameter Settings:');
      if (tool) accepted++;
      const ours = !hasErrors(lint(text, { language: 'openvpn', fileName: 'fuzz.ovpn' }));
      if (tool !== ours) disagreements.push(`openvpn ${tool ? 'accepts' : 'refuses'}, we ${ours ? 'accept' : 'refuse'}: ${JSON.stringify(body)}`);
    }
    assert.deepEqual(disagreements, []);
    assert.ok(accepted >= RUNS / 10 && accepted <= RUNS - RUNS / 10, `${accepted} of ${RUNS} accepted`);
  });
});
