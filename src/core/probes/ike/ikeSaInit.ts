// IKEv2 IKE_SA_INIT request builder and response parser (RFC 7296 §3). The probe is credential-free:
// every IKEv2 responder answers an IKE_SA_INIT, even with NO_PROPOSAL_CHOSEN, so any well-formed
// answer proves the service is there (RFC 7296 §1.2, §2.21.1).
import { createHash } from 'node:crypto';
import { ipToBytes } from '../../net/ipText';
import { slice, u16, u32 } from '../bytes';

export const IKE_HEADER_LENGTH = 28;
/** RFC 7296 §3.1: major version 2, minor 0. */
const IKE_VERSION_2 = 0x20;
export const EXCHANGE_IKE_SA_INIT = 34;
const FLAG_INITIATOR = 0x08;
const FLAG_RESPONSE = 0x20;

/** RFC 7296 §3.2 payload type numbers. */
export const PayloadType = {
  none: 0,
  sa: 33,
  ke: 34,
  nonce: 40,
  notify: 41,
  vendorId: 43,
} as const;

/** RFC 7296 §3.10.1 and the IANA registry (numbers cross-checked in strongSwan notify_payload.h). */
export const NotifyType = {
  unsupportedCriticalPayload: 1,
  invalidMajorVersion: 5,
  invalidSyntax: 7,
  noProposalChosen: 14,
  invalidKePayload: 17,
  authenticationFailed: 24,
  temporaryFailure: 43,
  natDetectionSourceIp: 16388,
  natDetectionDestinationIp: 16389,
  cookie: 16390,
} as const;

const NOTIFY_NAMES: Record<number, string> = {
  1: 'UNSUPPORTED_CRITICAL_PAYLOAD',
  4: 'INVALID_IKE_SPI',
  5: 'INVALID_MAJOR_VERSION',
  7: 'INVALID_SYNTAX',
  9: 'INVALID_MESSAGE_ID',
  14: 'NO_PROPOSAL_CHOSEN',
  17: 'INVALID_KE_PAYLOAD',
  24: 'AUTHENTICATION_FAILED',
  43: 'TEMPORARY_FAILURE',
  16390: 'COOKIE',
};

/** Human name of an error notify (types below 16384 are errors, RFC 7296 §3.10.1). */
export function notifyName(type: number): string {
  return NOTIFY_NAMES[type] ?? `error notify ${type}`;
}

/** Transform types (RFC 7296 §3.3.2). */
const TransformType = { encr: 1, prf: 2, integ: 3, dh: 4 } as const;
const ENCR_AES_CBC = 12;
const ENCR_AES_GCM_16 = 20;
const PRF_HMAC_SHA2_512 = 7;
const PRF_HMAC_SHA2_256 = 5;
const PRF_HMAC_SHA1 = 2;
const AUTH_HMAC_SHA2_512_256 = 14;
const AUTH_HMAC_SHA2_256_128 = 12;
const AUTH_HMAC_SHA1_96 = 2;
/** Attribute "Key Length" in TV format (RFC 7296 §3.3.5): AF bit set, type 14. */
const ATTR_KEY_LENGTH_TV = 0x800e;

/**
 * Key-exchange groups we offer, ECP256 first: strongSwan and libreswan both prefer ECC, so the first
 * guess usually avoids an INVALID_KE_PAYLOAD round trip (RFC 7296 §1.2). MODP1024 (2)
 * stays at the end for legacy responders.
 */
export const OFFERED_DH_GROUPS = [19, 31, 20, 21, 14, 15, 16, 2] as const;

export interface IkeSaInitRequest {
  /** Our SPI: 8 random bytes, non-zero. */
  spiI: Uint8Array;
  /** The group of the KE payload; moved to the front of the offered list. */
  dhGroup: number;
  /** Our public key share for `dhGroup`, encoded as RFC 7296 §3.4 / RFC 5903 §7 want. */
  keyShare: Uint8Array;
  nonce: Uint8Array;
  /** NAT_DETECTION_SOURCE_IP / _DESTINATION_IP data (RFC 7296 §2.23); without both, servers ignore NAT-D. */
  natDetectionSource: Uint8Array;
  natDetectionDestination: Uint8Array;
  /** Data of a COOKIE notify the responder asked for; it must be the first payload (RFC 7296 §2.6). */
  cookie?: Uint8Array;
}

