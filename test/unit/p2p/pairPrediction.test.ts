// The pair prediction as a table: every combination of the five NATs of the pair lab, what
// unmeasured behaviours do to the verdict and its confidence, UDP blocked, CGNAT and the same
// public address, the birthday odds, and reports of every vintage (older ones lack fields).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { birthdayOdds, predictPair, summarizeReport, PORT_SPACE, type PeerNatSummary } from '../../../src/core/p2p/pairPrediction';
import { parseSavedReport } from '../../../src/core/report/savedReport';
import { savedReport } from '../report/reportFixture';

type Nat = 'open' | 'full' | 'restricted' | 'port-restricted' | 'symmetric-random' | 'symmetric-sequential' | 'symmetric-preserving' | 'firewall';

function side(nat: Nat, extra: Partial<PeerNatSummary> = {}): PeerNatSummary {
  const base: PeerNatSummary = { udp: 'ok', mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', type: 'port-restricted-cone', portAllocation: { pattern: 'preserving', delta: null }, cgnat: 'no', hairpinning: null, publicAddress: null };
  const byNat: Record<Nat, Partial<PeerNatSummary>> = {
    open: { mapping: 'none', filtering: 'endpoint-independent', type: 'open-internet' },
    firewall: { mapping: 'none', filtering: 'address-and-port-dependent', type: 'symmetric-udp-firewall' },
    full: { filtering: 'endpoint-independent', type: 'full-cone' },
    restricted: { filtering: 'address-dependent', type: 'restricted-cone' },
    'port-restricted': {},
    'symmetric-random': { mapping: 'address-and-port-dependent', type: 'symmetric', portAllocation: { pattern: 'random', delta: null } },
    'symmetric-sequential': { mapping: 'address-and-port-dependent', type: 'symmetric', portAllocation: { pattern: 'sequential', delta: 1 } },
    'symmetric-preserving': { mapping: 'address-dependent', type: 'symmetric', portAllocation: { pattern: 'preserving', delta: null } },
  };
  return { ...base, ...byNat[nat], ...extra };
}

describe('pair prediction: every combination', () => {
  const table: Array<[Nat, Nat, string]> = [
    ['full', 'full', 'direct'],
    ['full', 'restricted', 'direct'],
    ['full', 'port-restricted', 'direct'],
    ['full', 'symmetric-random', 'direct'],
    ['full', 'symmetric-sequential', 'direct'],
    ['restricted', 'restricted', 'direct'],
    ['restricted', 'port-restricted', 'direct'],
    ['restricted', 'symmetric-random', 'direct'],
    ['restricted', 'symmetric-sequential', 'direct'],
    ['port-restricted', 'port-restricted', 'direct'],
    ['port-restricted', 'symmetric-random', 'relay'],
    ['port-restricted', 'symmetric-sequential', 'direct-with-port-prediction'],
    ['symmetric-random', 'symmetric-random', 'relay'],
    ['symmetric-random', 'symmetric-sequential', 'relay'],
    ['symmetric-sequential', 'symmetric-sequential', 'direct-with-port-prediction'],
    ['open', 'symmetric-random', 'direct'],
    ['firewall', 'port-restricted', 'direct'],
    ['firewall', 'symmetric-random', 'relay'],
    ['port-restricted', 'symmetric-preserving', 'direct-with-port-prediction'],
  ];
  for (const [a, b, verdict] of table) {
    it(`${a} × ${b} → ${verdict}, the same both ways round`, () => {
      const ab = predictPair(side(a), side(b));
      const ba = predictPair(side(b), side(a));
      assert.equal(ab.verdict, verdict, ab.reason);
      assert.equal(ba.verdict, verdict, ba.reason);
      assert.equal(ab.confidence, ba.confidence);
      assert.ok(ab.confidence >= 0.5 && ab.confidence <= 1, `fully measured: confident (${ab.confidence})`);
      assert.match(ab.reason, /A: .*; B: /, 'names both sides');
      assert.doesNotMatch(ab.reason, /undefined|NaN|\[object/);
    });
  }

  it('says why in plain words: a peer-reflexive path, port prediction, a relay', () => {
    assert.match(predictPair(side('full'), side('symmetric-random')).reason, /peer-reflexive/);
    assert.match(predictPair(side('port-restricted'), side('symmetric-sequential')).reason, /aims at the ports B's NAT will use next/);
    assert.match(predictPair(side('port-restricted'), side('symmetric-random')).reason, /random port for every destination.*relay/);
  });

  it('names the sides as asked', () => {
    const p = predictPair(side('full'), side('full'), ['you', 'your peer']);
    assert.match(p.reason, /^you: Full cone NAT.*; your peer: Full cone NAT/);
  });
});

describe('pair prediction: odds, blocked UDP, CGNAT, shared NAT, gaps', () => {
  it('random ports against a port-restricted NAT: the birthday odds of a blind guess are stated', () => {
    const p = predictPair(side('port-restricted'), side('symmetric-random'));
    assert.equal(p.verdict, 'relay');
    assert.ok(p.birthday, 'odds given');
    assert.equal(p.birthday.packetsEachWay, 256);
    assert.ok(Math.abs(p.birthday.probability - (1 - Math.pow(1 - 256 / PORT_SPACE, 256))) < 1e-4);
    assert.match(p.reason, /birthday paradox/);
    const both = predictPair(side('symmetric-random'), side('symmetric-random'));
    assert.ok(both.birthday && both.birthday.probability < 0.001, 'two random sides: hopeless');
  });
  it('birthday odds: 256 × 256 over 64,512 ports is about 64 %', () => {
    assert.ok(Math.abs(birthdayOdds(256, 256, false) - 0.638) < 0.01);
    assert.equal(birthdayOdds(0, 256, false), 0);
  });
  it('UDP blocked on either side: relay, and says why', () => {
    for (const blocked of [side('full', { udp: 'blocked', mapping: 'unknown', filtering: 'unknown', type: 'udp-blocked' }), side('full', { type: 'udp-blocked' })]) {
      const p = predictPair(side('open'), blocked);
      assert.equal(p.verdict, 'relay');
      assert.match(p.reason, /B gets no UDP out.*TCP or TLS/);
    }
  });
  it('CGNAT is explained, not a verdict of its own', () => {
    const p = predictPair(side('port-restricted', { cgnat: 'yes' }), side('port-restricted'));
    assert.equal(p.verdict, 'direct');
    assert.match(p.reason, /A is behind CGNAT: .*port forwarding/);
  });
  it('the same public address on both sides: a shared NAT, hairpinning named', () => {
    const p = predictPair(side('port-restricted', { publicAddress: '203.0.113.5', hairpinning: false }), side('port-restricted', { publicAddress: '203.0.113.5' }));
    assert.match(p.reason, /same public address.*hairpins \(it does not\)/);
  });
  it('an unknown filtering on a cone NAT against symmetric: the likeliest verdict, less confident, gaps named', () => {
    const known = predictPair(side('port-restricted'), side('symmetric-random'));
    const p = predictPair(side('port-restricted', { filtering: 'unknown', type: 'unknown' }), side('symmetric-random'));
    assert.equal(p.verdict, 'relay');
    assert.ok(p.confidence < known.confidence, `${p.confidence} < ${known.confidence}`);
    assert.match(p.reason, /Not measured: A's filtering.*otherwise direct/);
  });
  it('everything unknown on one side still gives a verdict with low confidence', () => {
    const p = predictPair(side('full', { mapping: 'unknown', filtering: 'unknown', type: 'unknown', portAllocation: null }), side('port-restricted'));
    assert.ok(['direct', 'relay', 'direct-with-port-prediction'].includes(p.verdict));
    assert.ok(p.confidence < 0.9);
    assert.match(p.reason, /Not measured: A's mapping, A's filtering/);
  });
  it('a report from before port allocation was measured: symmetric is judged on the odds and says so', () => {
    const p = predictPair(side('port-restricted'), side('symmetric-random', { portAllocation: null }));
    assert.equal(p.verdict, 'relay');
    assert.match(p.reason, /B's port allocation \(not in that report\)/);
    assert.ok(p.confidence < 0.95);
  });
});

describe('reports as saved files (read by parseSavedReport, the one reader of saved reports)', () => {
  const report = (nat: Record<string, unknown>): string => JSON.stringify(savedReport({ nat, publicAddress: { address: '203.0.113.7', port: 1 } }));
  const summaryOf = (text: string): ReturnType<typeof summarizeReport> => {
    const read = parseSavedReport(text);
    assert.ok('report' in read, 'error' in read ? read.error : '');
    return summarizeReport(read.report);
  };
  it('a current report gives its summary', () => {
    const s = summaryOf(report({ udp: 'ok', mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', type: 'symmetric', portPreservation: false, hairpinning: true, alg: null, portAllocation: { pattern: 'sequential', delta: 2, samples: 4 } }));
    assert.deepEqual(s, { udp: 'ok', mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', type: 'symmetric', portAllocation: { pattern: 'sequential', delta: 2 }, cgnat: 'no', hairpinning: true, publicAddress: '203.0.113.7' });
  });
  it('an old report without portAllocation: not measured (null), the rest read', () => {
    const s = summaryOf(report({ udp: 'ok', mapping: 'endpoint-independent', filtering: 'address-dependent', type: 'restricted-cone', portPreservation: true, hairpinning: null, alg: null }));
    assert.equal(s.portAllocation, null);
    assert.equal(s.type, 'restricted-cone');
  });
  it('a portAllocation of an unknown shape becomes unknown, never text carried on', () => {
    const s = summaryOf(report({ udp: 'ok', mapping: 'endpoint-independent', filtering: 'address-dependent', type: 'restricted-cone', portPreservation: true, hairpinning: null, alg: null, portAllocation: { pattern: '<script>', delta: 'x' } }));
    assert.deepEqual(s.portAllocation, { pattern: 'unknown', delta: null });
  });
});
