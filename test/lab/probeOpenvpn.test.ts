// openvpn against real OpenVPN 2.6 servers in the public namespace, through the lab NAT: plain,
// tls-auth and tls-crypt over UDP, plain and tls-crypt over TCP. The static key is the research
// §B6 known-answer key (test/fixtures/probes/kat.key); configs are written per test.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { STUN_PRIMARY, type NatTopology } from './natTopology';
import { REPO_ROOT } from './cliRunner';
import { makeCertificates, makeTlsCryptV2Keys, probeIn, probeLabGate, useProbeLab, startOpenVpn } from './probeServers';

const gate = probeLabGate(['openvpn', 'openssl']);
const SERVER = STUN_PRIMARY;
const PORTS = { plainUdp: 1194, tlsAuthUdp: 1195, tlsCryptUdp: 1196, plainTcp: 1194, tlsCryptTcp: 1197, tlsAuthSha256Udp: 1198, tlsAuthTcp: 1199, tlsCryptV2Udp: 1200 } as const;

describe('openvpn probe against OpenVPN 2.6 servers through a NAT', { skip: gate.skip }, () => {
  let topology: NatTopology;
  const fixture = useProbeLab(gate, 'openvpn');
  let keyFile = '';
  let v2ClientKey = '';
  /** Writes a client .ovpn next to ta.key and returns its path. */
  const clientConfig = (name: string, lines: string[]): string => {
    const path = join(fixture.dir, `${name}.ovpn`);
    writeFileSync(path, ['client', 'dev tun', ...lines, ''].join('\n'));
    return path;
  };
  before(async () => {
    topology = fixture.topology;
    keyFile = join(fixture.dir, 'ta.key');
    copyFileSync(join(REPO_ROOT, 'test/fixtures/probes/kat.key'), keyFile);
    const certs = makeCertificates(fixture.dir);
    const v2 = makeTlsCryptV2Keys(fixture.dir);
    v2ClientKey = v2.clientKey;
    const ns = topology.publicNs;
    await Promise.all([
      startOpenVpn(ns, { address: SERVER, port: PORTS.plainUdp, proto: 'udp', subnet: '100.64.201.0', certs }),
      startOpenVpn(ns, { address: SERVER, port: PORTS.tlsAuthUdp, proto: 'udp', subnet: '100.64.202.0', certs, wrapping: { kind: 'tls-auth', keyFile, direction: 0 } }),
      startOpenVpn(ns, { address: SERVER, port: PORTS.tlsCryptUdp, proto: 'udp', subnet: '100.64.203.0', certs, wrapping: { kind: 'tls-crypt', keyFile } }),
      startOpenVpn(ns, { address: SERVER, port: PORTS.plainTcp, proto: 'tcp', subnet: '100.64.204.0', certs }),
      startOpenVpn(ns, { address: SERVER, port: PORTS.tlsCryptTcp, proto: 'tcp', subnet: '100.64.205.0', certs, wrapping: { kind: 'tls-crypt', keyFile } }),
      startOpenVpn(ns, { address: SERVER, port: PORTS.tlsAuthSha256Udp, proto: 'udp', subnet: '100.64.206.0', certs, wrapping: { kind: 'tls-auth', keyFile, direction: 0, auth: 'SHA256' } }),
      startOpenVpn(ns, { address: SERVER, port: PORTS.tlsAuthTcp, proto: 'tcp', subnet: '100.64.207.0', certs, wrapping: { kind: 'tls-auth', keyFile, direction: 0 } }),
      startOpenVpn(ns, { address: SERVER, port: PORTS.tlsCryptV2Udp, proto: 'udp', subnet: '100.64.208.0', certs, wrapping: { kind: 'tls-crypt-v2', serverKeyFile: v2.serverKey } }),
    ]);
  });

  test('plain UDP server answers the unsigned reset: open with an RTT', async () => {
    const { result } = await probeIn(topology.client, `${SERVER}:${PORTS.plainUdp}/openvpn`);
    assert.equal(result.state, 'open');
    assert.equal(typeof result.rttMs, 'number');
    assert.equal(result.detail, 'OpenVPN server answered our reset (no tls-auth/tls-crypt)');
  });

  test('tls-auth server without --config: silence, open|filtered, and advice to give the config', async () => {
    const { result } = await probeIn(topology.client, `${SERVER}:${PORTS.tlsAuthUdp}/openvpn`, ['--timeout', '800']);
    assert.equal(result.state, 'open|filtered');
    assert.match(result.detail, /ignores unsigned packets.*give --config/);
  });

  test('tls-auth with the right key and key-direction 1: open', async () => {
    const config = clientConfig('tls-auth-right', [`remote ${SERVER} ${PORTS.tlsAuthUdp}`, 'tls-auth ta.key 1']);
    const { result } = await probeIn(topology.client, `${SERVER}:${PORTS.tlsAuthUdp}/openvpn`, ['--config', config]);
    assert.equal(result.state, 'open');
    assert.equal(result.detail, 'OpenVPN server answered our reset (tls-auth, key-direction 1, auth SHA1)');
  });

  test('tls-auth with the wrong key-direction: the probe finds and names the right one', async () => {
    const config = clientConfig('tls-auth-wrong-dir', [`remote ${SERVER} ${PORTS.tlsAuthUdp}`, 'tls-auth ta.key 0']);
    const { result } = await probeIn(topology.client, `${SERVER}:${PORTS.tlsAuthUdp}/openvpn`, ['--config', config, '--timeout', '800']);
    assert.equal(result.state, 'open');
    assert.match(result.detail, /your config's tls-auth, key-direction 0, auth SHA1 gets no answer: the server answers tls-auth, key-direction 1, auth SHA1: set key-direction 1 \(your config: 0\)/);
  });

  test('tls-auth with the wrong auth digest: the probe names the server\'s digest', async () => {
    const config = clientConfig('tls-auth-wrong-digest', [`remote ${SERVER} ${PORTS.tlsAuthSha256Udp}`, 'tls-auth ta.key 1', 'auth SHA1']);
    const { result } = await probeIn(topology.client, `${SERVER}:${PORTS.tlsAuthSha256Udp}/openvpn`, ['--config', config, '--timeout', '800']);
    assert.equal(result.state, 'open');
    assert.match(result.detail, /set auth SHA256 \(your config: SHA1\)/);
  });

  test('tls-crypt over UDP with the config\'s inline key: open', async () => {
    const config = clientConfig('tls-crypt-inline', [`remote ${SERVER} ${PORTS.tlsCryptUdp} udp`, '<tls-crypt>', ...readKeyLines(keyFile), '</tls-crypt>']);
    const { result } = await probeIn(topology.client, `${SERVER}:${PORTS.tlsCryptUdp}/openvpn`, ['--config', config]);
    assert.equal(result.state, 'open');
    assert.equal(result.detail, 'OpenVPN server answered our reset (tls-crypt)');
  });

  test('tls-crypt-v2: the V3 reset with the wrapped client key gets an answer; without it, silence', async () => {
    const config = clientConfig('tls-crypt-v2', [`remote ${SERVER} ${PORTS.tlsCryptV2Udp} udp`, '<tls-crypt-v2>', ...readFileSync(v2ClientKey, 'utf8').trim().split('\n'), '</tls-crypt-v2>']);
    const { result } = await probeIn(topology.client, `${SERVER}:${PORTS.tlsCryptV2Udp}/openvpn`, ['--config', config]);
    assert.equal(result.state, 'open');
    assert.equal(result.detail, 'OpenVPN server answered our reset (tls-crypt-v2)');
    const bare = await probeIn(topology.client, `${SERVER}:${PORTS.tlsCryptV2Udp}/openvpn`, ['--timeout', '600']);
    assert.equal(bare.result.state, 'open|filtered');
  });

  test('over TCP (proto tcp-client in the config): plain and tls-crypt servers answer', async () => {
    const plain = clientConfig('tcp-plain', [`remote ${SERVER} ${PORTS.plainTcp}`, 'proto tcp-client']);
    const r1 = await probeIn(topology.client, `${SERVER}:${PORTS.plainTcp}/openvpn`, ['--config', plain]);
    assert.equal(r1.result.state, 'open');
    assert.equal(r1.result.detail, 'OpenVPN server answered our reset over TCP (no tls-auth/tls-crypt)');
    const crypt = clientConfig('tcp-crypt', [`remote ${SERVER} ${PORTS.tlsCryptTcp} tcp`, 'tls-crypt ta.key']);
    const r2 = await probeIn(topology.client, `${SERVER}:${PORTS.tlsCryptTcp}/openvpn`, ['--config', crypt]);
    assert.equal(r2.result.state, 'open');
    assert.equal(r2.result.detail, 'OpenVPN server answered our reset over TCP (tls-crypt)');
  });

  test('over TCP a tls-auth server with the wrong key-direction in the config: found and named', async () => {
    const config = clientConfig('tcp-auth-wrong', [`remote ${SERVER} ${PORTS.tlsAuthTcp} tcp-client`, 'tls-auth ta.key']);
    const { result } = await probeIn(topology.client, `${SERVER}:${PORTS.tlsAuthTcp}/openvpn`, ['--config', config, '--timeout', '1000']);
    assert.equal(result.state, 'open');
    assert.match(result.detail, /OpenVPN server is there \(TCP\), but your config's tls-auth, no key-direction, auth SHA1 gets no answer: the server answers tls-auth, key-direction 1, auth SHA1: set key-direction 1 \(your config: none\)/);
  });

  test('no key bytes in anything the CLI printed', async () => {
    const config = clientConfig('secret-check', [`remote ${SERVER} ${PORTS.tlsAuthUdp}`, 'tls-auth ta.key 0']);
    const run = await probeIn(topology.client, `${SERVER}:${PORTS.tlsAuthUdp}/openvpn`, ['--config', config, '--timeout', '500']);
    const printed = run.stdout + run.stderr;
    for (const line of readKeyLines(keyFile)) assert.ok(!printed.includes(line), 'a key line was printed');
  });
});

function readKeyLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => /^[0-9a-f]{32}$/.test(l) || l.startsWith('-----'));
}