interface PayloadSpec {
  type: number;
  body: Buffer;
}

function transform(type: number, id: number, keyLengthBits?: number): Buffer {
  const length = keyLengthBits === undefined ? 8 : 12;
  const out = Buffer.alloc(length);
  // out[0] "last or more" is patched by proposal(): 3 = more transforms follow, 0 = last.
  out.writeUInt16BE(length, 2);
  out[4] = type;
  out.writeUInt16BE(id, 6);
  if (keyLengthBits !== undefined) {
    out.writeUInt16BE(ATTR_KEY_LENGTH_TV, 8);
    out.writeUInt16BE(keyLengthBits, 10);
  }
  return out;
}

function proposal(number: number, transforms: Buffer[], last: boolean): Buffer {
  transforms.forEach((t, i) => {
    t[0] = i === transforms.length - 1 ? 0 : 3;
  });
  const header = Buffer.alloc(8);
  header[0] = last ? 0 : 2;
  header[4] = number;
  header[5] = 1; // protocol ID: IKE
  header[6] = 0; // SPI size: none in IKE_SA_INIT (RFC 7296 §3.3.1)
  header[7] = transforms.length;
  const out = Buffer.concat([header, ...transforms]);
  out.writeUInt16BE(out.length, 2);
  return out;
}

function dhTransforms(first: number): Buffer[] {
  const groups = [first, ...OFFERED_DH_GROUPS.filter((g) => g !== first)];
  return groups.map((g) => transform(TransformType.dh, g));
}

/**
 * Two broad proposals (RFC 7296 §3.3): an AEAD one (AES-GCM, no INTEG) and a
 * classic one (AES-CBC + HMAC), each with every offered group, so the answer is about reachability
 * and not about our taste in algorithms.
 */
function saBody(dhGroup: number): Buffer {
  const aead = proposal(
    1,
    [
      transform(TransformType.encr, ENCR_AES_GCM_16, 256),
      transform(TransformType.encr, ENCR_AES_GCM_16, 128),
      transform(TransformType.prf, PRF_HMAC_SHA2_512),
      transform(TransformType.prf, PRF_HMAC_SHA2_256),
      ...dhTransforms(dhGroup),
    ],
    false,
  );
  const classic = proposal(
    2,
    [
      transform(TransformType.encr, ENCR_AES_CBC, 256),
      transform(TransformType.encr, ENCR_AES_CBC, 128),
      transform(TransformType.prf, PRF_HMAC_SHA2_512),
      transform(TransformType.prf, PRF_HMAC_SHA2_256),
      transform(TransformType.prf, PRF_HMAC_SHA1),
      transform(TransformType.integ, AUTH_HMAC_SHA2_512_256),
      transform(TransformType.integ, AUTH_HMAC_SHA2_256_128),
      transform(TransformType.integ, AUTH_HMAC_SHA1_96),
      ...dhTransforms(dhGroup),
    ],
    true,
  );
  return Buffer.concat([aead, classic]);
}

function notifyBody(type: number, data: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0; // protocol ID: none (IKE SA itself)
  head[1] = 0; // SPI size
  head.writeUInt16BE(type, 2);
  return Buffer.concat([head, Buffer.from(data)]);
}

