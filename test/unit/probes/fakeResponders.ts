// Loopback stand-ins for the servers the probes talk to, so the engine's state and detail logic is
// tested without root. They follow the behaviour the research observed on the real servers
// (strongSwan §B1.2, OpenVPN §B2.4, wireguard-go §B3.3, coturn); the real servers are exercised in
// test/lab/probe*.test.ts.
import { createCipheriv, createHmac } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer as createTcpServer } from 'node:net';
import { natDetectionHash } from '../../../src/core/probes/ike/ikeSaInit';
import { buildHardResetClient, DIGEST_LENGTH, type ControlWrapping } from '../../../src/core/probes/openvpn/hardReset';
import { directionalKeys } from '../../../src/core/probes/openvpn/staticKey';
import {
  Attr,
  MessageType,
  decodeStun,
  encodeStun,
  longTermKey,
  uint32Attribute,
  utf8Attribute,
  verifyMessageIntegrity,
  type StunAttribute,
} from '../../../src/core/probes/turn/stunMessage';
import { respond, type ResponderPeer } from './wireguardResponder';

export interface FakeServer {
  port: number;
  /** Datagrams received so far. */
  received: Buffer[];
  close(): Promise<void>;
}

/** A UDP server on 127.0.0.1 (or `host`) whose handler returns the reply (or nothing: silence). */
export function udpServer(handler: (msg: Buffer, from: RemoteInfo) => Buffer | Buffer[] | undefined, host = '127.0.0.1'): Promise<FakeServer> {
  return new Promise((resolve, reject) => {
    const socket: Socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', reject); // e.g. no IPv6 loopback: the caller skips
    const received: Buffer[] = [];
    socket.on('message', (msg, from) => {
      received.push(msg);
      const reply = handler(msg, from);
      for (const r of Array.isArray(reply) ? reply : reply ? [reply] : []) socket.send(r, from.port, from.address);
    });
    socket.bind(0, host, () => {
      resolve({
        port: socket.address().port,
        received,
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}

/** A port that is closed right now (bound, then released): the kernel answers ICMP port unreachable. */
export function closedUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- IKEv2 (strongSwan-like)

/** strongSwan 5.9.8's chosen SA (research §B1.1). */
const SA_BODY = Buffer.from('0000002c01010004' + '0300000c0100000c800e0100' + '030000080300000c' + '0300000802000005' + '000000080400000e', 'hex');

interface IkeRequestView {
  spiI: Uint8Array;
  keGroup?: number;
  cookie?: Buffer;
}

function readIkeRequest(msg: Buffer): IkeRequestView | undefined {
  if (msg.length < 28 || msg[18] !== 34) return undefined;
  const view: IkeRequestView = { spiI: msg.subarray(0, 8) };
  let next = msg[16] as number;
  let off = 28;
  for (let i = 0; next !== 0 && i < 20 && off + 4 <= msg.length; i++) {
    const len = msg.readUInt16BE(off + 2);
    if (len < 4) return undefined;
    if (next === 34) view.keGroup = msg.readUInt16BE(off + 4);
    if (next === 41 && msg.readUInt16BE(off + 6) === 16390) view.cookie = msg.subarray(off + 8, off + len);
    next = msg[off] as number;
    off += len;
  }
  return view;
}

/** An IKEv2 responder message: header (flags 0x20, version 2.0, IKE_SA_INIT) and the payload chain. */
export function ikeMessage(spiI: Uint8Array, spiR: Buffer, payloads: Array<{ type: number; body: Buffer }>): Buffer {
  const chunks = payloads.map((p, i) => {
    const h = Buffer.alloc(4);
    h[0] = payloads[i + 1]?.type ?? 0;
    h.writeUInt16BE(4 + p.body.length, 2);
    return Buffer.concat([h, p.body]);
  });
  const h = Buffer.alloc(28);
  h.set(spiI, 0);
  spiR.copy(h, 8);
  h[16] = payloads[0]?.type ?? 0;
  h[17] = 0x20;
  h[18] = 34;
  h[19] = 0x20;
  const out = Buffer.concat([h, ...chunks]);
  out.writeUInt32BE(out.length, 24);
  return out;
}

/** A Notify payload body with protocol 0 and no SPI (RFC 7296 §3.10). */
export function notifyBody(type: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(type, 2);
  return Buffer.concat([b, data]);
}

export interface FakeIkeOptions {
  /** Answer NO_PROPOSAL_CHOSEN with a random SPIr, like strongSwan without a config. */
  noConfig?: boolean;
  /** The group it insists on (INVALID_KE_PAYLOAD otherwise). */
  group?: number;
  /** Demand a cookie first (strongSwan after 3 half-open SAs). */
  requireCookie?: boolean;
  /** Pretend to have seen the client at this address:port (a NAT in between). */
  seenAs?: { address: string; port: number };
  /** Port 4500 framing: requests and answers carry the non-ESP marker. */
  natt?: boolean;
  /** Listen here instead of 127.0.0.1 (e.g. ::1). */
  host?: string;
  /** Send every answer twice, as a responder does that answers a retransmission late. */
  duplicate?: boolean;
}

export function fakeIkeResponder(options: FakeIkeOptions = {}): Promise<FakeServer> {
  const cookie = Buffer.alloc(24, 0xc0);
  let serverPort = 0;
  const server = udpServer((raw, from) => {
    if (options.natt && !raw.subarray(0, 4).equals(Buffer.alloc(4))) return undefined;
    const msg = options.natt ? raw.subarray(4) : raw;
    const req = readIkeRequest(msg);
    if (!req) return undefined;
    const framed = (b: Buffer): Buffer => (options.natt ? Buffer.concat([Buffer.alloc(4), b]) : b);
    const frame = (b: Buffer): Buffer[] => (options.duplicate ? [framed(b), framed(b)] : [framed(b)]);
    const zero = Buffer.alloc(8);
    if (options.noConfig) return frame(ikeMessage(req.spiI, Buffer.from('a1a2a3a4a5a6a7a8', 'hex'), [{ type: 41, body: notifyBody(14) }]));
    if (options.requireCookie && !req.cookie?.equals(cookie)) return frame(ikeMessage(req.spiI, zero, [{ type: 41, body: notifyBody(16390, cookie) }]));
    const group = options.group ?? 19;
    if (req.keGroup !== group) return frame(ikeMessage(req.spiI, zero, [{ type: 41, body: notifyBody(17, Buffer.from([group >> 8, group & 255])) }]));
    const spiR = Buffer.from('1112131415161718', 'hex');
    const seen = options.seenAs ?? { address: from.address, port: from.port };
    return frame(
      ikeMessage(req.spiI, spiR, [
        { type: 33, body: SA_BODY },
        { type: 34, body: Buffer.concat([Buffer.from([group >> 8, group & 255, 0, 0]), Buffer.alloc(64, 1)]) },
        { type: 40, body: Buffer.alloc(32, 2) },
        { type: 41, body: notifyBody(16388, natDetectionHash(req.spiI, spiR, options.host ?? '127.0.0.1', serverPort)) },
        { type: 41, body: notifyBody(16389, natDetectionHash(req.spiI, spiR, seen.address, seen.port)) },
      ]),
    );
  }, options.host);
  return server.then((s) => {
    serverPort = s.port;
    return s;
  });
}

// ---------------------------------------------------------------- OpenVPN 2.6 (stateless reset answer)

/** The server reset a 2.6 server sends for client session `sid`, wrapped the way `clientWrapping` expects it. */
export function openVpnServerReply(clientWrapping: ControlWrapping, sid: Buffer): Buffer {
  const op = Buffer.from([0x40]);
  const serverSid = Buffer.from('b1b2b3b4b5b6b7b8', 'hex');
  const plain = Buffer.concat([Buffer.from([1]), Buffer.alloc(4), sid, Buffer.alloc(4)]);
  if (clientWrapping.kind === 'plain') return Buffer.concat([op, serverSid, plain]);
  const replay = Buffer.alloc(8);
  replay.writeUInt32BE(1, 0);
  replay.writeUInt32BE(Math.floor(Date.now() / 1000), 4);
  if (clientWrapping.kind === 'tls-auth') {
    const h = DIGEST_LENGTH[clientWrapping.digest];
    const k = directionalKeys(clientWrapping.key, clientWrapping.direction).receiveHmac.subarray(0, h);
    const mac = createHmac(clientWrapping.digest, k).update(replay).update(op).update(serverSid).update(plain).digest();
    return Buffer.concat([op, serverSid, mac, replay, plain]);
  }
  const server = directionalKeys(clientWrapping.key, 0);
  const tag = createHmac('sha256', server.sendHmac.subarray(0, 32)).update(op).update(serverSid).update(replay).update(plain).digest();
  const c = createCipheriv('aes-256-ctr', server.sendCipher.subarray(0, 32), tag.subarray(0, 16));
  return Buffer.concat([op, serverSid, replay, tag, c.update(plain), c.final()]);
}

/** Does `msg` equal a client reset wrapped as `accepts` (rebuilt from its own sid, pid and time)? */
export function isClientReset(msg: Buffer, accepts: ControlWrapping): Buffer | undefined {
  if (accepts.kind === 'tls-crypt-v2') {
    // V3 reset: tls-crypt wrapped with Kc, then WKc whose last two bytes give its length.
    if (msg[0] !== 0x50 || msg.length < 17 + accepts.wkc.length || !msg.subarray(msg.length - accepts.wkc.length).equals(accepts.wkc)) return undefined;
    const expected = buildHardResetClient({ sessionId: msg.subarray(1, 9), replayPacketId: msg.readUInt32BE(9), time: msg.readUInt32BE(13) }, accepts);
    return expected.equals(msg) ? Buffer.from(msg.subarray(1, 9)) : undefined;
  }
  if (msg[0] !== 0x38 || msg.length < 14) return undefined;
  const sid = msg.subarray(1, 9);
  let pid = 1;
  let time = 0;
  if (accepts.kind === 'tls-auth') {
    const h = DIGEST_LENGTH[accepts.digest];
    if (msg.length < 17 + h) return undefined;
    pid = msg.readUInt32BE(9 + h);
    time = msg.readUInt32BE(13 + h);
  } else if (accepts.kind === 'tls-crypt') {
    if (msg.length < 17) return undefined;
    pid = msg.readUInt32BE(9);
    time = msg.readUInt32BE(13);
  }
  const expected = buildHardResetClient({ sessionId: sid, replayPacketId: pid, time }, accepts);
  return expected.equals(msg) ? Buffer.from(sid) : undefined;
}

/** Answers only resets wrapped as `accepts`; silence otherwise (like a tls-auth server's HMAC firewall). */
export function fakeOpenVpnServer(accepts: ControlWrapping): Promise<FakeServer> {
  return udpServer((msg) => {
    const sid = isClientReset(msg, accepts);
    return sid ? openVpnServerReply(accepts, sid) : undefined;
  });
}

/** The same over TCP (2-byte length framing); a reset it does not accept closes the connection. */
export function fakeOpenVpnTcpServer(accepts: ControlWrapping): Promise<FakeServer & { connections: () => number }> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let connections = 0;
    const server = createTcpServer((socket) => {
      connections++;
      socket.on('error', () => undefined);
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        if (buffer.length < 2 || buffer.length < 2 + buffer.readUInt16BE(0)) return;
        const packet = buffer.subarray(2, 2 + buffer.readUInt16BE(0));
        received.push(Buffer.from(packet));
        const sid = isClientReset(Buffer.from(packet), accepts);
        if (!sid) return void socket.destroy();
        const reply = openVpnServerReply(accepts, sid);
        const len = Buffer.alloc(2);
        len.writeUInt16BE(reply.length, 0);
        socket.write(Buffer.concat([len, reply]));
      });
    });
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as { port: number }).port,
        received,
        connections: () => connections,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

// ---------------------------------------------------------------- WireGuard

export function fakeWireGuardServer(privateKey: Buffer, peers: ResponderPeer[]): Promise<FakeServer> {
  return udpServer((msg) => respond(msg, privateKey, peers));
}

// ---------------------------------------------------------------- TURN (coturn-like long-term auth)

function xorAddress(type: number, address: string, port: number): StunAttribute {
  const value = Buffer.alloc(8);
  value[1] = 1;
  value.writeUInt16BE(port ^ 0x2112, 2);
  const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  value.writeUInt32BE((n ^ 0x2112a442) >>> 0, 4);
  return { type, value };
}

export interface FakeTurn extends FakeServer {
  /** Lifetimes of the Refresh requests received (0 = release). */
  refreshLifetimes: number[];
}

export async function fakeTurnServer(user: string, password: string, realm = 'lab.example'): Promise<FakeTurn> {
  const key = longTermKey(user, realm, password);
  const refreshLifetimes: number[] = [];
  const challenge = (tid: Buffer): Buffer =>
    encodeStun(MessageType.allocateError, tid, [
      { type: Attr.errorCode, value: Buffer.concat([Buffer.from([0, 0, 4, 1]), Buffer.from('Unauthorized')]) },
      utf8Attribute(Attr.realm, realm),
      utf8Attribute(Attr.nonce, 'fake-nonce-1'),
    ]);
  const server = await udpServer((raw) => {
    const msg = decodeStun(raw);
    if (!msg) return undefined;
    const hasMi = msg.attributes.some((a) => a.type === Attr.messageIntegrity);
    const userAttr = msg.attributes.find((a) => a.type === Attr.username)?.value.toString();
    const authentic = hasMi && userAttr === user && verifyMessageIntegrity(msg, key);
    if (msg.type === MessageType.allocateRequest) {
      if (!authentic) return challenge(msg.transactionId);
      return encodeStun(
        MessageType.allocateSuccess,
        msg.transactionId,
        [xorAddress(Attr.xorRelayedAddress, '127.0.0.1', 49999), xorAddress(Attr.xorMappedAddress, '127.0.0.1', 40000), uint32Attribute(Attr.lifetime, 600)],
        { integrityKey: key },
      );
    }
    if (msg.type === MessageType.refreshRequest && authentic) {
      refreshLifetimes.push(msg.attributes.find((a) => a.type === Attr.lifetime)?.value.readUInt32BE(0) ?? -1);
      return encodeStun(MessageType.refreshSuccess, msg.transactionId, [], { integrityKey: key });
    }
    return undefined;
  });
  return { ...server, refreshLifetimes };
}
