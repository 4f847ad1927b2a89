import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { keepaliveAdvice, measuredFromReport } from '../../../src/core/advice/tunnelAdvice';
import { fastestTurnServer, toProbeResult } from '../../../src/core/probes/probe';
import type { ProbeOutcome } from '../../../src/core/probes/types';
import { recommend } from '../../../src/core/report/recommendations';
import { reportSections } from '../../../src/core/report/reportSections';
import type { Report } from '../../../src/core/report/types';
import { sampleReport } from './reportFixture';

const report = sampleReport;
const ids = (r: Report): string[] => recommend(r).map((x) => x.id);

describe('recommendations', () => {
  it('symmetric NAT needs a relay, names static-port NAT and IPv6', () => {
    const got = ids(report({}, { mapping: 'address-and-port-dependent', type: 'symmetric', portPreservation: false }));
    for (const id of ['p2p-relay-needed', 'static-port-nat', 'ipv6-escape-hatch', 'enable-port-mapping']) assert.ok(got.includes(id), `${id} in ${got}`);
  });
  it('UDP blocked says only that, as an error', () => {
    const r = recommend(report({ publicAddress: null }, { udp: 'blocked', mapping: 'unknown', filtering: 'unknown', type: 'udp-blocked' }));
    assert.deepEqual(r.map((x) => [x.id, x.severity]), [['udp-blocked', 'error']]);
  });
  it('CGNAT means port forwarding cannot help, and UPnP advice is not given', () => {
    const got = ids(report({ cgnat: { verdict: 'yes', confidence: 0.9, evidence: [] } }));
    assert.ok(got.includes('cgnat-no-port-forwarding'));
    assert.ok(!got.includes('enable-port-mapping'));
  });
  it('the keepalive follows the measured lifetime: min(25, ⌊lifetime / 2⌋)', () => {
    const keepaliveSeconds = (bindingLifetime: Report['bindingLifetime']): number =>
      keepaliveAdvice(measuredFromReport(report({ bindingLifetime }))).wireguard.persistentKeepalive;
    assert.equal(keepaliveSeconds(null), 25);
    assert.equal(keepaliveSeconds({ seconds: 30, lowerSec: 25, upperSec: 35 }), 15);
    assert.equal(keepaliveSeconds({ seconds: 120, lowerSec: 115, upperSec: 125 }), 25);
    const keepalive = recommend(report({ bindingLifetime: { seconds: 30, lowerSec: 25, upperSec: 35 } })).find((x) => x.id === 'keepalive');
    assert.match(keepalive?.message ?? '', /after ~30 s: set PersistentKeepalive = 15/);
    assert.equal(keepalive?.severity, 'warning');
  });
  it('of several TURN servers the fastest that allocated a relay is named', () => {
    // As diagnose() does: the fastest is chosen from the probe outcomes (typed `relayed`), and the
    // Report carries only the four contract fields of each probe.
    const outcomes: ProbeOutcome[] = [
      { target: '198.51.100.5:3478/turn', state: 'open', rttMs: 30, detail: 'TURN relay allocated at 198.51.100.5:50000 in 30 ms', relayed: { address: '198.51.100.5', port: 50000 } },
      { target: '203.0.113.7:3478/turn', state: 'open', rttMs: 12, detail: 'TURN relay allocated at 203.0.113.7:50000 in 12 ms', relayed: { address: '203.0.113.7', port: 50000 } },
      { target: '203.0.113.8:3478/turn', state: 'open', rttMs: 5, detail: 'TURN server rejected the user name or password' },
    ];
    const fastest = fastestTurnServer(outcomes);
    assert.ok(fastest);
    const turn = recommend(report({ probes: outcomes.map(toProbeResult) }), { fastestTurnServer: fastest })
      .find((x) => x.id === 'fastest-turn-server');
    assert.match(turn?.message ?? '', /203\.0\.113\.7:3478 answered fastest \(12 ms\)/);
  });
  it('one TURN server is no choice: no fastest-turn-server advice', () => {
    const probes: Report['probes'] = [{ target: '203.0.113.7:3478/turn', state: 'open', rttMs: 12, detail: 'x' }];
    assert.ok(!ids(report({ probes })).includes('fastest-turn-server'));
    const one = recommend(report({ probes }), { fastestTurnServer: { target: probes[0]!.target, rttMs: 12 } });
    assert.ok(!one.some((x) => x.id === 'fastest-turn-server'));
  });
  it('a default route through a VPN is called out', () => {
    assert.ok(ids(report({ uplink: { interface: 'wg0', address: '10.8.0.2', gateway: null, overlay: true } })).includes('measured-through-vpn'));
  });
});

