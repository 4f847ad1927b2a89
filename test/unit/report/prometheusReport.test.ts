import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatPrometheusReport } from '../../../src/core/report/prometheusReport';
import { formatSummaryLine } from '../../../src/core/report/summaryLine';
import type { Report } from '../../../src/core/report/types';
import { parseExposition, samples } from '../../lab/exposition';

// What identifies the machine or its user: none of it may reach a label or a value.
const PRIVATE = [
  '198.51.100.23', '61234', // public address and port
  '100.64.12.34', // router WAN address (UPnP external address, CGNAT evidence)
  '192.168.1.20', '192.168.1.1', // uplink address and gateway
  'alice-laptop', 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=', 'CN=vpn.secret-corp.example', 'hunter2',
];

/** A report with every optional field, and private data wherever the Report can hold it. */
function fullReport(overrides: Partial<Report> = {}, nat: Partial<Report['nat']> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'nat-doctor', version: '0.1.0' },
    startedAt: '2026-11-24T10:00:00.000Z',
    durationMs: 1234,
    servers: [
      { server: 'stun.example.org:3478', address: '203.0.113.10', rttMs: 12, rfc5780: true },
      { server: '[2001:db8::10]:3478', address: '2001:db8::10', rttMs: null, rfc5780: false, error: 'no answer (alice-laptop)' },
    ],
    publicAddress: { address: '198.51.100.23', port: 61234 },
    nat: {
      udp: 'ok',
      mapping: 'endpoint-independent',
      filtering: 'address-and-port-dependent',
      type: 'port-restricted-cone',
      portPreservation: true,
      hairpinning: null,
      alg: false,
      portAllocation: { pattern: 'sequential', delta: 2, samples: 4, reason: 'ports 61234, 61236 seen' },
      notes: ['mapping 198.51.100.23:61234'],
      ...nat,
    },
    cgnat: { verdict: 'yes', confidence: 0.85, evidence: [{ signal: 'router WAN address', value: '100.64.12.34', meaning: 'shared address space' }] },
    portMapping: {
      upnp: { available: true, externalAddress: '100.64.12.34' },
      natPmp: { available: false, error: 'router 192.168.1.1: result 3' },
      pcp: { available: false },
    },
    bindingLifetime: { seconds: 30, lowerSec: 28, upperSec: 32 },
    probes: [
      { target: 'vpn.example.org:51820/wireguard', state: 'open', rttMs: 25, detail: 'handshake with key yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=' },
      { target: 'vpn.example.org:443/tls', state: 'open', rttMs: 40, detail: 'TLS 1.3, CN=vpn.secret-corp.example' },
      { target: 'vpn.example.org:1194/openvpn', state: 'open|filtered', rttMs: null, detail: 'no answer; password hunter2 never sent' },
    ],
    recommendations: [
      { id: 'cgnat-no-port-forwarding', severity: 'warning', message: 'Your address 198.51.100.23 is shared' },
      { id: 'keepalive', severity: 'warning', message: 'set PersistentKeepalive = 15' },
    ],
    ranOn: 'alice-laptop',
    uplink: { interface: 'wlan0', address: '192.168.1.20', gateway: '192.168.1.1', overlay: false },
    candidates: [{ type: 'srflx', address: '198.51.100.23', port: 61234, source: 'stun.example.org:3478' }],
    connectivity: { state: 'online', dns: 'ok', tcp: 'not-tested', captivePortal: false },
    pathMtu: { target: 'stun.example.org:3478', bytes: 1400, blackHole: false, detail: 'ICMP from 192.168.1.1' },
    ...overrides,
  };
}

