import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { cgnatVerdict, type CgnatSignals } from '../../../src/core/cgnat/cgnatVerdict';
import { parseTraceOutput, type TracePath } from '../../../src/core/cgnat/tracePath';
import type { PortMappingProbe } from '../../../src/core/portmap/portMapping';

const homeUplink = { interface: 'eth0', address: '192.168.1.20', gateway: '192.168.1.1', overlay: false, source: 'test' };
const none: PortMappingProbe = { natPmp: { answered: false }, pcp: { answered: false }, upnp: { answered: false } };
const path = (target: string, ...hops: Array<string | null>): TracePath => ({
  target,
  tool: 'traceroute',
  hops: hops.map((address, i) => ({ ttl: i + 1, address })),
});
const base: CgnatSignals = {
  uplink: homeUplink,
  publicAddress: '203.0.113.1',
  mapping: 'endpoint-independent',
  portMapping: none,
  pathToServer: null,
  pathToPublic: null,
};

describe('CGNAT verdict from independent signals', () => {
  it('a private local address alone is not evidence of anything', () => {
    const r = cgnatVerdict(base);
    assert.equal(r.verdict, 'unknown');
    assert.equal(r.evidence.length, 0);
  });

  it('a router WAN address in 100.64.0.0/10 is direct evidence: yes', () => {
    const r = cgnatVerdict({ ...base, portMapping: { ...none, natPmp: { answered: true, resultCode: 0, externalAddress: '100.72.1.9' } } });
    assert.equal(r.verdict, 'yes');
    assert.ok(r.evidence.some((e) => e.signal === 'router-wan-address' && e.value === '100.72.1.9'));
  });

  it('a router that holds the STUN-seen address means no CGNAT', () => {
    const r = cgnatVerdict({ ...base, portMapping: { ...none, upnp: { answered: true, externalAddress: '203.0.113.1', connectionStatus: 'Connected' } } });
    assert.equal(r.verdict, 'no');
    assert.ok(r.confidence >= 0.8);
  });

  it('a plain single NAT seen by traceroute (public address at hop 1, public hop 2) is no, never yes', () => {
    const r = cgnatVerdict({
      ...base,
      pathToServer: path('203.0.113.10', '192.168.1.1', '198.51.100.77', '203.0.113.10'),
      pathToPublic: path('203.0.113.1', '203.0.113.1'),
    });
    assert.equal(r.verdict, 'no');
  });

  it('a silent hop right after the gateway (ICMP rate-limited, or a CGNAT box) is not read as a public router', () => {
    const r = cgnatVerdict({ ...base, pathToServer: path('203.0.113.10', '192.168.1.1', null, '198.51.100.77', '203.0.113.10') });
    assert.ok(!r.evidence.some((e) => e.signal === 'path-hop'), JSON.stringify(r.evidence));
    assert.equal(r.verdict, 'unknown');
  });

  it('a carrier-grade hop after the gateway alone is not enough', () => {
    const r = cgnatVerdict({ ...base, pathToServer: path('203.0.113.10', '192.168.1.1', '100.64.0.1', '203.0.113.10') });
    assert.equal(r.verdict, 'unknown');
  });

  it('a carrier-grade hop and a public address two hops away together say yes', () => {
    const r = cgnatVerdict({
      ...base,
      pathToServer: path('203.0.113.10', '192.168.1.1', '100.64.0.1', '203.0.113.10'),
      pathToPublic: path('203.0.113.1', '192.168.1.1', '203.0.113.1'),
    });
    assert.equal(r.verdict, 'yes');
    assert.deepEqual(r.evidence.map((e) => e.signal).sort(), ['hops-to-public-address', 'path-hop']);
  });

  it('NAT-PMP result 3 and an empty UPnP address (miniupnpd behind CGNAT) with a carrier hop say yes', () => {
    const r = cgnatVerdict({
      ...base,
      portMapping: {
        natPmp: { answered: true, resultCode: 3, error: 'network failure' },
        pcp: { answered: true, resultCode: 0 },
        upnp: { answered: true, externalAddress: '', connectionStatus: 'Connected' },
      },
      pathToServer: path('203.0.113.10', '192.168.1.1', '100.64.0.1'),
    });
    assert.equal(r.verdict, 'yes');
    const signal = r.evidence.find((e) => e.signal === 'router-reports-no-public-address');
    assert.match(signal?.value ?? '', /NAT-PMP result 3/);
    assert.match(signal?.value ?? '', /UPnP external address empty while Connected/);
  });

  it('a router that refuses to name its WAN address but answers for our public address itself is not CGNAT', () => {
    const r = cgnatVerdict({
      ...base,
      portMapping: { ...none, natPmp: { answered: true, resultCode: 3 }, upnp: { answered: true, externalAddress: '' } },
      pathToPublic: path('203.0.113.1', '203.0.113.1'),
    });
    assert.equal(r.verdict, 'no');
    assert.equal(r.evidence.find((e) => e.signal === 'router-reports-no-public-address')?.weight, 0);
  });

  it('a Tailscale address on an overlay interface is never read as the ISP’s', () => {
    const r = cgnatVerdict({ ...base, uplink: { interface: 'tailscale0', address: '100.101.102.103', gateway: null, overlay: true, source: 'test' } });
    assert.notEqual(r.verdict, 'yes');
    assert.ok(r.evidence.some((e) => e.signal === 'default-route-interface'));
  });

  it('a device address in 100.64.0.0/10 on a physical interface is only corroborating evidence', () => {
    const r = cgnatVerdict({ ...base, uplink: { ...homeUplink, address: '100.80.3.4', gateway: '100.80.0.1' } });
    assert.equal(r.verdict, 'yes', 'own address and gateway in the carrier range are two signals');
    const alone = cgnatVerdict({ ...base, uplink: { ...homeUplink, address: '100.80.3.4', gateway: '192.0.2.1' } });
    assert.equal(alone.verdict, 'unknown');
  });

  it('no NAT at all is no', () => {
    const r = cgnatVerdict({ ...base, uplink: { ...homeUplink, address: '203.0.113.1' }, mapping: 'none' });
    assert.equal(r.verdict, 'no');
  });
});

