// The one UDP transaction engine on loopback, against plain dgram responders written here (not the
// product's codecs): answers, identical and fresh retransmissions, wrong sources, ICMP port
// unreachable, silence concluded by proof, cancel and close.
import { strict as assert } from 'node:assert';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { after, describe, it } from 'node:test';
import { AnswerLog, UdpTransactions } from '../../../src/core/net/udpTransactions';

interface Responder {
  socket: Socket;
  port: number;
  received: Buffer[];
}

const opened: Socket[] = [];

/** A UDP responder on 127.0.0.1 that answers what `reply` returns (or nothing). */
async function responder(reply: (datagram: Buffer, from: RemoteInfo) => Buffer | undefined, bind = '127.0.0.1'): Promise<Responder> {
  const socket = createSocket('udp4');
  opened.push(socket);
  const received: Buffer[] = [];
  socket.on('message', (datagram, from) => {
    received.push(datagram);
    const answer = reply(datagram, from);
    if (answer) socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, bind, resolve));
  return { socket, port: socket.address().port, received };
}

after(async () => {
  await Promise.all(opened.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

const echoTag = (datagram: Buffer): Buffer => Buffer.concat([Buffer.from('re:'), datagram]);
const matchTag = (tag: string) => (datagram: Buffer) => (datagram.toString() === `re:${tag}` ? { value: tag } : undefined);

describe('UDP transactions', () => {
  it('returns the first matching answer with its RTT, and ignores datagrams that are not ours', async () => {
    const server = await responder((d) => (d.toString() === 'hello' ? Buffer.concat([Buffer.from('noise'), echoTag(d)]) : undefined));
    const server2 = await responder(echoTag);
    const socket = await UdpTransactions.open({ family: 'IPv4' });
    try {
      const noise = await socket.request({ to: { address: '127.0.0.1', port: server.port }, packet: Buffer.from('hello'), match: matchTag('hello'), schedule: { sendAtMs: [0], silenceAtMs: 300 } });
      assert.equal(noise.kind, 'silence', 'a datagram the matcher does not recognise never ends a transaction');
      const outcome = await socket.request({ to: { address: '127.0.0.1', port: server2.port }, packet: Buffer.from('ping'), match: matchTag('ping'), schedule: { sendAtMs: [0, 100], silenceAtMs: 5000 } });
      assert.equal(outcome.kind, 'answer');
      if (outcome.kind !== 'answer') return;
      assert.equal(outcome.value, 'ping');
      assert.equal(outcome.from.port, server2.port);
      assert.ok(outcome.rttMs >= 0);
      assert.equal(socket.dropped, 1, 'the noise datagram was counted as dropped');
    } finally {
      await socket.close();
    }
  });

  it('an answer from the wrong source does not end the wait; it is the outcome only if nothing right comes', async () => {
    const impostor = await responder(() => undefined);
    const silentServer = await responder(() => undefined);
    const socket = await UdpTransactions.open({ family: 'IPv4' });
    try {
      const pending = socket.request({ to: { address: '127.0.0.1', port: silentServer.port }, packet: Buffer.from('x'), match: matchTag('x'), schedule: { sendAtMs: [0], silenceAtMs: 400 } });
      impostor.socket.send(Buffer.from('re:x'), socket.localPort, '127.0.0.1');
      const outcome = await pending;
      assert.equal(outcome.kind, 'wrong-source');
      if (outcome.kind === 'wrong-source') assert.equal(outcome.from.port, impostor.port);
    } finally {
      await socket.close();
    }
  });

  it('fresh packets per transmission tell which one was answered', async () => {
    const server = await responder((d) => (d.toString() === 'try-2' ? echoTag(d) : undefined));
    const socket = await UdpTransactions.open({ family: 'IPv4' });
    try {
      const outcome = await socket.request({
        to: { address: '127.0.0.1', port: server.port },
        packet: (i) => Buffer.from(`try-${i}`),
        match: (d) => {
          const m = /^re:try-(\d)$/.exec(d.toString());
          return m ? { value: Number(m[1]), transmission: Number(m[1]) } : undefined;
        },
        schedule: { sendAtMs: [0, 20, 40], silenceAtMs: 5000 },
      });
      assert.equal(outcome.kind, 'answer');
      if (outcome.kind === 'answer') {
        assert.equal(outcome.transmission, 2);
        assert.equal(outcome.ambiguous, false);
      }
      assert.deepEqual(server.received.map((d) => d.toString()), ['try-0', 'try-1', 'try-2']);
    } finally {
      await socket.close();
    }
  });

  it('proves silence from later answered requests to the same host, long before its time limit', { timeout: 20_000 }, async () => {
    // Answers controls, drops tests: exactly what a NAT's filter does to RFC 5780 test II.
    const server = await responder((d) => (d.toString().startsWith('control') ? echoTag(d) : undefined));
    const socket = await UdpTransactions.open({ family: 'IPv4' });
    const to = { address: '127.0.0.1', port: server.port };
    try {
      const test = socket.request({ to, packet: Buffer.from('test'), match: matchTag('test'), schedule: { sendAtMs: [0, 10, 20, 30], silenceAtMs: 60_000, proof: { transmissions: 3, marginMs: 5 } } });
      const controls = [1, 11, 21, 31].map((at, i) =>
        socket.request({ to, packet: Buffer.from(`control${i}`), match: matchTag(`control${i}`), schedule: { sendAtMs: [at], silenceAtMs: 5000 } }),
      );
      const outcome = await test;
      assert.equal(outcome.kind, 'silence');
      for (const c of await Promise.all(controls)) assert.equal(c.kind, 'answer');
    } finally {
      await socket.close();
    }
  });

  it('evidence can be shared between sockets through one AnswerLog, and answers sent earlier prove nothing', async () => {
    const log = new AnswerLog();
    log.record('127.0.0.1', 10, 11);
    assert.equal(log.firstAnswerSentSince('127.0.0.1', 10), 11);
    assert.equal(log.firstAnswerSentSince('127.0.0.1', 10.5), undefined, 'a request sent before ours proves nothing about ours');
    assert.equal(log.firstAnswerSentSince('127.0.0.2', 0), undefined);
    assert.equal(log.firstAnswerSentSince('::ffff:127.0.0.1', 0), 11, 'IPv4-mapped names the same host');
  });

  it('a connected socket hears ICMP port unreachable as `refused`', async () => {
    const gone = await responder(() => undefined);
    const port = gone.port;
    await new Promise<void>((resolve) => gone.socket.close(() => resolve()));
    opened.splice(opened.indexOf(gone.socket), 1);
    const socket = await UdpTransactions.connect('127.0.0.1', port);
    assert.ok(socket instanceof UdpTransactions);
    try {
      const outcome = await socket.request({ packet: Buffer.from('x'), match: matchTag('x'), schedule: { sendAtMs: [0, 100], silenceAtMs: 5000 } });
      assert.equal(outcome.kind, 'refused');
    } finally {
      await socket.close();
    }
  });

  it('cancel and close end pending transactions as aborted', async () => {
    const silent = await responder(() => undefined);
    const socket = await UdpTransactions.open({ family: 'IPv4' });
    const to = { address: '127.0.0.1', port: silent.port };
    const controller = new AbortController();
    const cancelled = socket.request({ to, packet: Buffer.from('a'), match: matchTag('a'), schedule: { sendAtMs: [0], silenceAtMs: 60_000 }, signal: controller.signal });
    const closed = socket.request({ to, packet: Buffer.from('b'), match: matchTag('b'), schedule: { sendAtMs: [0], silenceAtMs: 60_000 } });
    controller.abort();
    assert.equal((await cancelled).kind, 'aborted');
    await socket.close();
    assert.equal((await closed).kind, 'aborted');
    assert.equal((await socket.request({ to, packet: Buffer.from('c'), match: matchTag('c'), schedule: { sendAtMs: [0], silenceAtMs: 100 } })).kind, 'send-error');
  });

  it('an answer the matcher refuses to count is named in the silence outcome', async () => {
    const server = await responder(echoTag);
    const socket = await UdpTransactions.open({ family: 'IPv4' });
    try {
      const outcome = await socket.request({
        to: { address: '127.0.0.1', port: server.port },
        packet: Buffer.from('q'),
        match: (d) => (d.toString() === 're:q' ? { ignore: 'it carried something we do not understand' } : undefined),
        schedule: { sendAtMs: [0], silenceAtMs: 300 },
      });
      assert.equal(outcome.kind, 'silence');
      if (outcome.kind === 'silence') assert.deepEqual(outcome.ignored, ['it carried something we do not understand']);
    } finally {
      await socket.close();
    }
  });

  it('a transmission whose packet function returns null is skipped, and the schedule goes on', async () => {
    const server = await responder((d) => (d.toString() === 'third' ? echoTag(d) : undefined));
    const socket = await UdpTransactions.open({ family: 'IPv4' });
    try {
      const asked: number[] = [];
      const outcome = await socket.request({
        to: { address: '127.0.0.1', port: server.port },
        packet: (i) => {
          asked.push(i);
          return i < 2 ? null : Buffer.from('third');
        },
        match: matchTag('third'),
        schedule: { sendAtMs: [0, 20, 40], silenceAtMs: 5000 },
      });
      assert.equal(outcome.kind, 'answer');
      assert.deepEqual(asked, [0, 1, 2]);
      assert.deepEqual(server.received.map((d) => d.toString()), ['third'], 'the skipped transmissions sent nothing');
    } finally {
      await socket.close();
    }
  });

  it('binds the local port it is given', async () => {
    const probe = await UdpTransactions.open({ family: 'IPv4' });
    const port = probe.localPort;
    await probe.close();
    const socket = await UdpTransactions.open({ family: 'IPv4', port });
    try {
      assert.equal(socket.localPort, port);
    } finally {
      await socket.close();
    }
  });
});