describe('Prometheus exposition of a report', () => {
  it('has the contract metrics with their labels and values in base units', () => {
    const e = parseExposition(formatPrometheusReport(fullReport()));
    assert.deepEqual([...new Set(e.type.values())], ['gauge']);
    assert.ok([...e.help.keys()].every((name) => name.startsWith('natdoctor_')));
    assert.deepEqual(samples(e, 'natdoctor_info'), [
      { name: 'natdoctor_info', labels: { nat_type: 'port-restricted-cone', mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', cgnat: 'yes' }, value: 1 },
    ]);
    assert.deepEqual(samples(e, 'natdoctor_udp_ok').map((s) => s.value), [1]);
    assert.deepEqual(samples(e, 'natdoctor_stun_rtt_seconds'), [{ name: 'natdoctor_stun_rtt_seconds', labels: { server: 'stun.example.org:3478' }, value: 0.012 }]);
    assert.deepEqual(
      samples(e, 'natdoctor_probe_open').map((s) => [s.labels.target, s.labels.state, s.value]),
      [
        ['vpn.example.org:51820/wireguard', 'open', 1],
        ['vpn.example.org:443/tls', 'open', 1],
        ['vpn.example.org:1194/openvpn', 'open|filtered', 0],
      ],
    );
    assert.deepEqual(samples(e, 'natdoctor_binding_lifetime_seconds').map((s) => s.value), [30]);
    assert.deepEqual(samples(e, 'natdoctor_path_mtu_bytes').map((s) => s.value), [1400]);
    assert.deepEqual(samples(e, 'natdoctor_run_duration_seconds').map((s) => s.value), [1.234]);
    // When the run finished: startedAt + durationMs.
    assert.deepEqual(samples(e, 'natdoctor_last_run_timestamp_seconds').map((s) => s.value), [Date.parse('2026-11-24T10:00:01.234Z') / 1000]);
  });

  it('adds what a fleet dashboard graphs: CGNAT confidence, port mapping per protocol, probe RTT, connectivity, port allocation', () => {
    const e = parseExposition(formatPrometheusReport(fullReport()));
    assert.deepEqual(samples(e, 'natdoctor_cgnat_confidence').map((s) => s.value), [0.85]);
    assert.deepEqual(
      samples(e, 'natdoctor_port_mapping_available').map((s) => [s.labels.protocol, s.value]),
      [['upnp', 1], ['nat-pmp', 0], ['pcp', 0]],
    );
    assert.deepEqual(samples(e, 'natdoctor_probe_rtt_seconds').map((s) => [s.labels.target, s.value]), [['vpn.example.org:51820/wireguard', 0.025], ['vpn.example.org:443/tls', 0.04]]);
    assert.deepEqual(samples(e, 'natdoctor_connectivity_state').map((s) => [s.labels.state, s.value]), [['online', 1], ['udp-blocked', 0], ['offline', 0]]);
    assert.deepEqual(samples(e, 'natdoctor_port_allocation').map((s) => [s.labels.pattern, s.value]), [['preserving', 0], ['sequential', 1], ['random', 0], ['unknown', 0]]);
    assert.deepEqual(samples(e, 'natdoctor_port_allocation_delta').map((s) => s.value), [2]);
    assert.deepEqual(samples(e, 'natdoctor_stun_answered').map((s) => [s.labels.server, s.value]), [['stun.example.org:3478', 1], ['[2001:db8::10]:3478', 0]]);
    assert.deepEqual(samples(e, 'natdoctor_recommendation').map((s) => [s.labels.id, s.labels.severity]), [['cgnat-no-port-forwarding', 'warning'], ['keepalive', 'warning']]);
    assert.deepEqual(samples(e, 'natdoctor_dns_ok').map((s) => s.value), [1]);
    assert.deepEqual(samples(e, 'natdoctor_captive_portal').map((s) => s.value), [0]);
  });

  it('never carries the public address, a router or uplink address, a key, a password or a probe detail', () => {
    const text = formatPrometheusReport(fullReport());
    for (const secret of PRIVATE) assert.ok(!text.includes(secret), `${secret} leaked:\n${text}`);
  });

  it('lets no text through an enum label of a malformed report', () => {
    const hostile = fullReport(
      { cgnat: { verdict: '198.51.100.23' as Report['cgnat']['verdict'], confidence: 0.5, evidence: [] }, recommendations: [{ id: 'Your address is 198.51.100.23', severity: 'warning', message: '' }] },
      { type: '198.51.100.23:61234' as Report['nat']['type'] },
    );
    const e = parseExposition(formatPrometheusReport(hostile));
    assert.equal(samples(e, 'natdoctor_info')[0]?.labels.nat_type, 'other');
    assert.equal(samples(e, 'natdoctor_info')[0]?.labels.cgnat, 'other');
    assert.equal(samples(e, 'natdoctor_recommendation')[0]?.labels.id, 'other');
    assert.ok(!formatPrometheusReport(hostile).includes('198.51.100.23'));
  });

  it('omits a sample whose field the report does not carry, rather than inventing one', () => {
    const sparse = fullReport(
      {
        servers: [{ server: 'stun.example.org:3478', address: '', rttMs: null, rfc5780: false, error: 'did not resolve' }],
        bindingLifetime: null,
        pathMtu: null,
        probes: [],
        recommendations: [],
        uplink: undefined,
        connectivity: undefined,
      },
      { portAllocation: undefined, portPreservation: null, alg: null },
    );
    const e = parseExposition(formatPrometheusReport(sparse));
    const names = new Set(e.samples.map((s) => s.name));
    for (const absent of [
      'natdoctor_stun_rtt_seconds', 'natdoctor_binding_lifetime_seconds', 'natdoctor_path_mtu_bytes', 'natdoctor_probe_open', 'natdoctor_port_allocation',
      'natdoctor_connectivity_state', 'natdoctor_port_preservation', 'natdoctor_alg_rewriting', 'natdoctor_hairpinning', 'natdoctor_uplink_overlay', 'natdoctor_recommendation',
    ]) {
      assert.ok(!names.has(absent), `${absent} should be absent`);
      assert.ok(!e.help.has(absent), `no HELP for the absent ${absent}`);
    }
    for (const present of ['natdoctor_info', 'natdoctor_udp_ok', 'natdoctor_run_duration_seconds', 'natdoctor_last_run_timestamp_seconds']) assert.ok(names.has(present), present);
    // A lifetime longer than the longest trial: only its lower bound is known.
    const atLeast = parseExposition(formatPrometheusReport(fullReport({ bindingLifetime: { seconds: null, lowerSec: 1200, upperSec: 1200 } })));
    assert.deepEqual(samples(atLeast, 'natdoctor_binding_lifetime_seconds'), []);
    assert.deepEqual(samples(atLeast, 'natdoctor_binding_lifetime_lower_bound_seconds').map((s) => s.value), [1200]);
  });

  it('escapes backslash, double quote and line feed in label values', () => {
    const odd = 'we"ird\\host\nname:3478';
    const text = formatPrometheusReport(fullReport({ servers: [{ server: odd, address: '203.0.113.10', rttMs: 5, rfc5780: false }] }));
    assert.ok(text.includes('server="we\\"ird\\\\host\\nname:3478"'), text);
    const e = parseExposition(text);
    assert.equal(samples(e, 'natdoctor_stun_rtt_seconds')[0]?.labels.server, odd);
  });

  it('gives one series per label set when the same server or target is configured twice', () => {
    const server = { server: 'stun.example.org:3478', address: '203.0.113.10', rttMs: 12, rfc5780: true };
    const probe = { target: 'vpn.example.org:51820/wireguard', state: 'open' as const, rttMs: 25, detail: '' };
    const e = parseExposition(formatPrometheusReport(fullReport({ servers: [server, { ...server, rttMs: 14 }], probes: [probe, probe] })));
    assert.deepEqual(samples(e, 'natdoctor_stun_rtt_seconds').map((s) => s.value), [0.012]);
    assert.equal(samples(e, 'natdoctor_probe_open').length, 1);
  });

  it('UDP blocked is udp_ok 0 with the RFC 3489 name in the info labels', () => {
    const blocked = fullReport({ publicAddress: null }, { udp: 'blocked', mapping: 'unknown', filtering: 'unknown', type: 'udp-blocked' });
    const e = parseExposition(formatPrometheusReport(blocked));
    assert.deepEqual(samples(e, 'natdoctor_udp_ok').map((s) => s.value), [0]);
    assert.equal(samples(e, 'natdoctor_info')[0]?.labels.nat_type, 'udp-blocked');
  });
});

describe('one summary line per run', () => {
  it('is one logfmt line with the verdicts, RTT, probes and recommendation ids, and no address of this machine', () => {
    const line = formatSummaryLine(fullReport());
    assert.ok(!line.includes('\n'));
    assert.match(line, /^time=2026-11-24T10:00:01\.234Z nat_type=port-restricted-cone mapping=endpoint-independent filtering=address-and-port-dependent cgnat=yes udp=ok /);
    assert.match(line, / stun_rtt_ms=12 /);
    assert.match(line, / probes="vpn\.example\.org:51820\/wireguard=open,vpn\.example\.org:443\/tls=open,vpn\.example\.org:1194\/openvpn=open\|filtered" /);
    assert.match(line, / recommendations=cgnat-no-port-forwarding,keepalive /);
    assert.match(line, / duration_s=1\.234$/);
    for (const secret of PRIVATE) assert.ok(!line.includes(secret), `${secret} leaked: ${line}`);
  });

  it('quotes a value that holds a space, quote or line feed', () => {
    const line = formatSummaryLine(fullReport({ probes: [{ target: 'a "b"\nc:1/tcp', state: 'closed', rttMs: null, detail: '' }] }));
    assert.ok(!line.includes('\n'));
    assert.match(line, / probes="a \\"b\\"\\nc:1\/tcp=closed" /);
  });
});
