// The live pair test on loopback (no root): two sides reach each other; a side whose peer
// candidates lead back to itself (two LANs with the same addresses) or to a forging stranger never
// reports `direct`; a cancel ends it at once; every socket is closed afterwards. The STUN server
// and the stranger are test doubles written with the tests' own codec (test/lab/stunWire.ts).
import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { PairSide } from '../../src/core/p2p/pairTest';
import { decodePairToken, newUfrag, type PairToken } from '../../src/core/p2p/pairToken';
import type { Report } from '../../src/core/report/types';
import { BINDING_REQUEST, bindingSuccess, parseMessage } from '../lab/stunWire';
import { PairAttacker } from '../lab/peers/pairAttacker';
import { sampleReport } from '../unit/report/reportFixture';
import { settledUdpAndTimerCount } from './activeResources';

let stun: Socket;
let stunPort = 0;

/** This machine as its own report would describe it: no NAT, the test STUN server answering. */
function report(): Report {
  return sampleReport(
    { servers: [{ server: `127.0.0.1:${stunPort}`, address: '127.0.0.1', rttMs: 0.2, rfc5780: false }], publicAddress: { address: '127.0.0.1', port: 1 }, candidates: [] },
    { mapping: 'none', filtering: 'endpoint-independent', type: 'open-internet' },
  );
}


before(async () => {
  stun = createSocket('udp4');
  stun.on('message', (datagram, from) => {
    const message = parseMessage(datagram);
    if (message?.type === BINDING_REQUEST) stun.send(bindingSuccess(message.transactionId, { address: from.address, port: from.port }), from.port, from.address);
  });
  await new Promise<void>((resolve) => stun.bind(0, '127.0.0.1', resolve));
  stunPort = stun.address().port;
});
after(() => new Promise<void>((resolve) => stun.close(() => resolve())));

/** A peer token that no real peer stands behind: its candidates are whatever the test names. */
function fakePeer(offer: PairSide, candidates: PairToken['candidates']): PairToken {
  const decoded = decodePairToken(offer.token, { expect: 'offer' });
  assert.ok('token' in decoded);
  return { ...decoded.token, role: 'answer', ufrag: newUfrag(), candidates };
}

describe('pair test on loopback', () => {
  it('two sides reach each other directly, within the packet budget, and leave no socket or timer behind', async () => {
    const baseline = await settledUdpAndTimerCount();
    const signal = new AbortController().signal;
    const offer = await PairSide.open({ role: 'offer', report: report(), signal });
    assert.ok(!('error' in offer), 'error' in offer ? offer.error : '');
    const decoded = decodePairToken(offer.token, { expect: 'offer' });
    assert.ok('token' in decoded);
    const answer = await PairSide.open({ role: 'answer', offer: decoded.token, report: report(), signal });
    assert.ok(!('error' in answer), 'error' in answer ? answer.error : '');
    const answerToken = offer.readAnswer(answer.token);
    assert.ok('token' in answerToken, JSON.stringify(answerToken));
    try {
      const [a, b] = await Promise.all([answer.connect(decoded.token, 5000), offer.connect(answerToken.token, 5000)]);
      for (const r of [a, b]) {
        assert.equal(r.result, 'direct', r.detail);
        assert.equal(r.schemaVersion, 1);
        assert.ok(r.path && /^127\.0\.0\.1:\d+$/.test(r.path.remote));
        assert.equal(r.prediction.verdict, 'direct');
        assert.ok(r.packetsSent <= 300);
      }
      assert.notEqual(a.path?.remote, b.path?.remote, 'each side reached the other, not itself');
    } finally {
      await Promise.all([offer.close(), answer.close()]);
    }
    assert.equal(await settledUdpAndTimerCount(), baseline, 'no socket or timer left behind');
  });

  it('candidates that lead back to our own socket (two LANs, same addresses) never make it direct', async () => {
    const signal = new AbortController().signal;
    const side = await PairSide.open({ role: 'offer', report: report(), signal });
    assert.ok(!('error' in side));
    try {
      const own = side.candidates.find((c) => c.kind === 'srflx');
      assert.ok(own);
      const result = await side.connect(fakePeer(side, [{ kind: 'host', address: own.address, port: own.port }]), 600);
      assert.equal(result.result, 'failed', result.detail);
      assert.equal(result.path, null);
      assert.match(result.detail, /our own check, looped back/);
    } finally {
      await side.close();
    }
  });

  it('a stranger that answers every check, forges requests and reflects ours never makes it direct', async () => {
    const signal = new AbortController().signal;
    const victim = await PairSide.open({ role: 'offer', report: report(), signal });
    assert.ok(!('error' in victim));
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const own = victim.candidates.find((c) => c.kind === 'srflx');
    assert.ok(own);
    const attacker = new PairAttacker(socket, { targets: [{ address: own.address, port: own.port }], durationMs: 700, maxPackets: 200 });
    try {
      const [result, counts] = await Promise.all([
        victim.connect(fakePeer(victim, [{ kind: 'srflx', address: '127.0.0.1', port: socket.address().port }]), 800),
        attacker.run(),
      ]);
      assert.ok(counts.received > 0 && counts.sent > 10, `the stranger was busy: ${JSON.stringify({ received: counts.received, sent: counts.sent })}`);
      assert.equal(result.result, 'failed', result.detail);
      assert.match(result.detail, /Ignored \d+ packet/);
      assert.match(result.detail, /MESSAGE-INTEGRITY/);
    } finally {
      await victim.close();
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    }
  });

  it('a cancel ends the checks at once', async () => {
    const controller = new AbortController();
    const side = await PairSide.open({ role: 'offer', report: report(), signal: controller.signal });
    assert.ok(!('error' in side));
    try {
      const pending = side.connect(fakePeer(side, [{ kind: 'srflx', address: '127.0.0.1', port: 9 }]), 60_000);
      controller.abort();
      const result = await pending;
      assert.equal(result.result, 'failed');
      assert.match(result.detail, /^Stopped before/);
    } finally {
      await side.close();
    }
  });
});
