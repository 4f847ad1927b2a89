// The transport states and the tcp/tls/stun/turn probes against real listeners in the public
// namespace, through the lab NAT: a TCP listener, a TLS listener with a self-signed certificate,
// a closed UDP port, ports dropped and ports rejected (ICMP admin-prohibited) by nftables, coturn
// for STUN and for TURN with a long-term user. Also the default five-port set, all filtered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { runCli } from './cliRunner';
import { startCoturn, type Coturn } from './coturn';
import { INTERNET, STUN_ALTERNATE, STUN_PRIMARY, type NatTopology } from './natTopology';
import { engineIn, makeCertificates, probeIn, probeLabGate, useProbeLab, startListener, startTurnServer } from './probeServers';

const gate = probeLabGate(['turnserver', 'openssl', 'ss']);
const TURN_PORT = 3480;
/** A host whose every packet is dropped (silence). */
const DROPPED_HOST = '203.0.113.12';
const TURN_USER = 'alice';
const TURN_PASSWORD = 'lab-turn-pass-0f3a';

/** Firewall of the public namespace: drops and ICMP rejects on chosen ports, and the default set on .11. */
const FIREWALL = `table inet probefw {
  chain input {
    type filter hook input priority 0; policy accept;
    udp dport 6000 drop
    tcp dport 6001 drop
    udp dport 6002 reject with icmp type admin-prohibited
    tcp dport 6003 reject with icmp type admin-prohibited
    ip daddr ${STUN_ALTERNATE} udp dport { 500, 4500, 1194, 51820 } reject with icmp type admin-prohibited
    ip daddr ${STUN_ALTERNATE} tcp dport 443 reject with icmp type admin-prohibited
    ip daddr ${DROPPED_HOST} drop
  }
}
`;

