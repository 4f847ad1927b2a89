import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classicNatType } from '../../../src/core/nat/classicNatType';
import { decideFiltering } from '../../../src/core/nat/filteringBehavior';
import { decideMapping } from '../../../src/core/nat/mappingBehavior';
import { compareAcrossServers, refutation, type ResolvedServer } from '../../../src/core/nat/natDiscovery';
import type { ServerProbe } from '../../../src/core/nat/serverProbe';
import type { BindingOutcome as TransactionOutcome } from '../../../src/core/stun/bindingTransaction';
import type { FilteringBehavior, MappingBehavior } from '../../../src/core/report/types';

describe('RFC 3489 names from RFC 5780 behaviours (the nat.type table of docs/report-schema.md)', () => {
  const table: Array<[MappingBehavior, FilteringBehavior, string]> = [
    ['none', 'endpoint-independent', 'open-internet'],
    ['none', 'address-dependent', 'symmetric-udp-firewall'],
    ['none', 'address-and-port-dependent', 'symmetric-udp-firewall'],
    ['endpoint-independent', 'endpoint-independent', 'full-cone'],
    ['endpoint-independent', 'address-dependent', 'restricted-cone'],
    ['endpoint-independent', 'address-and-port-dependent', 'port-restricted-cone'],
    ['address-dependent', 'endpoint-independent', 'symmetric'],
    ['address-and-port-dependent', 'address-and-port-dependent', 'symmetric'],
    ['address-and-port-dependent', 'unknown', 'symmetric'],
    ['endpoint-independent', 'unknown', 'unknown'],
    ['none', 'unknown', 'unknown'],
    ['unknown', 'endpoint-independent', 'unknown'],
  ];
  for (const [mapping, filtering, type] of table) {
    it(`${mapping} mapping × ${filtering} filtering → ${type}`, () => {
      assert.equal(classicNatType({ udp: 'ok', mapping, filtering }), type);
    });
  }
  it('no STUN answer at all → udp-blocked', () => {
    assert.equal(classicNatType({ udp: 'blocked', mapping: 'unknown', filtering: 'unknown' }), 'udp-blocked');
  });
  it('a mapping seen to vary by destination is symmetric even when ADM vs APDM is undecided', () => {
    assert.equal(classicNatType({ udp: 'ok', mapping: 'unknown', filtering: 'unknown', mappingVariesByDestination: true }), 'symmetric');
  });
});

const ok = (from: { address: string; port: number }): TransactionOutcome => ({
  kind: 'answer',
  value: { kind: 'success', transactionId: Buffer.alloc(12) },
  from: { ...from, family: 'IPv4' },
  rttMs: 1,
  transmission: 0,
  ambiguous: false,
});
const silent: TransactionOutcome = { kind: 'silence', waitedMs: 550, ignored: [] };
const fromPrimary: TransactionOutcome = {
  kind: 'wrong-source',
  value: { kind: 'success', transactionId: Buffer.alloc(12) },
  from: { address: '203.0.113.10', port: 3478, family: 'IPv4' },
  rttMs: 1,
};
const refused: TransactionOutcome = {
  kind: 'answer',
  value: { kind: 'error', transactionId: Buffer.alloc(12), errorCode: 420, errorReason: 'Unknown Attribute' },
  from: { address: '203.0.113.10', port: 3478, family: 'IPv4' },
  rttMs: 1,
  transmission: 0,
  ambiguous: false,
};

describe('RFC 5780 §4.4 filtering decision', () => {
  const other = { address: '203.0.113.11', port: 3479 };
  it('an answer to test II means endpoint-independent filtering', () => {
    assert.equal(decideFiltering(ok(other), silent).filtering, 'endpoint-independent');
  });
  it('silence on II and an answer to III means address-dependent filtering', () => {
    assert.equal(decideFiltering(silent, ok({ address: '203.0.113.10', port: 3479 })).filtering, 'address-dependent');
  });
  it('silence on both means address-and-port-dependent filtering', () => {
    const d = decideFiltering(silent, silent);
    assert.equal(d.filtering, 'address-and-port-dependent');
    assert.equal(d.restsOnSilence, true);
  });
  it('an answer from the primary address instead of OTHER-ADDRESS is never read as endpoint-independent', () => {
    const d = decideFiltering(fromPrimary, fromPrimary);
    assert.equal(d.filtering, 'unknown');
    assert.match(d.reason, /instead of its alternate address/);
  });
  it('a 420 to CHANGE-REQUEST makes filtering unknown, with the code in the reason', () => {
    const d = decideFiltering(refused, refused);
    assert.equal(d.filtering, 'unknown');
    assert.match(d.reason, /420/);
  });
  it('silence on II with a wrong-source answer to III stays unknown', () => {
    assert.equal(decideFiltering(silent, fromPrimary).filtering, 'unknown');
  });
});

