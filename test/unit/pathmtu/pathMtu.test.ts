// The path MTU search on loopback against a responder (the tests' own STUN codec) that drops every
// request larger than a chosen IP size without a word — a black hole — with the routing table given
// by the test. The lab (test/lab/pathMtu.test.ts) proves the rest on real links with real ICMP.
import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { describe, it } from 'node:test';
import { between, measurePathMtu, RESOLUTION_BYTES } from '../../../src/core/pathmtu/pathMtu';
import { bindingSuccess, parseMessage, BINDING_REQUEST } from '../../lab/stunWire';

/** A STUN responder on 127.0.0.1 that answers only requests whose IP packet is ≤ `limit` bytes. */
async function limitedResponder(limit: number): Promise<{ port: number; seen: number[]; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  const seen: number[] = [];
  socket.on('message', (datagram, from) => {
    const size = datagram.length + 28;
    seen.push(size);
    const request = parseMessage(datagram);
    if (!request || request.type !== BINDING_REQUEST || size > limit) return;
    socket.send(bindingSuccess(request.transactionId, { address: from.address, port: from.port }), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, seen, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

const route = (interfaceMtu: number, cachedMtu: number | null = null) => async () => ({ interface: 'lo', interfaceMtu, cachedMtu });

describe('path MTU search', () => {
  for (const limit of [1500, 1492, 1400, 1380, 1280, 1201]) {
    it(`finds a ${limit}-byte bottleneck within ${RESOLUTION_BYTES} bytes`, async () => {
      const server = await limitedResponder(limit);
      try {
        const result = await measurePathMtu({ server: 'lab:3478', address: '127.0.0.1', port: server.port, family: 'IPv4', rttMs: 1, signal: new AbortController().signal, readRoute: route(1500) });
        assert.ok(result.bytes !== null && result.bytes <= limit && limit - result.bytes <= RESOLUTION_BYTES, JSON.stringify(result));
        assert.equal(result.blackHole, limit < 1500, JSON.stringify(result));
        assert.ok(server.seen.length <= 120, `the search sent ${server.seen.length} requests`);
      } finally {
        await server.close();
      }
    });
  }

  it('a size the kernel already learnt is the ceiling, and no black hole is claimed', async () => {
    const server = await limitedResponder(1500);
    try {
      const result = await measurePathMtu({ server: 'lab:3478', address: '127.0.0.1', port: server.port, family: 'IPv4', rttMs: 1, signal: new AbortController().signal, readRoute: route(1500, 1400) });
      assert.equal(result.bytes, 1400);
      assert.equal(result.blackHole, false);
      assert.ok(Math.max(...server.seen) <= 1400, 'nothing above the cached path MTU was sent');
    } finally {
      await server.close();
    }
  });

  it('a server that answers nothing gives no size, with the reason', async () => {
    const server = await limitedResponder(0);
    try {
      const result = await measurePathMtu({ server: 'lab:3478', address: '127.0.0.1', port: server.port, family: 'IPv4', rttMs: 1, signal: new AbortController().signal, readRoute: route(1500) });
      assert.equal(result.bytes, null);
      assert.match(result.detail, /did not answer/);
    } finally {
      await server.close();
    }
  });

  it('an unreadable routing table gives no size, with the reason', async () => {
    const result = await measurePathMtu({ server: 'lab:3478', address: '127.0.0.1', port: 9, family: 'IPv4', rttMs: 1, signal: new AbortController().signal, readRoute: async () => null });
    assert.equal(result.bytes, null);
    assert.match(result.detail, /routing table/);
  });

  it('the refinement sizes lie strictly between the bounds, in steps of 4 bytes', () => {
    for (const [low, high] of [[1400, 1420], [1280, 1400], [576, 1500], [1396, 1404]] as const) {
      const sizes = between(low, high);
      assert.ok(sizes.length > 0);
      for (const s of sizes) assert.ok(s > low && s < high && s % 4 === 0, `${s} in (${low}, ${high})`);
    }
  });
});
