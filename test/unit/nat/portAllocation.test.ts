// RFC 4787 §4.2 port allocation from a run of fresh mappings: the decision table.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decidePortAllocation, sampleDestinations, MAX_PORT_SAMPLES, type PortSample } from '../../../src/core/nat/portAllocation';
import type { ServerProbe } from '../../../src/core/nat/serverProbe';

const run = (pairs: Array<[number, number | null]>): PortSample[] => pairs.map(([localPort, mappedPort]) => ({ localPort, mappedPort }));

describe('port allocation pattern (RFC 4787 §4.2)', () => {
  const table: Array<[string, PortSample[], string, number | null]> = [
    ['every mapping keeps its local port', run([[40001, 40001], [51234, 51234], [33333, 33333], [45000, 45000]]), 'preserving', null],
    ['all but one of four keep their port (the local one was taken on the NAT)', run([[40001, 40001], [51234, 51234], [33333, 1025], [45000, 45000]]), 'preserving', null],
    ['two of two kept: preserving already', run([[40001, 40001], [51234, 51234]]), 'preserving', null],
    ['ports count up by one', run([[40001, 20000], [51234, 20001], [33333, 20002], [45000, 20003]]), 'sequential', 1],
    ['ports count up by two', run([[40001, 20000], [51234, 20002], [33333, 20004]]), 'sequential', 2],
    ['ports count down', run([[40001, 30000], [51234, 29999], [33333, 29998]]), 'sequential', -1],
    ['a gap where another host took a port: the most common step wins', run([[1, 20000], [2, 20001], [3, 20003], [4, 20004], [5, 20005]]), 'sequential', 1],
    ['the counter wraps once: one outlier tolerated', run([[1, 65534], [2, 65535], [3, 1024], [4, 1025]]), 'sequential', 1],
    ['an unanswered request leaves a double step', run([[1, 20000], [2, null], [3, 20002], [4, 20003], [5, 20004]]), 'sequential', 1],
    ['unrelated ports are random', run([[1, 61770], [2, 35356], [3, 12752], [4, 59315]]), 'random', null],
    ['big steps of one sign are still random', run([[1, 10000], [2, 12000], [3, 14000], [4, 16000]]), 'random', null],
    ['two different ports cannot tell counting from random', run([[1, 20000], [2, 20001]]), 'unknown', null],
    ['one answer is too few', run([[1, 20000], [2, null], [3, null]]), 'unknown', null],
    ['no answers', run([[1, null], [2, null]]), 'unknown', null],
    ['one shared public port for every mapping', run([[1, 5000], [2, 5000], [3, 5000]]), 'unknown', null],
  ];
  for (const [name, samples, pattern, delta] of table) {
    it(`${name} → ${pattern}${delta !== null ? ` ${delta}` : ''}`, () => {
      const decided = decidePortAllocation(samples);
      assert.equal(decided.pattern, pattern, decided.reason);
      assert.equal(decided.delta, delta);
      assert.equal(decided.samples, samples.filter((s) => s.mappedPort !== null).length);
      assert.ok(decided.reason && decided.reason.length > 10, 'a reason in words');
    });
  }
});

describe('sample destinations', () => {
  const probe = (address: string, port: number, other: { address: string; port: number } | null, family: 'IPv4' | 'IPv6' = 'IPv4'): ServerProbe => ({
    target: { server: `${address}:${port}`, host: address, address, port, family },
    outcome: { kind: 'silence', waitedMs: 0, ignored: [] },
    rttMs: 10,
    mapped: { address: '203.0.113.1', port: 1, family },
    algRewrite: null,
    other: other ? { ...other, family } : null,
  });
  it('an RFC 5780 server offers its four address/port pairs, another server one more, IPv6 apart', () => {
    const destinations = sampleDestinations(
      [probe('198.51.100.7', 3478, null), probe('203.0.113.10', 3478, { address: '203.0.113.11', port: 3479 }), probe('2001:db8::1', 3478, null, 'IPv6')],
      'IPv4',
    );
    assert.deepEqual(destinations.map((d) => `${d.address}:${d.port}`), ['203.0.113.10:3478', '203.0.113.11:3478', '203.0.113.10:3479', '203.0.113.11:3479', '198.51.100.7:3478']);
  });
  it('never more than MAX_PORT_SAMPLES', () => {
    const many = Array.from({ length: 5 }, (_, i) => probe(`203.0.113.${20 + i * 2}`, 3478, { address: `203.0.113.${21 + i * 2}`, port: 3479 }));
    assert.equal(sampleDestinations(many, 'IPv4').length, MAX_PORT_SAMPLES);
  });
});