describe('traceroute, tracepath and tracert output', () => {
  it('reads traceroute -n -q1', () => {
    const text = 'traceroute to 203.0.113.10 (203.0.113.10), 4 hops max, 60 byte packets\n 1  192.0.2.1  0.050 ms\n 2  100.64.0.1  0.040 ms\n 3  *\n 4  203.0.113.10  0.1 ms\n';
    assert.deepEqual(parseTraceOutput(text), [
      { ttl: 1, address: '192.0.2.1' },
      { ttl: 2, address: '100.64.0.1' },
      { ttl: 3, address: null },
      { ttl: 4, address: '203.0.113.10' },
    ]);
  });
  it('reads tracepath -n', () => {
    const text = ' 1?: [LOCALHOST]                      pmtu 1500\n 1:  192.0.2.1                                             0.061ms \n 1:  192.0.2.1                                             0.020ms \n 2:  203.0.113.10                                          0.035ms reached\n     Resume: pmtu 1500 hops 2 back 2 \n';
    assert.deepEqual(parseTraceOutput(text), [
      { ttl: 1, address: '192.0.2.1' },
      { ttl: 2, address: '203.0.113.10' },
    ]);
  });
  it('reads tracert -d', () => {
    const text = '\nTracing route to 203.0.113.10 over a maximum of 4 hops\n\n  1    <1 ms    <1 ms    <1 ms  192.168.1.1\n  2     *        *        *     Request timed out.\n  3    12 ms    11 ms    12 ms  100.64.12.1\n';
    assert.deepEqual(parseTraceOutput(text), [
      { ttl: 1, address: '192.168.1.1' },
      { ttl: 2, address: null },
      { ttl: 3, address: '100.64.12.1' },
    ]);
  });
});
