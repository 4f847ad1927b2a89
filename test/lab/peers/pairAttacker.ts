// A hostile host for the pair test (a test double, built on the tests' own STUN codec): whatever
// reaches it and whatever it sprays is meant to fool a peer into `direct`.
// - Every Binding request it receives is answered with a success carrying no MESSAGE-INTEGRITY,
//   one signed with a key of its own, a forged request back under the swapped username, and the
//   request itself reflected back (a looped check); the request is recorded for later replay.
// - At its targets it sprays forged successes (random transaction ids, its own key), forged
//   requests and, from a file, requests recorded in an earlier session, byte for byte.
// Bounded: at most `maxPackets` sent, stops after `durationMs`.
//
// Run as `node pairAttacker.js '{"listenPort":…,"targets":[…],"durationMs":…,"maxPackets":…,
// "replayFile":…,"recordFile":…}'`; prints one JSON line of counts when done.
import { randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { ATTR, BINDING_REQUEST, BINDING_SUCCESS, attribute, encodeMessage, newTransactionId, parseMessage, xorMappedAddress } from '../stunWire';

export interface AttackerOptions {
  targets: Array<{ address: string; port: number }>;
  durationMs: number;
  maxPackets: number;
  /** Recorded requests (hex, one a line) to replay at the targets. */
  replay?: Buffer[];
}

export interface AttackerCounts {
  received: number;
  sent: number;
  recorded: Buffer[];
}

export class PairAttacker {
  private readonly counts: AttackerCounts = { received: 0, sent: 0, recorded: [] };
  private usernames: string[] = [];
  private readonly key = randomBytes(20);

  constructor(
    private readonly socket: Socket,
    private readonly options: AttackerOptions,
  ) {
    socket.on('message', (datagram, from) => this.onMessage(datagram, from));
  }

  private send(packet: Buffer, to: { address: string; port: number }): void {
    if (this.counts.sent >= this.options.maxPackets) return;
    this.counts.sent++;
    this.socket.send(packet, to.port, to.address);
  }

  private onMessage(datagram: Buffer, from: RemoteInfo): void {
    this.counts.received++;
    const message = parseMessage(datagram);
    if (!message || message.type !== BINDING_REQUEST) return;
    this.counts.recorded.push(Buffer.from(datagram));
    const tid = message.transactionId;
    const username = message.attributes.get(ATTR.USERNAME)?.toString('utf8');
    const swapped = username?.split(':').reverse().join(':');
    if (swapped && !this.usernames.includes(swapped)) this.usernames.push(swapped);
    const mapped = { address: from.address, port: from.port };
    this.send(encodeMessage(BINDING_SUCCESS, tid, [attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress(mapped, tid))], { fingerprint: true }), from);
    this.send(encodeMessage(BINDING_SUCCESS, tid, [attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress(mapped, tid))], { integrityKey: this.key, fingerprint: true }), from);
    this.send(datagram, from);
    if (swapped) this.send(this.forgedRequest(swapped), from);
  }

  private forgedRequest(username: string): Buffer {
    return encodeMessage(BINDING_REQUEST, newTransactionId(), [attribute(ATTR.USERNAME, Buffer.from(username, 'utf8'))], { integrityKey: this.key, fingerprint: true });
  }

  /** Sprays until the duration is over or the packets are spent; resolves with the counts. */
  async run(): Promise<AttackerCounts> {
    const started = Date.now();
    let round = 0;
    while (Date.now() - started < this.options.durationMs && this.counts.sent < this.options.maxPackets) {
      for (const target of this.options.targets) {
        const tid = newTransactionId();
        this.send(encodeMessage(BINDING_SUCCESS, tid, [attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress(target, tid))], { integrityKey: this.key, fingerprint: true }), target);
        for (const u of this.usernames) this.send(this.forgedRequest(u), target);
        const replay = this.options.replay ?? [];
        if (replay.length > 0) this.send(replay[round % replay.length] as Buffer, target);
      }
      round++;
      // Pacing of the spray itself (not a synchronisation): about 50 rounds a second.
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.counts;
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as AttackerOptions & { listenPort: number; replayFile?: string; recordFile?: string };
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(config.listenPort, resolve));
  const replay = config.replayFile ? readFileSync(config.replayFile, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => Buffer.from(l, 'hex')) : [];
  const attacker = new PairAttacker(socket, { ...config, replay });
  const counts = await attacker.run();
  if (config.recordFile) writeFileSync(config.recordFile, counts.recorded.map((b) => b.toString('hex')).join('\n') + '\n');
  socket.close();
  console.log(JSON.stringify({ received: counts.received, sent: counts.sent, recorded: counts.recorded.length }));
}

if (require.main === module) void main();
