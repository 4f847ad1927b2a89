// wireguard against a real wireguard-go (userspace, /dev/net/tun) in the public namespace, through
// the lab NAT, with the known-answer keys of test/fixtures/probes: right keys, wrong PresharedKey, unknown peer, and
// no config at all. The server's own view (`wg show`) proves the probe never completed the
// handshake with a keepalive, and shows the side effect the warning describes.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { REPO_ROOT } from './cliRunner';
import { INTERNET, STUN_PRIMARY, type NatTopology } from './natTopology';
import { probeIn, probeLabGate, useProbeLab, startWireGuard, type WireGuardServer } from './probeServers';

const gate = probeLabGate(['wireguard-go', 'wg', 'ss']);
const SERVER_PRIVATE = 'oK/KSSAUGeO+iYwey90tOch4zRUZwgmaDTIchh+i+k4=';
const CLIENT_PUBLIC = 'qHwXsTsQz+kC1sntBm28nbbm4AKBN4r3UmUYprgD7Fo=';
const CLIENT_PRIVATE = 'uL14uGAGRLDCP1D0a7p0iUMPvhIPFo4NidmJ8gM4QWU=';
const PSK = 'HZdtzF60pYqQXbbzNNMQa06bGDS6bYnchEZ5kdiqPLQ=';
const PORT = 51820;

describe('wireguard probe against wireguard-go through a NAT', { skip: gate.skip }, () => {
  let topology: NatTopology;
  let wg: WireGuardServer;
  const fixture = useProbeLab(gate, 'wireguard');
  const kat = readFileSync(join(REPO_ROOT, 'test/fixtures/probes/kat-client.conf'), 'utf8');
  const config = (name: string, text: string): string => {
    const path = join(fixture.dir, `${name}.conf`);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  before(async () => {
    topology = fixture.topology;
    wg = await startWireGuard(topology.publicNs, fixture.dir, {
      privateKey: SERVER_PRIVATE,
      port: PORT,
      address: '100.64.100.1/24',
      peers: [{ publicKey: CLIENT_PUBLIC, presharedKey: PSK, allowedIp: '100.64.100.2/32' }],
    });
  });

  test('right keys: the handshake response verifies; no keepalive was sent (the server never saw the handshake complete)', async () => {
    const { result, stdout, stderr } = await probeIn(topology.client, `${STUN_PRIMARY}:${PORT}/wireguard`, ['--config', config('right', kat)]);
    assert.equal(result.state, 'open');
    assert.equal(typeof result.rttMs, 'number');
    assert.match(result.detail, /^WireGuard handshake completed: the server accepted this PrivateKey and PresharedKey/);
    assert.match(result.detail, /points its peer at the probe/);
    assert.deepEqual(Object.keys(result).sort(), ['detail', 'rttMs', 'state', 'target'], 'exactly a ProbeResult');
    // wireguard-go records a handshake for the peer only when the initiator's first transport
    // packet (data or keepalive) arrives: 0 means the probe stopped after the response.
    assert.match(await wg.show('latest-handshakes'), new RegExp(`^${CLIENT_PUBLIC.replace(/[+/]/g, '\\$&')}\\t0$`, 'm'));
    // …and the side effect the warning describes: the peer now points at the probe's NAT mapping.
    assert.match(await wg.show('endpoints'), new RegExp(`\\t${INTERNET.router.replace(/\./g, '\\.')}:\\d+$`, 'm'));
    for (const secret of [CLIENT_PRIVATE, PSK]) assert.ok(!(stdout + stderr).includes(secret), 'a key was printed');
  });

  test('wrong PresharedKey: the server still answers, and the probe says the PresharedKey differs', async () => {
    const wrong = kat.replace(PSK, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    const { result } = await probeIn(topology.client, `${STUN_PRIMARY}:${PORT}/wireguard`, ['--config', config('wrong-psk', wrong)]);
    assert.equal(result.state, 'open');
    assert.match(result.detail, /answered the handshake for this key, but the response does not verify: the PresharedKey differs/);
  });

  test('unknown peer: wireguard-go stays silent, so the probe says open|filtered and why', async () => {
    const stranger = kat.replace(CLIENT_PRIVATE, 'YJ6t6kf1ByrjIWtcr7gRPHrGxOkrIm2xbR+AtK5+UWI=');
    const { result } = await probeIn(topology.client, `${STUN_PRIMARY}:${PORT}/wireguard`, ['--config', config('stranger', stranger), '--timeout', '1500']);
    assert.equal(result.state, 'open|filtered');
    assert.match(result.detail, /does not know this PrivateKey's public key/);
    await wg.process.waitForOutput(/Received invalid initiation message/, 5_000);
  });

  test('no config: honest open|filtered (WireGuard answers nobody it does not know)', async () => {
    const { result } = await probeIn(topology.client, `${STUN_PRIMARY}:${PORT}/wireguard`, ['--timeout', '600']);
    assert.equal(result.state, 'open|filtered');
    assert.match(result.detail, /WireGuard never answers a peer it does not know/);
  });

  test('a closed WireGuard port is closed (ICMP port unreachable through the NAT)', async () => {
    const { result } = await probeIn(topology.client, `${STUN_PRIMARY}:${PORT + 1}/wireguard`, ['--config', config('closed', kat)]);
    assert.equal(result.state, 'closed');
  });
});
