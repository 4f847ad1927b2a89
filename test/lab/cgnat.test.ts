// CGNAT verdict and router port mapping on real topologies: a single NAT and a home router behind
// a carrier NAT (home WAN in 100.64.0.0/10), each with and without miniupnpd (UPnP IGD, NAT-PMP,
// PCP) on the home router. The verdict must be right on every one, with its evidence, and no
// port mapping may be left in miniupnpd afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatPathLine, networkPath } from '../../src/core/report/networkPath';
import type { Report } from '../../src/core/report/types';
import { assertCliBuilt, diagnoseIn } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { startMiniupnpd, type Miniupnpd } from './miniupnpd';
import { buildNatTopology, CARRIER, INTERNET, LAN, STUN_ALTERNATE, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver', 'miniupnpd', 'traceroute']);
const STUN = `${STUN_PRIMARY}:3478`;

interface Case {
  topology: NatTopology;
  miniupnpd?: Miniupnpd;
  report: Report;
}

async function setUp(lab: Lab, double: boolean, withUpnp: boolean): Promise<Case> {
  const topology = await buildNatTopology(lab, {
    behavior: 'port-restricted-cone',
    ...(double ? { carrier: { behavior: 'port-restricted-cone' as const } } : {}),
  });
  await startCoturn(topology.publicNs, { addresses: [STUN_PRIMARY, STUN_ALTERNATE] });
  const miniupnpd = withUpnp ? await startMiniupnpd(topology.router, { wan: 'wan0', lan: 'lan0', lanSubnet: `${LAN.client}/24` }) : undefined;
  const { report } = await diagnoseIn(topology.client, [STUN]);
  return { topology, report, ...(miniupnpd ? { miniupnpd } : {}) };
}

describe('CGNAT verdict and router port mapping', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  const cases = new Map<string, Case>();
  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    lab = new Lab();
    // Each topology lives in its own namespaces; build them one after another (2 cores).
    cases.set('single', await setUp(lab, false, false));
    cases.set('single+upnp', await setUp(lab, false, true));
    cases.set('double', await setUp(lab, true, false));
    cases.set('double+upnp', await setUp(lab, true, true));
  });
  after(() => lab?.close());
  const get = (name: string): Case => cases.get(name) as Case;

  test('a plain single NAT is not CGNAT, and a router without port-mapping services says so per protocol', () => {
    const { report } = get('single');
    assert.equal(report.cgnat.verdict, 'no', JSON.stringify(report.cgnat));
    assert.ok(report.cgnat.evidence.some((e) => e.signal === 'hops-to-public-address' && e.value === '1'));
    for (const protocol of ['upnp', 'natPmp', 'pcp'] as const) {
      assert.equal(report.portMapping[protocol].available, false);
      assert.ok(report.portMapping[protocol].error, `${protocol} carries the reason`);
    }
    assert.equal(report.uplink?.gateway, LAN.router);
    assert.ok(report.recommendations.some((r) => r.id === 'enable-port-mapping'));
  });

  // miniupnpd refuses to report any reserved WAN address, and the lab may only use documentation
  // ranges: on a single NAT it answers NAT-PMP result 3 and an empty UPnP address, exactly as behind
  // CGNAT. The verdict must still be "no": the router answers for our public address itself.
  test('a single NAT running miniupnpd: services found, its refusal to name a reserved WAN address is not taken for CGNAT', () => {
    const { report, miniupnpd } = get('single+upnp');
    assert.equal(report.portMapping.upnp.available, true);
    assert.equal(report.portMapping.pcp.available, true);
    assert.equal(report.portMapping.natPmp.available, false);
    assert.match(report.portMapping.natPmp.error ?? '', /result 3/);
    assert.equal(report.publicAddress?.address, INTERNET.router);
    assert.equal(report.cgnat.verdict, 'no', JSON.stringify(report.cgnat));
    const refusal = report.cgnat.evidence.find((e) => e.signal === 'router-reports-no-public-address');
    assert.equal(refusal?.weight, 0);
    assert.ok(!report.recommendations.some((r) => r.id === 'enable-port-mapping'), 'UPnP is already there');
    assert.deepEqual(miniupnpd?.leases(), [], 'no port mapping left behind');
  });

  test('a home router behind a carrier NAT is detected as CGNAT from the path alone', () => {
    const { report } = get('double');
    assert.equal(report.cgnat.verdict, 'yes', JSON.stringify(report.cgnat));
    const signals = report.cgnat.evidence.map((e) => e.signal);
    assert.ok(signals.includes('path-hop'), `carrier hop ${CARRIER.carrier} seen`);
    assert.ok(signals.includes('hops-to-public-address'));
    assert.ok(report.cgnat.evidence.some((e) => e.value.includes(CARRIER.carrier)));
    assert.ok(report.recommendations.some((r) => r.id === 'cgnat-no-port-forwarding'));
  });

  test('the network path of a real CGNAT puts the carrier NAT between the router and the internet, and says why', () => {
    const path = networkPath(get('double+upnp').report);
    assert.deepEqual(path.hops.map((h) => [h.name, h.address, h.verdict]), [
      ['you', LAN.client, 'ok'],
      ['router', LAN.router, 'ok'],
      ['carrier NAT', CARRIER.carrier, 'warning'],
      ['internet', INTERNET.router, 'ok'],
    ]);
    assert.deepEqual(path.hops[1]?.badges, ['UPnP', 'PCP'], 'miniupnpd answered UPnP and PCP');
    assert.match(path.hops[2]?.reason ?? '', /port forwarding cannot/);
    assert.match(formatPathLine(path), new RegExp(`router ${LAN.router.replace(/\./g, '\\.')} \\(UPnP, PCP\\) → carrier NAT ${CARRIER.carrier.replace(/\./g, '\\.')} ⚠ → internet`));
    assert.deepEqual(networkPath(get('single').report).hops.map((h) => h.name), ['you', 'router', 'internet'], 'no carrier hop without CGNAT');
  });

  test('miniupnpd behind a carrier NAT answers NAT-PMP result 3 and an empty UPnP address: CGNAT, with that evidence', () => {
    const { report, miniupnpd } = get('double+upnp');
    assert.equal(report.portMapping.natPmp.available, false);
    assert.match(report.portMapping.natPmp.error ?? '', /result 3/);
    assert.equal(report.portMapping.upnp.externalAddress, undefined);
    assert.match(report.portMapping.upnp.error ?? '', /no external address/);
    assert.equal(report.cgnat.verdict, 'yes');
    assert.ok(report.cgnat.evidence.some((e) => e.signal === 'router-reports-no-public-address'));
    assert.ok(report.cgnat.confidence > 0.8);
    assert.deepEqual(miniupnpd?.leases(), [], 'no port mapping left behind');
  });
});