/** Builds `HDR, [N(COOKIE)], SA, KE, Ni, N(NAT_DETECTION_SOURCE_IP), N(NAT_DETECTION_DESTINATION_IP)`. */
export function buildIkeSaInit(req: IkeSaInitRequest): Buffer {
  if (req.spiI.length !== 8) throw new RangeError('SPIi must be 8 bytes');
  const keHead = Buffer.alloc(4);
  keHead.writeUInt16BE(req.dhGroup, 0);
  const payloads: PayloadSpec[] = [];
  if (req.cookie) payloads.push({ type: PayloadType.notify, body: notifyBody(NotifyType.cookie, req.cookie) });
  payloads.push(
    { type: PayloadType.sa, body: saBody(req.dhGroup) },
    { type: PayloadType.ke, body: Buffer.concat([keHead, Buffer.from(req.keyShare)]) },
    { type: PayloadType.nonce, body: Buffer.from(req.nonce) },
    { type: PayloadType.notify, body: notifyBody(NotifyType.natDetectionSourceIp, req.natDetectionSource) },
    { type: PayloadType.notify, body: notifyBody(NotifyType.natDetectionDestinationIp, req.natDetectionDestination) },
  );
  const chunks: Buffer[] = [];
  payloads.forEach((p, i) => {
    const head = Buffer.alloc(4);
    head[0] = payloads[i + 1]?.type ?? PayloadType.none;
    head.writeUInt16BE(4 + p.body.length, 2);
    chunks.push(head, p.body);
  });
  const header = Buffer.alloc(IKE_HEADER_LENGTH);
  Buffer.from(req.spiI).copy(header, 0);
  header[16] = payloads[0]?.type ?? PayloadType.none;
  header[17] = IKE_VERSION_2;
  header[18] = EXCHANGE_IKE_SA_INIT;
  header[19] = FLAG_INITIATOR;
  const out = Buffer.concat([header, ...chunks]);
  out.writeUInt32BE(out.length, 24);
  return out;
}

/**
 * NAT detection data, RFC 7296 §2.23: SHA-1(SPIi ‖ SPIr ‖ IP ‖ port), with the SPIs as they stand in
 * the header of the message that carries it (SPIr = 0 in our request, the responder's SPI in its
 * answer).
 */
export function natDetectionHash(spiI: Uint8Array, spiR: Uint8Array, address: string, port: number): Buffer {
  const ip = ipBytes(address);
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16BE(port, 0);
  return createHash('sha1').update(spiI).update(spiR).update(ip).update(portBytes).digest();
}

/** Raw 4- or 16-byte form of an IP address literal. */
export function ipBytes(address: string): Buffer {
  const bytes = ipToBytes(address);
  if (!bytes) throw new RangeError(`not an IP address: ${address}`);
  return bytes;
}

export interface IkeNotify {
  type: number;
  data: Buffer;
}

export interface IkeTransform {
  type: number;
  id: number;
  keyLengthBits?: number;
}

export interface IkeSaInitResponse {
  spiI: Buffer;
  spiR: Buffer;
  notifies: IkeNotify[];
  /** Transforms of the chosen proposal, when the responder accepted one. */
  chosenTransforms: IkeTransform[];
  /** Group of the responder's KE payload, when present. */
  keGroup?: number;
  hasNonce: boolean;
  vendorIds: Buffer[];
}

/** Longest chain we walk; a real IKE_SA_INIT response has about ten payloads. */
const MAX_PAYLOADS = 64;

/**
 * Parses an IKE_SA_INIT response. Anything that is not a well-formed IKEv2 IKE_SA_INIT response to
 * `expectedSpiI` yields undefined: these bytes come from the network and must never throw.
 */
export function parseIkeSaInitResponse(buf: Uint8Array, expectedSpiI?: Uint8Array): IkeSaInitResponse | undefined {
  if (buf.length < IKE_HEADER_LENGTH) return undefined;
  const spiI = slice(buf, 0, 8);
  const spiR = slice(buf, 8, 8);
  const firstPayload = buf[16];
  const version = buf[17];
  const exchange = buf[18];
  const flags = buf[19];
  const length = u32(buf, 24);
  if (!spiI || !spiR || firstPayload === undefined || version === undefined || flags === undefined || length === undefined) return undefined;
  // RFC 7296 §3.1: a major version we do not speak means "not for us".
  if (version >> 4 !== 2 || exchange !== EXCHANGE_IKE_SA_INIT || (flags & FLAG_RESPONSE) === 0) return undefined;
  if (expectedSpiI && !spiI.equals(Buffer.from(expectedSpiI))) return undefined;
  if (length < IKE_HEADER_LENGTH || length > buf.length) return undefined;
  const result: IkeSaInitResponse = { spiI, spiR, notifies: [], chosenTransforms: [], hasNonce: false, vendorIds: [] };
  let next = firstPayload;
  let offset = IKE_HEADER_LENGTH;
  for (let count = 0; next !== PayloadType.none; count++) {
    if (count >= MAX_PAYLOADS) return undefined;
    const nextAfter = buf[offset];
    const payloadLength = u16(buf, offset + 2);
    if (nextAfter === undefined || payloadLength === undefined || payloadLength < 4 || offset + payloadLength > length) return undefined;
    const body = slice(buf, offset + 4, payloadLength - 4);
    if (!body) return undefined;
    if (next === PayloadType.notify) {
      const notify = parseNotify(body);
      if (!notify) return undefined;
      result.notifies.push(notify);
    } else if (next === PayloadType.sa) {
      const transforms = parseFirstProposal(body);
      if (!transforms) return undefined;
      result.chosenTransforms = transforms;
    } else if (next === PayloadType.ke) {
      const group = u16(body, 0);
      if (group === undefined) return undefined;
      result.keGroup = group;
    } else if (next === PayloadType.nonce) {
      result.hasNonce = true;
    } else if (next === PayloadType.vendorId) {
      result.vendorIds.push(body);
    }
    next = nextAfter;
    offset += payloadLength;
  }
  return result;
}