describe('transport states, tcp, tls, stun and turn through a NAT', { skip: gate.skip }, () => {
  let topology: NatTopology;
  let coturn: Coturn | undefined;
  const fixture = useProbeLab(gate, 'transport');
  after(async () => {
    await coturn?.stop();
  });
  before(async () => {
    topology = fixture.topology;
    const ns = topology.publicNs;
    await topology.addPublicAddress(DROPPED_HOST);
    await ns.nft(FIREWALL);
    // Linux rate-limits ICMP errors per destination (icmp_ratelimit: a burst of 6, then 1/s), and
    // every probe here reaches the server from the same NAT address: without this, the fifth
    // parallel probe's ICMP may be suppressed and honestly reported as silence (open|filtered).
    await ns.sysctl('net.ipv4.icmp_ratelimit', 0);
    const certs = makeCertificates(fixture.dir);
    await Promise.all([
      startListener(ns, { address: STUN_PRIMARY, port: 8080 }),
      startListener(ns, { address: STUN_PRIMARY, port: 8443, tls: { cert: certs.cert, key: certs.key } }),
      startCoturn(ns, { addresses: [STUN_PRIMARY] }).then((c) => {
        coturn = c;
      }),
      startTurnServer(ns, fixture.dir, { address: STUN_ALTERNATE, port: TURN_PORT, user: TURN_USER, password: TURN_PASSWORD, realm: 'lab.example' }),
    ]);
  });

  test('tcp: a listener is open with the connect RTT; no listener is closed (RST)', async () => {
    const open = await probeIn(topology.client, `${STUN_PRIMARY}:8080/tcp`);
    assert.equal(open.result.state, 'open');
    assert.equal(typeof open.result.rttMs, 'number');
    assert.equal(open.result.detail, 'TCP 8080 accepted the connection');
    const closed = await probeIn(topology.client, `${STUN_PRIMARY}:8081/tcp`);
    assert.equal(closed.result.state, 'closed');
    assert.match(closed.result.detail, /refused the connection \(RST\)/);
  });

  test('tls: protocol version and a certificate that is not trusted here, reported instead of refused', async () => {
    const { result } = await probeIn(topology.client, `${STUN_PRIMARY}:8443/tls`);
    assert.equal(result.state, 'open');
    assert.match(result.detail, /^TLS 1\.3 handshake completed; certificate CN=vpn\.lab\.example, issued by NAT Doctor lab CA, expires \d{4}-\d\d-\d\d \(in [01] days\), not trusted here \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)$/);
  });

  test('a closed UDP port is closed: ICMP port unreachable comes back through the NAT', async () => {
    const { result } = await probeIn(topology.client, `${STUN_PRIMARY}:5999/ike`);
    assert.equal(result.state, 'closed');
    assert.match(result.detail, /^ICMP port unreachable/);
  });

  test('a UDP port dropped by nftables is open|filtered; a dropped TCP port is filtered (timeout)', async () => {
    const udp = await probeIn(topology.client, `${STUN_PRIMARY}:6000/stun`, ['--timeout', '700']);
    assert.equal(udp.result.state, 'open|filtered');
    assert.match(udp.result.detail, /^no answer on UDP 6000 within 700 ms/);
    const tcp = await probeIn(topology.client, `${STUN_PRIMARY}:6001/tcp`, ['--timeout', '700']);
    assert.equal(tcp.result.state, 'filtered');
    assert.match(tcp.result.detail, /no answer to the connection attempt within 700 ms/);
  });

  test('ports rejected with ICMP admin-prohibited are filtered, UDP and TCP', async () => {
    const udp = await probeIn(topology.client, `${STUN_PRIMARY}:6002/openvpn`);
    assert.equal(udp.result.state, 'filtered');
    assert.match(udp.result.detail, /^ICMP destination unreachable \(EHOSTUNREACH\)/);
    const tcp = await probeIn(topology.client, `${STUN_PRIMARY}:6003/tls`);
    assert.equal(tcp.result.state, 'filtered');
    assert.match(tcp.result.detail, /^ICMP destination unreachable \(EHOSTUNREACH\)/);
  });

  // How long the sets take is measured by bench/probes.bench.mjs (target ≤ 1.5 s), not asserted here.
  test('the default five-port set, all rejected by ICMP, is filtered on every port', async () => {
    const targets = [`${STUN_ALTERNATE}:500/ike`, `${STUN_ALTERNATE}:4500/ike-natt`, `${STUN_ALTERNATE}:1194/openvpn`, `${STUN_ALTERNATE}:51820/wireguard`, `${STUN_ALTERNATE}:443/tls`];
    const { results } = await engineIn(topology.client, { targets });
    assert.deepEqual(results.map((r) => r.state), ['filtered', 'filtered', 'filtered', 'filtered', 'filtered']);
  });

  test('the default set on a host that drops everything: UDP open|filtered, TCP filtered', async () => {
    const ports = ['500/ike', '4500/ike-natt', '1194/openvpn', '51820/wireguard', '443/tls'];
    const { results } = await engineIn(topology.client, { targets: ports.map((p) => `${DROPPED_HOST}:${p}`) });
    assert.deepEqual(results.map((r) => r.state), ['open|filtered', 'open|filtered', 'open|filtered', 'open|filtered', 'filtered']);
  });

  test('stun: coturn answers and shows the NAT\'s public address', async () => {
    const { result } = await probeIn(topology.client, `${STUN_PRIMARY}:3478/stun`);
    assert.equal(result.state, 'open');
    assert.match(result.detail, new RegExp(`^STUN server answered \\(Coturn[^)]*\\): it sees you as ${INTERNET.router.replace(/\./g, '\\.')}:\\d+; a NAT sits between you and this server`));
  });

  test('turn: Allocate with the user\'s credentials gives the relayed address, then releases it', async () => {
    const run = await probeIn(topology.client, `${STUN_ALTERNATE}:${TURN_PORT}/turn`, ['--user', TURN_USER], { NAT_DOCTOR_TURN_PASSWORD: TURN_PASSWORD });
    assert.equal(run.result.state, 'open');
    assert.match(run.result.detail, new RegExp(`^TURN relay allocated at ${STUN_ALTERNATE.replace(/\./g, '\\.')}:\\d+ in [\\d.]+ ms; released it again \\(Refresh lifetime 0\\)$`));
    assert.ok(!(run.stdout + run.stderr).includes(TURN_PASSWORD), 'the password was printed');
  });

  test('diagnose with a TURN probe lists the allocated relay as an ICE relayed candidate', async () => {
    const run = await runCli(topology.client, ['diagnose', '--json', '--stun', `${STUN_PRIMARY}:3478`, '--probe', `${STUN_ALTERNATE}:${TURN_PORT}/turn`, '--user', TURN_USER], 20_000, { NAT_DOCTOR_TURN_PASSWORD: TURN_PASSWORD });
    assert.equal(run.code, 0, run.stderr);
    const report = run.json as Report;
    const relay = report.candidates?.find((c) => c.type === 'relay');
    assert.equal(relay?.address, STUN_ALTERNATE, JSON.stringify({ probes: report.probes, candidates: report.candidates }));
    assert.ok(report.candidates?.some((c) => c.type === 'srflx' && c.address === INTERNET.router));
    assert.ok(!(run.stdout + run.stderr).includes(TURN_PASSWORD), 'the password was printed');
  });

  test('turn: a wrong password is named as such; without credentials the 401 still proves the server', async () => {
    const wrong = await probeIn(topology.client, `${STUN_ALTERNATE}:${TURN_PORT}/turn`, ['--user', TURN_USER], { NAT_DOCTOR_TURN_PASSWORD: 'not-it' });
    assert.equal(wrong.result.state, 'open');
    assert.match(wrong.result.detail, /rejected the user name or password \(401, realm "lab\.example"\)/);
    assert.ok(!(wrong.stdout + wrong.stderr).includes('not-it'));
    const anonymous = await probeIn(topology.client, `${STUN_ALTERNATE}:${TURN_PORT}/turn`);
    assert.match(anonymous.result.detail, /TURN server answered \(401: needs credentials, realm "lab\.example"\)/);
  });
});