describe('path MTU recommendations', () => {
  const pathMtu = (bytes: number | null, blackHole: boolean | null, target = '203.0.113.10:3478'): Report['pathMtu'] => ({ target, bytes, blackHole, detail: 'the server ignores PADDING' });

  it('no path measured (an older report, or quick mode): neither mtu-black-hole nor tunnel-mtu', () => {
    for (const r of [report(), report({ pathMtu: null }), report({ pathMtu: pathMtu(null, null) })]) {
      assert.deepEqual(ids(r).filter((id) => /mtu/.test(id)), []);
    }
  });
  it('a black hole whose size could not be pinned down still says so, without numbers', () => {
    const recs = recommend(report({ pathMtu: pathMtu(null, true) }));
    const hole = recs.find((x) => x.id === 'mtu-black-hole');
    assert.equal(hole?.severity, 'warning');
    assert.match(hole?.message ?? '', /set the tunnel's MTU explicitly/);
    assert.ok(!recs.some((x) => x.id === 'tunnel-mtu'));
  });
  it('a path measured over IPv6 names the IPv6 values first and the IPv4 ones beside them', () => {
    const message = recommend(report({ pathMtu: pathMtu(1400, false, '[2001:db8:2::10]:3478') })).find((x) => x.id === 'tunnel-mtu')?.message ?? '';
    assert.match(message, /over IPv6\)\. WireGuard: set MTU = 1320 in \[Interface\] \(MTU = 1340 if the tunnel runs over IPv4\)\. OpenVPN: mssfix 1400 mtu for TCP inside the tunnel, and tun-mtu 1320/);
  });
  it('a host-name target takes the family of the address that server resolved to', () => {
    const r = report({ servers: [{ server: 'stun.example.org:3478', address: '2001:db8:2::10', rttMs: 1, rfc5780: true }], pathMtu: pathMtu(1400, false, 'stun.example.org:3478') });
    assert.match(recommend(r).find((x) => x.id === 'tunnel-mtu')?.message ?? '', /MTU = 1320 in \[Interface\]/);
  });
  it('UDP blocked says only that', () => {
    assert.deepEqual(ids(report({ publicAddress: null, pathMtu: pathMtu(1400, true) }, { udp: 'blocked', mapping: 'unknown', filtering: 'unknown', type: 'udp-blocked' })), ['udp-blocked']);
  });
});

describe('the lifetime rows of the report', () => {
  const rows = (bindingLifetime: Report['bindingLifetime']): string[] =>
    (reportSections(report({ bindingLifetime })).find((s) => s.id === 'lifetime')?.rows ?? []).map((r) => `${r.label}: ${r.value}`);
  it('an established lifetime gets its own row; an older report has none', () => {
    assert.deepEqual(rows({ seconds: 32, lowerSec: 30, upperSec: 35, established: { seconds: 122, lowerSec: 120, upperSec: 125 } }),
      ['Idle mapping kept: ~32 s (between 30 and 35 s)', 'Once packets went both ways: ~122 s (between 120 and 125 s)']);
    assert.deepEqual(rows({ seconds: 32, lowerSec: 30, upperSec: 35 }), ['Idle mapping kept: ~32 s (between 30 and 35 s)']);
    assert.deepEqual(rows({ seconds: 32, lowerSec: 30, upperSec: 35, established: null }), ['Idle mapping kept: ~32 s (between 30 and 35 s)', 'Once packets went both ways: not measured']);
    assert.deepEqual(rows({ seconds: null, lowerSec: 300, upperSec: 300, established: { seconds: null, lowerSec: 300, upperSec: 300 } }),
      ['Idle mapping kept: at least 300 s', 'Once packets went both ways: at least 300 s']);
  });
});