describe('RFC 5780 §4.3 mapping decision', () => {
  const a = (port: number) => ({ address: '198.51.100.7', port, family: 'IPv4' as const });
  it('the same mapping towards the alternate IP is endpoint-independent', () => {
    assert.equal(decideMapping(a(40000), a(40000), a(40000), 50000).mapping, 'endpoint-independent');
  });
  it('a new mapping per IP, kept across ports, is address-dependent', () => {
    assert.equal(decideMapping(a(40000), a(40001), a(40001), 50000).mapping, 'address-dependent');
  });
  it('a new mapping per IP and port is address-and-port-dependent', () => {
    assert.equal(decideMapping(a(40000), a(40001), a(40002), 50000).mapping, 'address-and-port-dependent');
  });
  it('a silent alternate address leaves the mapping unknown, not endpoint-independent', () => {
    const d = decideMapping(a(40000), null, null, 50000);
    assert.equal(d.mapping, 'unknown');
    assert.equal(d.alternateAlive, false);
  });
  it('a changed mapping without test III is unknown but known to vary', () => {
    const d = decideMapping(a(40000), a(40001), null, 50000);
    assert.equal(d.mapping, 'unknown');
    assert.equal(d.variesByDestination, true);
  });
  it('our own address and port mean no NAT', () => {
    assert.equal(decideMapping({ address: '127.0.0.1', port: 50000, family: 'IPv4' }, null, null, 50000).mapping, 'none');
  });
});

describe('mapping compared across servers without RFC 5780 (Tailscale MappingVariesByDestIP)', () => {
  const probe = (ip: string, mappedPort: number): ServerProbe => {
    const target: ResolvedServer = { server: `${ip}:3478`, host: ip, port: 3478, address: ip, family: 'IPv4' };
    return { target, outcome: silent, rttMs: 1, mapped: { address: '198.51.100.7', port: mappedPort, family: 'IPv4' }, algRewrite: null, other: null };
  };
  it('one server cannot decide', () => {
    assert.equal(compareAcrossServers([probe('203.0.113.10', 1)]).mapping, 'unknown');
  });
  it('two servers at one IP count as one', () => {
    const r = compareAcrossServers([probe('203.0.113.10', 1), probe('203.0.113.10', 2)]);
    assert.equal(r.mapping, 'unknown');
    assert.equal(r.varies, false);
  });
  it('the same mapping at two IPs is endpoint-independent', () => {
    assert.equal(compareAcrossServers([probe('203.0.113.10', 1), probe('198.51.100.20', 1)]).mapping, 'endpoint-independent');
  });
  it('different mappings at two IPs vary by destination', () => {
    const r = compareAcrossServers([probe('203.0.113.10', 1), probe('198.51.100.20', 2)]);
    assert.equal(r.varies, true);
    assert.equal(r.mapping, 'unknown');
  });
});

describe('when a server that advertises RFC 5780 refutes itself', () => {
  const alive = {
    mapping: 'endpoint-independent' as const,
    reason: '',
    variesByDestination: false,
    alternateAlive: true,
    alive: { alternateIp: true, alternateIpAndPort: true, alternatePort: true },
  };
  const dead = { ...alive, mapping: 'unknown' as const, alternateAlive: false, alive: { alternateIp: false, alternateIpAndPort: false, alternatePort: false } };
  const filtering = (f: FilteringBehavior, restsOnSilence: boolean) => ({ filtering: f, reason: 'r', restsOnSilence, mappedPort: 1, localPort: 1, rttMs: 1 });
  it('silence proves filtering only when the alternate address answered the mapping tests', () => {
    assert.equal(refutation(filtering('address-and-port-dependent', true), alive), null);
    assert.match(refutation(filtering('address-and-port-dependent', true), dead) ?? '', /alternate address never answered/);
  });
  it('an answer that got through is proof even if the alternate stayed silent for mapping', () => {
    assert.equal(refutation(filtering('endpoint-independent', false), dead), null);
  });
  it('an unusable filtering answer refutes the server', () => {
    assert.equal(refutation(filtering('unknown', false), alive), 'r');
  });
});
