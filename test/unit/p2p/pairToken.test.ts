// The pair tokens: a round trip of every field, their size (short enough for a chat), and every
// way a pasted token can be wrong — damaged, cut, wrapped by a chat app, expired, the wrong role,
// an answer made for another offer — giving an error in words, never an exception.
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { PeerNatSummary } from '../../../src/core/p2p/pairPrediction';
import { decodePairToken, encodePairToken, expandCandidate, newSecret, newUfrag, TOKEN_PREFIX, type PairToken } from '../../../src/core/p2p/pairToken';

const NOW = 1_800_000_000;
const summary: PeerNatSummary = {
  udp: 'ok', mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', type: 'symmetric',
  portAllocation: { pattern: 'sequential', delta: 1 }, cgnat: 'yes', hairpinning: false, publicAddress: '203.0.113.1',
};
const offer = (over: Partial<PairToken> = {}): PairToken => ({
  role: 'offer',
  expiresAt: NOW + 600,
  secret: newSecret(),
  ufrag: newUfrag(),
  summary,
  candidates: [
    { kind: 'predicted', address: '203.0.113.1', port: 20001, step: 1, count: 8 },
    { kind: 'srflx', address: '203.0.113.1', port: 20000 },
    { kind: 'host', address: '192.168.1.2', port: 40000 },
  ],
  ...over,
});

describe('pair tokens', () => {
  it('an offer survives the round trip, starts with ndpair1: and fits a chat line', () => {
    const token = offer();
    const text = encodePairToken(token);
    assert.ok(text.startsWith(TOKEN_PREFIX));
    assert.match(text, /^ndpair1:[A-Za-z0-9_-]+$/, 'one line, base64url');
    assert.ok(text.length <= 100, `${text.length} characters`);
    const decoded = decodePairToken(text, { expect: 'offer', nowSec: NOW });
    assert.ok('token' in decoded, JSON.stringify(decoded));
    assert.deepEqual(decoded.token, token);
  });

  it('an answer is read with its offer’s secret, and only with it', () => {
    const o = offer();
    const answer = encodePairToken({ ...offer(), role: 'answer', secret: o.secret, candidates: [{ kind: 'srflx', address: '2001:db8::5', port: 3478 }] });
    const decoded = decodePairToken(answer, { expect: 'answer', secret: o.secret, nowSec: NOW });
    assert.ok('token' in decoded, JSON.stringify(decoded));
    assert.equal(decoded.token.role, 'answer');
    assert.deepEqual(decoded.token.candidates, [{ kind: 'srflx', address: '2001:db8::5', port: 3478 }]);
    const other = decodePairToken(answer, { expect: 'answer', secret: newSecret(), nowSec: NOW });
    assert.ok('error' in other);
    assert.match(other.error, /not made for this offer/);
  });

  it('pasted with line breaks and spaces by a chat app, inside other text: still read', () => {
    const text = encodePairToken(offer());
    const wrapped = `here you go:  ${text.slice(0, 30)}\n ${text.slice(30, 60)}\r\n${text.slice(60)}  thanks`;
    assert.ok('token' in decodePairToken(wrapped, { expect: 'offer', nowSec: NOW }));
  });

  const errors: Array<[string, (t: string) => string, RegExp]> = [
    ['no token at all', () => 'hello', /no ndpair1: token found/],
    ['a cut-off token', (t) => t.slice(0, 40), /damaged or incomplete/],
    ['one changed character', (t) => t.slice(0, 30) + (t[30] === 'A' ? 'B' : 'A') + t.slice(31), /damaged or incomplete/],
    ['another version', (t) => { const b = Buffer.from(t.slice(8), 'base64url'); b[0] = 2; return TOKEN_PREFIX + b.toString('base64url'); }, /version 2 token/],
  ];
  for (const [name, mangle, message] of errors) {
    it(`${name}: a clear error`, () => {
      const decoded = decodePairToken(mangle(encodePairToken(offer())), { expect: 'offer', nowSec: NOW });
      assert.ok('error' in decoded);
      assert.match(decoded.error, message);
    });
  }

  it('expired: says so, and how long ago', () => {
    const decoded = decodePairToken(encodePairToken(offer({ expiresAt: NOW - 300 })), { expect: 'offer', nowSec: NOW });
    assert.ok('error' in decoded && decoded.expired);
    assert.match(decoded.error, /expired 5 min ago/);
  });

  it('an offer where an answer is expected (and back): names the mix-up', () => {
    const o = offer();
    const asAnswer = decodePairToken(encodePairToken(o), { expect: 'answer', secret: o.secret, nowSec: NOW });
    assert.ok('error' in asAnswer && /this is an offer/.test(asAnswer.error));
    const answer = encodePairToken({ ...o, role: 'answer' });
    const asOffer = decodePairToken(answer, { expect: 'offer', nowSec: NOW });
    assert.ok('error' in asOffer && /this is an answer/.test(asOffer.error));
  });

  it('random bytes after the prefix never throw (bounded fuzz)', () => {
    for (let i = 0; i < 2000; i++) {
      const text = TOKEN_PREFIX + randomBytes(Math.floor(Math.random() * 120)).toString('base64url');
      const decoded = decodePairToken(text, { expect: i % 2 === 0 ? 'offer' : 'answer', secret: newSecret(), nowSec: NOW });
      assert.ok('error' in decoded, 'a random token cannot pass its tag');
    }
  });

  it('predicted ranges expand in order and wrap within 1–65535', () => {
    assert.deepEqual(expandCandidate({ kind: 'predicted', address: '203.0.113.1', port: 65534, step: 1, count: 3 }).map((c) => c.port), [65534, 65535, 1]);
    assert.deepEqual(expandCandidate({ kind: 'predicted', address: '203.0.113.1', port: 100, step: -2, count: 3 }).map((c) => c.port), [100, 98, 96]);
    assert.deepEqual(expandCandidate({ kind: 'srflx', address: '203.0.113.1', port: 5 }), [{ address: '203.0.113.1', port: 5 }]);
  });
});
