// Loopback stand-ins for the servers the probes talk to, so the engine's state and detail logic is
// tested without root. They behave like the real servers (strongSwan 5.9, OpenVPN 2.6, wireguard-go,
// coturn), which are exercised in test/lab/probe*.test.ts.
//
// Every answer is built by an encoder that is independent of src/core — literal bytes, the IKE
// header and payload chain below, openvpnWire.ts, wireguardResponder.ts and the lab's stunWire.ts —
// so that a codec bug in the probe cannot be cancelled out by the same bug in its double. The
// encoders themselves are checked against published or live-verified bytes in
// independentCodecs.test.ts. Only types are imported from the product.
import { createHash } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer as createTcpServer } from 'node:net';
import type { ControlWrapping } from '../../../src/core/probes/openvpn/hardReset';
import {
  ATTR,
  CLASS,
  METHOD,
  attribute,
  encodeMessage,
  errorCode,
  ipAddressBytes,
  longTermKey,
  messageType,
  parseMessage,
  uint32,
  verifyFingerprint,
  verifyIntegrity,
  xorMappedAddress,
} from '../../lab/stunWire';
import { OP, reliableHeader, unwrapControl, wrapControl } from './openvpnWire';
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

/**
 * The SA payload body strongSwan 5.9.8 chose for a default proposal (RFC 7296 §3.3): one proposal,
 * IKE, with ENCR_AES_CBC 256 bits, INTEG HMAC_SHA2_256_128, PRF_HMAC_SHA2_256 and MODP_2048.
 */
const SA_BODY = Buffer.from('0000002c01010004' + '0300000c0100000c800e0100' + '030000080300000c' + '0300000802000005' + '000000080400000e', 'hex');

/** RFC 7296 §3.2 payload types and §3.10.1 notify types the fake uses. */
const PAYLOAD = { SA: 33, KE: 34, NONCE: 40, NOTIFY: 41 } as const;
const NOTIFY = { NO_PROPOSAL_CHOSEN: 14, INVALID_KE_PAYLOAD: 17, NAT_DETECTION_SOURCE_IP: 16388, NAT_DETECTION_DESTINATION_IP: 16389, COOKIE: 16390 } as const;
/** RFC 7296 §3.1 exchange type IKE_SA_INIT. */
const IKE_SA_INIT = 34;

interface IkeRequestView {
  spiI: Uint8Array;
  keGroup?: number;
  cookie?: Buffer;
}

/** Walks an IKE_SA_INIT request's payload chain (RFC 7296 §3.1 header, §3.2 generic payload header). */
function readIkeRequest(msg: Buffer): IkeRequestView | undefined {
  if (msg.length < 28 || msg[18] !== IKE_SA_INIT) return undefined;
  const view: IkeRequestView = { spiI: msg.subarray(0, 8) };
  let next = msg[16] as number;
  let off = 28;
  for (let i = 0; next !== 0 && i < 20 && off + 4 <= msg.length; i++) {
    const len = msg.readUInt16BE(off + 2);
    if (len < 4) return undefined;
    if (next === PAYLOAD.KE) view.keGroup = msg.readUInt16BE(off + 4);
    if (next === PAYLOAD.NOTIFY && msg.readUInt16BE(off + 6) === NOTIFY.COOKIE) view.cookie = msg.subarray(off + 8, off + len);
    next = msg[off] as number;
    off += len;
  }
  return view;
}

/**
 * An IKEv2 responder message (RFC 7296 §3.1): SPIi, SPIr, next payload, version 2.0 (0x20),
 * exchange IKE_SA_INIT, flags Response (0x20, Initiator bit clear), message id 0, total length;
 * then the payload chain, each payload led by the generic header of §3.2 (next payload, critical
 * bit and reserved = 0, payload length including the 4-byte header).
 */
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
  h[18] = IKE_SA_INIT;
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

