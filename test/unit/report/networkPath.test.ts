// The network path, rendered for every lab topology (test/lab/natTopology.ts): the report each
// topology's diagnosis gives (as the lab tests assert it) goes through the one path model, the
// terminal line, the Markdown line and the figures, and each must name the right hops with the
// right verdicts.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { useColor } from '../../../src/cli/usage';
import { formatMarkdownReport } from '../../../src/core/report/markdownReport';
import { formatPathLine, networkPath, pathProblems, type HopVerdict, type NetworkPath } from '../../../src/core/report/networkPath';
import { reportFigures, type ReportFigure } from '../../../src/core/report/reportFigures';
import { formatTextReport } from '../../../src/core/report/textReport';
import type { FilteringBehavior, MappingBehavior, NatResult, Report } from '../../../src/core/report/types';
import { CARRIER, INTERNET, LAN, NAT_BEHAVIORS, PUBLIC_LAN, STUN_ALTERNATE, STUN_PRIMARY, type NatBehavior, type NattingBehavior } from '../../lab/natTopology';

const STUN = `${STUN_PRIMARY}:3478`;

/** What RFC 5780 measures through each lab router (test/lab/natBehavior.test.ts asserts the same). */
const MEASURED: Record<NatBehavior, Pick<NatResult, 'mapping' | 'filtering' | 'type'>> = {
  none: { mapping: 'none', filtering: 'endpoint-independent', type: 'open-internet' },
  firewall: { mapping: 'none', filtering: 'address-and-port-dependent', type: 'symmetric-udp-firewall' },
  'full-cone': { mapping: 'endpoint-independent', filtering: 'endpoint-independent', type: 'full-cone' },
  'restricted-cone': { mapping: 'endpoint-independent', filtering: 'address-dependent', type: 'restricted-cone' },
  'port-restricted-cone': { mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', type: 'port-restricted-cone' },
  symmetric: { mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', type: 'symmetric' },
  'symmetric-sequential': { mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', type: 'symmetric' },
  'udp-blocked': { mapping: 'unknown', filtering: 'unknown', type: 'udp-blocked' },
};

interface Topology {
  name: string;
  behavior: NatBehavior;
  carrier?: NattingBehavior;
}

/** Every topology the lab builds: each router behaviour alone, and the two carrier (double NAT) ones. */
const TOPOLOGIES: Topology[] = [
  ...NAT_BEHAVIORS.map((behavior) => ({ name: behavior, behavior })),
  { name: 'CGNAT (port-restricted behind port-restricted)', behavior: 'port-restricted-cone', carrier: 'port-restricted-cone' },
  { name: 'double NAT (full cone behind a symmetric carrier)', behavior: 'full-cone', carrier: 'symmetric' },
];

/** The report a diagnosis in `t` gives (addresses from natTopology.ts). */
function labReport(t: Topology, extra: Partial<Report> = {}): Report {
  const natted = t.behavior !== 'none' && t.behavior !== 'firewall';
  const lan = natted ? LAN : PUBLIC_LAN;
  const blocked = t.behavior === 'udp-blocked';
  // Through two NATs the client sees the outer NAT's behaviour where it is stricter.
  const measured = t.carrier === 'symmetric' ? MEASURED.symmetric : MEASURED[t.behavior];
  const mapping: MappingBehavior = measured.mapping;
  const filtering: FilteringBehavior = measured.filtering;
  return {
    schemaVersion: 1,
    tool: { name: 'nat-doctor', version: 'test' },
    startedAt: '2026-11-24T00:00:00.000Z',
    durationMs: 700,
    servers: [{ server: STUN, address: STUN_PRIMARY, rttMs: blocked ? null : 1, rfc5780: !blocked, ...(blocked ? { error: 'no answer within 2.6 s' } : {}) }],
    publicAddress: blocked ? null : { address: natted ? INTERNET.router : lan.client, port: 40000 },
    nat: { udp: blocked ? 'blocked' : 'ok', mapping, filtering, type: measured.type, portPreservation: blocked ? null : t.carrier !== 'symmetric' && measured.type !== 'symmetric', hairpinning: null, alg: blocked ? null : false },
    cgnat: t.carrier
      ? { verdict: 'yes', confidence: 0.9, evidence: [{ signal: 'path-hop', value: `hop 2: ${CARRIER.carrier}`, meaning: 'carrier hop', weight: 0.4 }] }
      : { verdict: natted ? 'no' : 'unknown', confidence: 0.7, evidence: [] },
    portMapping: { upnp: { available: false }, natPmp: { available: false }, pcp: { available: false } },
    bindingLifetime: null,
    probes: [],
    recommendations: [],
    uplink: { interface: 'eth0', address: lan.client, gateway: lan.router, overlay: false },
    ...extra,
  };
}

const names = (path: NetworkPath): string[] => path.hops.map((h) => h.name);
const verdictOf = (path: NetworkPath, name: string): HopVerdict | undefined => [...path.hops, ...path.destinations].find((h) => h.name === name)?.verdict;

describe('the network path for every lab topology', () => {
  for (const topology of TOPOLOGIES) {
    it(`${topology.name}: hops, verdicts, the one line and the reports`, () => {
      const report = labReport(topology);
      const path = networkPath(report);
      const natted = topology.behavior !== 'none' && topology.behavior !== 'firewall';
      const lan = natted ? LAN : PUBLIC_LAN;

      assert.deepEqual(names(path), ['you', 'router', ...(topology.carrier ? ['carrier NAT'] : []), 'internet']);
      assert.equal(path.hops[0]?.address, lan.client);
      assert.equal(path.hops[1]?.address, lan.router);
      if (topology.carrier) assert.equal(path.hops[2]?.address, CARRIER.carrier);
      assert.deepEqual(path.destinations.map((d) => [d.name, d.address]), [['STUN', STUN]]);

      // Where the problem is: the NAT that decides, with its verdict.
      const outermost = topology.carrier ? 'carrier NAT' : 'router';
      const expected: Record<NatBehavior, HopVerdict> = {
        none: 'ok', firewall: 'warning', 'full-cone': 'ok', 'restricted-cone': 'ok', 'port-restricted-cone': 'ok', symmetric: 'warning', 'symmetric-sequential': 'warning', 'udp-blocked': 'blocking',
      };
      const decisive = topology.carrier === 'symmetric' ? 'warning' : topology.carrier ? 'warning' : expected[topology.behavior];
      assert.equal(verdictOf(path, outermost), decisive, JSON.stringify(path.hops));
      if (topology.carrier) {
        assert.equal(verdictOf(path, 'router'), 'ok', 'the home router is not the problem behind a carrier NAT');
        assert.match(path.hops[2]?.reason ?? '', /shares one public address/);
      }
      assert.equal(verdictOf(path, 'STUN'), topology.behavior === 'udp-blocked' ? 'blocking' : 'ok');
      for (const hop of [...path.hops, ...path.destinations]) assert.ok(hop.reason.length > 10, `${hop.name} says why`);

      const line = formatPathLine(path);
      assert.ok(line.startsWith(`you ${lan.client} → router ${lan.router}`), line);
      if (topology.carrier) assert.ok(line.includes(` → carrier NAT ${CARRIER.carrier} ⚠ → `), line);
      assert.ok(line.endsWith(topology.behavior === 'udp-blocked' ? '→ STUN no answer ✖' : '→ STUN 1 ms'), line);
      assert.ok(!line.includes('\x1b'), 'no colour unless asked');

      const text = formatTextReport(report);
      assert.equal(text.split('\n')[2], `Path  ${line}`, 'the path is the first thing after the title');
      for (const problem of pathProblems(path)) assert.ok(text.includes(`${problem.name}: ${problem.reason}`), `${problem.name} explained`);
      const markdown = formatMarkdownReport(report);
      assert.match(markdown, /\n\*\*Path:\*\* you 192\\\.0\\\.2\\\.2|\n\*\*Path:\*\* you 198\\\.51\\\.100\\\.2/);

      // Nothing of this network's addresses is left once they are hidden.
      const hidden = networkPath(report, { hideAddresses: true });
      const hiddenText = formatPathLine(hidden) + JSON.stringify(hidden) + JSON.stringify(reportFigures(report, hidden));
      for (const address of [lan.client, lan.router, CARRIER.carrier, INTERNET.router]) {
        // (The STUN server's own address, 203.0.113.10, is not this network's and stays.)
        const exact = new RegExp(`(^|[^\\d.])${address.replace(/\./g, '\\.')}(?![\\d])`);
        assert.doesNotMatch(hiddenText, exact, `${address} hidden`);
      }
    });
  }
});

describe('the network path beyond the lab routers', () => {
  const portRestricted = labReport({ name: 'prc', behavior: 'port-restricted-cone' });

  it('a VPN carrying the default route is a hop of its own, and the router behind it is not shown as ours', () => {
    const path = networkPath({ ...portRestricted, uplink: { interface: 'wg0', address: '10.8.0.2', gateway: null, overlay: true } });
    assert.deepEqual(names(path), ['you', 'VPN', 'NAT', 'internet']);
    assert.equal(path.hops[1]?.verdict, 'warning');
    assert.equal(path.hops[1]?.detail, 'wg0');
    assert.match(path.hops[1]?.reason ?? '', /tunnel's exit/);
  });

  it('router badges name the port-mapping protocols that answered', () => {
    const path = networkPath({ ...portRestricted, portMapping: { upnp: { available: true }, natPmp: { available: false, error: 'result 3' }, pcp: { available: true } } });
    assert.deepEqual(path.hops[1]?.badges, ['UPnP', 'PCP']);
    assert.ok(formatPathLine(path).includes(`router ${LAN.router} (UPnP, PCP) →`));
  });

  it('each probe is a destination: open ok, open|filtered a warning, closed and filtered blocking', () => {
    const probes: Report['probes'] = [
      { target: '203.0.113.20:1194/openvpn', state: 'open', rttMs: 2, detail: 'OpenVPN answered' },
      { target: '203.0.113.20:51820/wireguard', state: 'open|filtered', rttMs: null, detail: 'no answer' },
      { target: '203.0.113.21:443/tcp', state: 'closed', rttMs: 1, detail: 'connection refused' },
      { target: '203.0.113.22:500/ike', state: 'filtered', rttMs: null, detail: 'ICMP prohibited' },
    ];
    const path = networkPath({ ...portRestricted, probes });
    assert.deepEqual(path.destinations.map((d) => [d.name, d.address, d.verdict]), [
      ['STUN', STUN, 'ok'],
      ['openvpn', '203.0.113.20:1194', 'ok'],
      ['wireguard', '203.0.113.20:51820', 'warning'],
      ['tcp', '203.0.113.21:443', 'blocking'],
      ['ike', '203.0.113.22:500', 'blocking'],
    ]);
    assert.equal(path.verdict, 'blocking');
    assert.ok(formatPathLine(path).endsWith('→ STUN 1 ms · openvpn 203.0.113.20:1194 open · wireguard 203.0.113.20:51820 open|filtered ⚠ · tcp 203.0.113.21:443 closed ✖ · ike 203.0.113.22:500 filtered ✖'));
    assert.deepEqual(pathProblems(path).map((p) => p.name), ['tcp', 'ike', 'wireguard']);
  });

  it('several STUN servers are one segment of the line: the fastest answer and how many answered', () => {
    const servers: Report['servers'] = [
      { server: STUN, address: STUN_PRIMARY, rttMs: 9, rfc5780: true },
      { server: `${STUN_ALTERNATE}:3478`, address: STUN_ALTERNATE, rttMs: 4, rfc5780: false },
      { server: 'stun.example.org:3478', address: '', rttMs: null, rfc5780: false, error: 'did not resolve' },
    ];
    const path = networkPath({ ...portRestricted, servers });
    assert.ok(formatPathLine(path).endsWith('→ STUN 4 ms (2 of 3 answered)'));
    assert.equal(path.destinations[2]?.verdict, 'warning', 'a dead server among answering ones is a warning, not a block');
  });

  it('offline, a captive portal and a path-MTU black hole are said at the internet hop', () => {
    const offline = networkPath({ ...labReport({ name: 'b', behavior: 'udp-blocked' }), nat: { ...portRestricted.nat, udp: 'blocked', type: 'unknown', mapping: 'unknown', filtering: 'unknown' }, connectivity: { state: 'offline', dns: 'failed', tcp: 'blocked', captivePortal: null } });
    assert.equal(verdictOf(offline, 'internet'), 'blocking');
    assert.match(offline.hops.at(-1)?.reason ?? '', /^Offline/);
    assert.equal(verdictOf(offline, 'router'), 'unknown', 'an offline router is not judged');

    const portal = networkPath({ ...portRestricted, connectivity: { state: 'online', dns: 'ok', tcp: 'ok', captivePortal: true } });
    assert.equal(verdictOf(portal, 'internet'), 'blocking');
    assert.match(portal.hops.at(-1)?.reason ?? '', /captive portal/);

    const udpBlockedTcpOk = networkPath({ ...labReport({ name: 'b', behavior: 'udp-blocked' }), connectivity: { state: 'udp-blocked', dns: 'ok', tcp: 'ok', captivePortal: false } });
    assert.equal(verdictOf(udpBlockedTcpOk, 'router'), 'blocking');
    assert.equal(verdictOf(udpBlockedTcpOk, 'internet'), 'ok');

    const blackHole = networkPath({ ...portRestricted, pathMtu: { target: STUN, bytes: 1400, blackHole: true, detail: 'x' } });
    const internet = blackHole.hops.at(-1);
    assert.equal(internet?.verdict, 'warning');
    assert.equal(internet?.detail, 'MTU 1400');
    assert.match(internet?.reason ?? '', /larger than 1400 bytes vanish.*WireGuard fits with MTU = 1340\.$/);
  });

  it('a quick check (mapping only) is judged by its mapping, and an unmeasured NAT is unknown, not ok', () => {
    const quick = (mapping: MappingBehavior): HopVerdict | undefined =>
      verdictOf(networkPath({ ...portRestricted, nat: { ...portRestricted.nat, type: 'unknown', filtering: 'unknown', mapping } }), 'router');
    assert.equal(quick('endpoint-independent'), 'ok');
    assert.equal(quick('address-and-port-dependent'), 'warning');
    assert.equal(quick('unknown'), 'unknown');
  });

  it('colour paints each hop by its verdict, and the marks stay for readers without colour', () => {
    const cgnat = labReport({ name: 'c', behavior: 'port-restricted-cone', carrier: 'port-restricted-cone' });
    const text = formatTextReport(cgnat, { color: true });
    assert.ok(text.includes(`\x1b[33mcarrier NAT ${CARRIER.carrier} ⚠\x1b[0m`), text);
    assert.ok(text.includes(`\x1b[32mrouter ${LAN.router}\x1b[0m`));
  });

  it('colour only on a terminal, and never with NO_COLOR or TERM=dumb', () => {
    assert.equal(useColor({ env: {}, stdoutIsTTY: true }), true);
    assert.equal(useColor({ env: {}, stdoutIsTTY: false }), false);
    assert.equal(useColor({ env: {} }), false);
    assert.equal(useColor({ env: { NO_COLOR: '1' }, stdoutIsTTY: true }), false);
    assert.equal(useColor({ env: { NO_COLOR: '' }, stdoutIsTTY: true }), true, 'no-color.org: an empty NO_COLOR does not count');
    assert.equal(useColor({ env: { TERM: 'dumb' }, stdoutIsTTY: true }), false);
  });

  it('a hostile server name cannot inject Markdown through the path line', () => {
    const markdown = formatMarkdownReport({ ...portRestricted, servers: [{ server: '[x](http://evil.example):1', address: '', rttMs: null, rfc5780: false }] });
    assert.doesNotMatch(markdown, /\[x\]\(http/);
  });
});

describe('the small pictures', () => {
  const figure = <K extends ReportFigure['kind']>(report: Report, kind: K): Extract<ReportFigure, { kind: K }> | undefined =>
    reportFigures(report, networkPath(report)).find((f): f is Extract<ReportFigure, { kind: K }> => f.kind === kind);

  it('who can get in follows the measured filtering (RFC 4787 §5) and mapping', () => {
    const getsIn = (behavior: NatBehavior): (boolean | null)[] | undefined =>
      figure(labReport({ name: behavior, behavior }), 'access')?.senders.map((s) => s.getsIn);
    assert.deepEqual(getsIn('full-cone'), [true, true, true]);
    assert.deepEqual(getsIn('restricted-cone'), [true, true, false]);
    assert.deepEqual(getsIn('port-restricted-cone'), [true, false, false]);
    assert.deepEqual(getsIn('none'), [true, true, true]);
    assert.equal(getsIn('udp-blocked'), undefined, 'nothing gets in or out: no picture');
    assert.equal(figure(labReport({ name: 's', behavior: 'symmetric' }), 'access')?.samePortForEveryone, false);
    assert.equal(figure(labReport({ name: 's', behavior: 'symmetric' }), 'access')?.mappingVerdict, 'warning');
    assert.match(figure(labReport({ name: 'p', behavior: 'port-restricted-cone' }), 'access')?.summary ?? '', /a peer you never sent to cannot/);
  });

  it('RTT bars for STUN servers and probes, with no-answer bars kept', () => {
    const report = { ...labReport({ name: 'p', behavior: 'port-restricted-cone' }), probes: [
      { target: '203.0.113.20:1194/openvpn', state: 'open' as const, rttMs: 3, detail: 'x' },
      { target: '203.0.113.20:51820/wireguard', state: 'open|filtered' as const, rttMs: null, detail: 'y' },
    ] };
    assert.deepEqual(figure(report, 'timing')?.bars.map((b) => [b.label, b.value]), [[STUN, 1]]);
    const probes = reportFigures(report, networkPath(report)).filter((f) => f.kind === 'timing')[1];
    assert.equal(probes?.place, 'probes');
    assert.deepEqual(probes?.kind === 'timing' ? probes.bars.map((b) => [b.label, b.value, b.verdict]) : [], [
      ['203.0.113.20:1194/openvpn', 3, 'ok'], ['203.0.113.20:51820/wireguard', null, 'warning'],
    ]);
  });

  it('the lifetime against keepalives: a default that comes too late is marked, the advised value fits', () => {
    const lifetime = figure({ ...labReport({ name: 'p', behavior: 'port-restricted-cone' }), bindingLifetime: { seconds: 20, lowerSec: 18, upperSec: 22 } }, 'lifetime');
    assert.deepEqual(lifetime?.marks.map((m) => [m.label, m.value, m.verdict]), [
      ['advised here', 10, 'ok'],
      ['OpenVPN keepalive ping', 10, 'ok'],
      ['IPsec NAT-T keepalive', 20, 'blocking'],
      ['WireGuard PersistentKeepalive', 25, 'blocking'],
    ]);
    assert.match(lifetime?.summary ?? '', /Too slow for it: IPsec NAT-T keepalive \(20 s\), WireGuard PersistentKeepalive \(25 s\)/);
    assert.equal(figure(labReport({ name: 'p', behavior: 'port-restricted-cone' }), 'lifetime'), undefined, 'not measured: no picture');
  });

  it('the path MTU against tunnel packets: too large is blocking on a black hole, a warning where ICMP gets through', () => {
    const base = labReport({ name: 'p', behavior: 'port-restricted-cone' });
    const blackHole = figure({ ...base, pathMtu: { target: STUN, bytes: 1400, blackHole: true, detail: 'x' } }, 'mtu');
    assert.equal(blackHole?.place, 'path-mtu');
    // The WireGuard MTU advised for a 1400-byte path (src/core/advice: 1400 − 28 − 32 = 1340) fits exactly.
    assert.deepEqual(blackHole?.marks.map((m) => [m.label, m.value, m.verdict]), [
      ['WireGuard MTU = 1340 (advised)', 1400, 'ok'],
      ['WireGuard default (MTU 1420)', 1480, 'blocking'],
      ['OpenVPN 2.6 default (mssfix 1492 mtu)', 1492, 'blocking'],
      ['Ethernet', 1500, 'blocking'],
    ]);
    const pmtud = figure({ ...base, pathMtu: { target: STUN, bytes: 1480, blackHole: false, detail: 'x' } }, 'mtu');
    assert.deepEqual(pmtud?.marks.map((m) => [m.value, m.verdict]), [[1480, 'ok'], [1492, 'warning'], [1500, 'warning']]);
    assert.equal(figure({ ...base, pathMtu: null }, 'mtu'), undefined);
    assert.equal(figure({ ...base, pathMtu: { target: STUN, bytes: 1500, blackHole: false, detail: 'x' } }, 'mtu'), undefined, 'a path everything fits needs no picture');
  });
});