function parseNotify(body: Buffer): IkeNotify | undefined {
  const spiSize = body[1];
  const type = u16(body, 2);
  if (spiSize === undefined || type === undefined || 4 + spiSize > body.length) return undefined;
  return { type, data: body.subarray(4 + spiSize) };
}

/** The responder's SA carries exactly the one proposal it chose (RFC 7296 §2.7). */
function parseFirstProposal(body: Buffer): IkeTransform[] | undefined {
  const proposalLength = u16(body, 2);
  const spiSize = body[6];
  const count = body[7];
  if (proposalLength === undefined || spiSize === undefined || count === undefined) return undefined;
  if (proposalLength < 8 || proposalLength > body.length) return undefined;
  const transforms: IkeTransform[] = [];
  let offset = 8 + spiSize;
  for (let i = 0; i < count; i++) {
    const tLength = u16(body, offset + 2);
    const type = body[offset + 4];
    const id = u16(body, offset + 6);
    if (tLength === undefined || type === undefined || id === undefined || tLength < 8 || offset + tLength > proposalLength) return undefined;
    const t: IkeTransform = { type, id };
    if (tLength >= 12 && u16(body, offset + 8) === ATTR_KEY_LENGTH_TV) t.keyLengthBits = u16(body, offset + 10);
    transforms.push(t);
    offset += tLength;
  }
  return transforms;
}

/** strongSwan/RFC names for the algorithms a responder chose, for the detail line. */
export function describeTransforms(transforms: IkeTransform[]): string {
  const names: Record<string, string> = {
    '1:12': 'AES_CBC',
    '1:20': 'AES_GCM_16',
    '1:28': 'CHACHA20_POLY1305',
    '1:3': '3DES',
    '2:2': 'PRF_HMAC_SHA1',
    '2:5': 'PRF_HMAC_SHA2_256',
    '2:6': 'PRF_HMAC_SHA2_384',
    '2:7': 'PRF_HMAC_SHA2_512',
    '3:2': 'HMAC_SHA1_96',
    '3:12': 'HMAC_SHA2_256_128',
    '3:13': 'HMAC_SHA2_384_192',
    '3:14': 'HMAC_SHA2_512_256',
    '4:2': 'MODP_1024',
    '4:14': 'MODP_2048',
    '4:15': 'MODP_3072',
    '4:16': 'MODP_4096',
    '4:19': 'ECP_256',
    '4:20': 'ECP_384',
    '4:21': 'ECP_521',
    '4:31': 'CURVE_25519',
  };
  return transforms
    .map((t) => {
      const name = names[`${t.type}:${t.id}`] ?? `transform ${t.type}/${t.id}`;
      return t.keyLengthBits ? `${name}_${t.keyLengthBits}` : name;
    })
    .join('/');
}

/** RFC 3948 §2.2: IKE on port 4500 is preceded by a 4-byte zero non-ESP marker. */
export const NON_ESP_MARKER = Buffer.alloc(4);

/** Strips the non-ESP marker; undefined when the datagram is ESP (non-zero SPI) or too short. */
export function stripNonEspMarker(buf: Uint8Array): Buffer | undefined {
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 0 || buf[3] !== 0) return undefined;
  return Buffer.from(buf.subarray(4));
}