/** NAT_DETECTION_*_IP data (RFC 7296 §2.23): SHA-1(SPIi ‖ SPIr ‖ IP address ‖ port), port in network order. */
export function natDetectionHash(spiI: Uint8Array, spiR: Uint8Array, address: string, port: number): Buffer {
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port, 0);
  return createHash('sha1').update(spiI).update(spiR).update(ipAddressBytes(address)).update(portBytes).digest();
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
    // RFC 3948 §2.2: on port 4500 IKE follows a 4-byte zero non-ESP marker.
    if (options.natt && !raw.subarray(0, 4).equals(Buffer.alloc(4))) return undefined;
    const msg = options.natt ? raw.subarray(4) : raw;
    const req = readIkeRequest(msg);
    if (!req) return undefined;
    const framed = (b: Buffer): Buffer => (options.natt ? Buffer.concat([Buffer.alloc(4), b]) : b);
    const frame = (b: Buffer): Buffer[] => (options.duplicate ? [framed(b), framed(b)] : [framed(b)]);
    const zero = Buffer.alloc(8);
    const notify = (type: number, data?: Buffer): { type: number; body: Buffer } => ({ type: PAYLOAD.NOTIFY, body: notifyBody(type, data) });
    if (options.noConfig) return frame(ikeMessage(req.spiI, Buffer.from('a1a2a3a4a5a6a7a8', 'hex'), [notify(NOTIFY.NO_PROPOSAL_CHOSEN)]));
    if (options.requireCookie && !req.cookie?.equals(cookie)) return frame(ikeMessage(req.spiI, zero, [notify(NOTIFY.COOKIE, cookie)]));
    const group = options.group ?? 19;
    const groupBytes = Buffer.from([group >> 8, group & 255]);
    if (req.keGroup !== group) return frame(ikeMessage(req.spiI, zero, [notify(NOTIFY.INVALID_KE_PAYLOAD, groupBytes)]));
    const spiR = Buffer.from('1112131415161718', 'hex');
    const seen = options.seenAs ?? { address: from.address, port: from.port };
    return frame(
      ikeMessage(req.spiI, spiR, [
        { type: PAYLOAD.SA, body: SA_BODY },
        // RFC 7296 §3.4: DH group, 2 reserved bytes, key exchange data (any 64 bytes for a fake).
        { type: PAYLOAD.KE, body: Buffer.concat([groupBytes, Buffer.alloc(2), Buffer.alloc(64, 1)]) },
        { type: PAYLOAD.NONCE, body: Buffer.alloc(32, 2) },
        notify(NOTIFY.NAT_DETECTION_SOURCE_IP, natDetectionHash(req.spiI, spiR, options.host ?? '127.0.0.1', serverPort)),
        notify(NOTIFY.NAT_DETECTION_DESTINATION_IP, natDetectionHash(req.spiI, spiR, seen.address, seen.port)),
      ]),
    );
  }, options.host);
  return server.then((s) => {
    serverPort = s.port;
    return s;
  });
}

// ---------------------------------------------------------------- OpenVPN 2.6 (stateless reset answer)

export interface ServerReplyOptions {
  /** The server's session id (default b1…b8). */
  serverSessionId?: Buffer;
  /** The time in the replay protection (default now). */
  time?: number;
}

/**
 * The P_CONTROL_HARD_RESET_SERVER_V2 a 2.6 server sends for client session `sid`: it acknowledges
 * the client's packet-id 0 and carries its own message packet-id 0, wrapped the way a client with
 * `clientWrapping` expects it (replay packet-id 1: the server's first packet).
 */
export function openVpnServerReply(clientWrapping: ControlWrapping, sid: Buffer, options: ServerReplyOptions = {}): Buffer {
  return wrapControl(clientWrapping, 'server', {
    op: OP.serverResetV2,
    sessionId: options.serverSessionId ?? Buffer.from('b1b2b3b4b5b6b7b8', 'hex'),
    packetId: 1,
    time: options.time ?? Math.floor(Date.now() / 1000),
    plaintext: reliableHeader([0], sid, 0),
  });
}

/**
 * The client session id of `msg` if it is a client reset a server configured for `accepts` takes:
 * the right opcode (V3 for tls-crypt-v2, with the expected WKc), a wrapping that verifies with the
 * server's keys, no ACKs and message packet-id 0. Undefined otherwise.
 */
export function isClientReset(msg: Buffer, accepts: ControlWrapping): Buffer | undefined {
  const packet = unwrapControl(accepts, 'client', msg);
  if (!packet) return undefined;
  if (accepts.kind === 'tls-crypt-v2') {
    if (packet.op !== OP.clientResetV3 || !packet.wkc?.equals(accepts.wkc)) return undefined;
  } else if (packet.op !== OP.clientResetV2) {
    return undefined;
  }
  if (packet.plaintext.length < 5 || packet.plaintext[0] !== 0 || packet.plaintext.readUInt32BE(1) !== 0) return undefined;
  return packet.sessionId;
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

export interface FakeTurn extends FakeServer {
  /** Lifetimes of the Refresh requests received (0 = release). */
  refreshLifetimes: number[];
}

const ALLOCATE_REQUEST = messageType(METHOD.ALLOCATE, CLASS.request);
const REFRESH_REQUEST = messageType(METHOD.REFRESH, CLASS.request);

/**
 * A TURN server with long-term credentials (RFC 8656 §7, RFC 5389 §10.2): an Allocate without valid
 * MESSAGE-INTEGRITY gets 401 with REALM and NONCE; an authenticated one gets XOR-RELAYED-ADDRESS
 * 127.0.0.1:49999, XOR-MAPPED-ADDRESS and LIFETIME 600, signed; an authenticated Refresh is recorded
 * and answered. A request whose FINGERPRINT does not verify is dropped (RFC 5389 §7.3); answers
 * carry FINGERPRINT when the request did.
 */
export async function fakeTurnServer(user: string, password: string, realm = 'lab.example'): Promise<FakeTurn> {
  const key = longTermKey(user, realm, password);
  const refreshLifetimes: number[] = [];
  const server = await udpServer((raw) => {
    const msg = parseMessage(raw);
    if (!msg) return undefined;
    const hasFingerprint = msg.attributes.has(ATTR.FINGERPRINT);
    if (hasFingerprint && !verifyFingerprint(raw)) return undefined;
    const tid = msg.transactionId;
    const answer = (type: number, attrs: Buffer[], signed: boolean): Buffer =>
      encodeMessage(type, tid, attrs, { ...(signed ? { integrityKey: key } : {}), fingerprint: hasFingerprint });
    const authentic = msg.attributes.get(ATTR.USERNAME)?.toString('utf8') === user && verifyIntegrity(raw, key);
    if (msg.type === ALLOCATE_REQUEST) {
      if (!authentic) {
        return answer(
          messageType(METHOD.ALLOCATE, CLASS.error),
          [attribute(ATTR.ERROR_CODE, errorCode(401, 'Unauthorized')), attribute(ATTR.REALM, Buffer.from(realm)), attribute(ATTR.NONCE, Buffer.from('fake-nonce-1'))],
          false,
        );
      }
      return answer(
        messageType(METHOD.ALLOCATE, CLASS.success),
        [
          attribute(ATTR.XOR_RELAYED_ADDRESS, xorMappedAddress({ address: '127.0.0.1', port: 49999 }, tid)),
          attribute(ATTR.XOR_MAPPED_ADDRESS, xorMappedAddress({ address: '127.0.0.1', port: 40000 }, tid)),
          attribute(ATTR.LIFETIME, uint32(600)),
        ],
        true,
      );
    }
    if (msg.type === REFRESH_REQUEST && authentic) {
      refreshLifetimes.push(msg.attributes.get(ATTR.LIFETIME)?.readUInt32BE(0) ?? -1);
      return answer(messageType(METHOD.REFRESH, CLASS.success), [], true);
    }
    return undefined;
  });
  return { ...server, refreshLifetimes };
}
