// The copy-paste tokens of the pair test: what one peer tells the other through a chat, with no
// server of ours in between (the role ICE's offer/answer exchange plays, RFC 8445 §5.3).
//
//   ndpair1:<base64url of the bytes below>
//
//   byte 0       version 1, plus 0x80 for an answer
//   bytes 1–4    expiry, seconds since 1970 (uint32)
//   16 bytes     the session secret (offer only): a fresh random key, the root of every check's
//                MESSAGE-INTEGRITY and of this token's tag
//   4 bytes      this side's username fragment (random)
//   5 bytes      the NAT summary the prediction needs (encodeSummary)
//   1 byte       candidate count, then per candidate: kind (0 host, 1 server-reflexive,
//                2 predicted ports; +0x80 for IPv6), address (4 or 16 bytes), port; a predicted
//                range adds its step (int16) and how many ports (uint8)
//   8 bytes      tag: HMAC-SHA256(secret, "ndpair1 token" ‖ everything before), truncated
//
// An offer with one host, one server-reflexive candidate and a predicted range is 65 bytes: 95
// characters with the prefix. The tag makes a token that a chat app mangled, or an answer made
// for another offer, fail to decode instead of sending checks to wrong addresses.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { formatIpBytes, ipToBytes } from '../net/ipText';
import type { CgnatVerdict, ClassicNatType, FilteringBehavior, MappingBehavior, PortAllocation } from '../report/types';
import type { PeerNatSummary } from './pairPrediction';

export const TOKEN_PREFIX = 'ndpair1:';
const VERSION = 1;
const ANSWER_FLAG = 0x80;
const SECRET_BYTES = 16;
const UFRAG_BYTES = 4;
const TAG_BYTES = 8;
const MAX_CANDIDATES = 16;

export type PairRole = 'offer' | 'answer';

export interface PairCandidate {
  kind: 'host' | 'srflx' | 'predicted';
  address: string;
  port: number;
  /** Predicted ports: `port`, `port + step`, … (`count` of them). */
  step?: number;
  count?: number;
}

export interface PairToken {
  role: PairRole;
  /** Seconds since 1970. */
  expiresAt: number;
  /** The session secret; an answer carries none (it is the offer's). */
  secret: Buffer;
  /** This side's username fragment, 8 hex digits. */
  ufrag: string;
  summary: PeerNatSummary;
  candidates: PairCandidate[];
}

export function newSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

export function newUfrag(): string {
  return randomBytes(UFRAG_BYTES).toString('hex');
}

// ---- summary (5 bytes) -----------------------------------------------------------------------
// Wire codes: the index in these lists. They are the token format, so they never follow a
// reordering of the Report's value lists; a new value goes at the end.

const MAPPING_CODES: readonly MappingBehavior[] = ['unknown', 'none', 'endpoint-independent', 'address-dependent', 'address-and-port-dependent'];
const FILTERING_CODES: readonly FilteringBehavior[] = ['unknown', 'endpoint-independent', 'address-dependent', 'address-and-port-dependent'];
const CGNAT_CODES: readonly CgnatVerdict[] = ['unknown', 'no', 'yes'];
const TYPE_CODES: readonly ClassicNatType[] = ['unknown', 'open-internet', 'full-cone', 'restricted-cone', 'port-restricted-cone', 'symmetric', 'symmetric-udp-firewall', 'udp-blocked'];
const PATTERN_CODES: readonly (PortAllocation['pattern'] | null)[] = [null, 'preserving', 'sequential', 'random', 'unknown'];

function encodeSummary(s: PeerNatSummary): Buffer {
  const out = Buffer.alloc(5);
  out[0] = ((s.udp === 'blocked' ? 1 : 0) << 7) | (MAPPING_CODES.indexOf(s.mapping) << 4) | (FILTERING_CODES.indexOf(s.filtering) << 2) | CGNAT_CODES.indexOf(s.cgnat);
  const pattern = PATTERN_CODES.indexOf(s.portAllocation?.pattern ?? null);
  out[1] = (TYPE_CODES.indexOf(s.type) << 5) | (pattern << 2) | (s.hairpinning === null ? 0 : s.hairpinning ? 2 : 1);
  const delta = s.portAllocation?.delta;
  out.writeInt16BE(delta !== null && delta !== undefined && delta >= -32767 && delta <= 32767 ? delta : -32768, 2);
  out[4] = 0; // reserved
  return out;
}

function decodeSummary(b: Buffer, publicAddress: string | null): PeerNatSummary | undefined {
  const mapping = MAPPING_CODES[((b[0] as number) >> 4) & 7];
  const filtering = FILTERING_CODES[((b[0] as number) >> 2) & 3];
  const cgnat = CGNAT_CODES[(b[0] as number) & 3];
  const type = TYPE_CODES[(b[1] as number) >> 5];
  const patternCode = ((b[1] as number) >> 2) & 7;
  const pattern = PATTERN_CODES[patternCode];
  const hp = (b[1] as number) & 3;
  if (!mapping || !filtering || !cgnat || !type || patternCode >= PATTERN_CODES.length || hp === 3) return undefined;
  const rawDelta = b.readInt16BE(2);
  return {
    udp: ((b[0] as number) & 0x80) !== 0 ? 'blocked' : 'ok',
    mapping,
    filtering,
    type,
    portAllocation: pattern ? { pattern, delta: rawDelta === -32768 ? null : rawDelta } : null,
    cgnat,
    hairpinning: hp === 0 ? null : hp === 2,
    publicAddress,
  };
}

// ---- token ---------------------------------------------------------------------------------------

/** The short-term keys of the session (RFC 8445 §7.2.2: the responder's password signs both ways). */
export function derivePassword(secret: Buffer, of: PairRole): string {
  return createHmac('sha256', secret).update(`ndpair1 password ${of}`).digest('base64url');
}

function tag(secret: Buffer, body: Buffer): Buffer {
  return createHmac('sha256', secret).update('ndpair1 token').update(body).digest().subarray(0, TAG_BYTES);
}

/** Encodes a token. `secret` is the session's (an answer's is not written, only used for the tag). */
export function encodePairToken(token: PairToken): string {
  if (token.secret.length !== SECRET_BYTES) throw new RangeError('the session secret has 16 bytes');
  if (!/^[0-9a-f]{8}$/.test(token.ufrag)) throw new RangeError('a username fragment is 8 hex digits');
  const parts: Buffer[] = [];
  const head = Buffer.alloc(5);
  head[0] = VERSION | (token.role === 'answer' ? ANSWER_FLAG : 0);
  head.writeUInt32BE(Math.max(0, Math.min(0xffffffff, Math.floor(token.expiresAt))), 1);
  parts.push(head);
  if (token.role === 'offer') parts.push(token.secret);
  parts.push(Buffer.from(token.ufrag, 'hex'));
  parts.push(encodeSummary(token.summary));
  const candidates = token.candidates.slice(0, MAX_CANDIDATES);
  parts.push(Buffer.from([candidates.length]));
  for (const c of candidates) {
    const ip = ipToBytes(c.address);
    if (!ip) throw new RangeError(`not an IP address: ${c.address}`);
    const kind = (c.kind === 'host' ? 0 : c.kind === 'srflx' ? 1 : 2) | (ip.length === 16 ? 0x80 : 0);
    const port = Buffer.alloc(2);
    port.writeUInt16BE(c.port);
    parts.push(Buffer.from([kind]), ip, port);
    if (c.kind === 'predicted') {
      const range = Buffer.alloc(3);
      range.writeInt16BE(c.step ?? 1, 0);
      range[2] = Math.max(1, Math.min(255, c.count ?? 1));
      parts.push(range);
    }
  }
  const body = Buffer.concat(parts);
  return TOKEN_PREFIX + Buffer.concat([body, tag(token.secret, body)]).toString('base64url');
}

/**
 * A token pasted into a terminal or a chat: the first `ndpair1:…` in the text, with the line
 * breaks (and the indentation around them) that a chat app's wrapping put into it removed.
 */
export function extractToken(text: string): string | undefined {
  const compact = text.replace(/[ \t]*[\r\n]+[ \t]*/g, '');
  const match = /ndpair1:[A-Za-z0-9_-]+/.exec(compact);
  return match?.[0];
}

export type DecodedToken = { token: PairToken } | { error: string; expired?: boolean };

/**
 * Decodes a token. An answer needs the offer's `secret` (its tag proves it was made for that
 * offer). `nowSec` defaults to the clock. Errors say what is wrong in words a user can act on.
 */
export function decodePairToken(text: string, options: { expect: PairRole; secret?: Buffer; nowSec?: number }): DecodedToken {
  const found = extractToken(text);
  if (!found) return { error: `no ${TOKEN_PREFIX} token found: paste the whole line your peer sent` };
  let bytes: Buffer;
  try {
    bytes = Buffer.from(found.slice(TOKEN_PREFIX.length), 'base64url');
  } catch {
    return { error: 'the token is not valid base64url' };
  }
  const fail = (why: string): DecodedToken => ({ error: `the token is damaged or incomplete (${why}): ask your peer to send it again, in one piece` });
  if (bytes.length < 5 + UFRAG_BYTES + 5 + 1 + TAG_BYTES) return fail('too short');
  const version = (bytes[0] as number) & 0x7f;
  if (version !== VERSION) return { error: `this is a version ${version} token; this nat-doctor reads version ${VERSION}: use the same version on both sides` };
  const role: PairRole = ((bytes[0] as number) & ANSWER_FLAG) !== 0 ? 'answer' : 'offer';
  if (role !== options.expect) {
    return { error: role === 'offer' ? 'this is an offer, not an answer: give it to `nat-doctor pair answer` on the other machine' : 'this is an answer, not an offer: paste it into the `pair offer` that is waiting for it' };
  }
  const body = bytes.subarray(0, bytes.length - TAG_BYTES);
  const given = bytes.subarray(bytes.length - TAG_BYTES);
  let at = 5;
  let secret: Buffer;
  if (role === 'offer') {
    if (body.length < at + SECRET_BYTES) return fail('too short');
    secret = Buffer.from(body.subarray(at, at + SECRET_BYTES));
    at += SECRET_BYTES;
  } else {
    if (!options.secret) return { error: 'an answer can only be read with its offer' };
    secret = options.secret;
  }
  const expected = tag(secret, body);
  if (!timingSafeEqual(expected, given)) {
    return role === 'answer' ? { error: 'this answer was not made for this offer (or it was damaged): ask your peer to answer the offer you just sent' } : fail('its check value does not match');
  }
  const expiresAt = body.readUInt32BE(1);
  const now = options.nowSec ?? Math.floor(Date.now() / 1000);
  if (expiresAt < now) {
    return { error: `the token expired ${formatAge(now - expiresAt)} ago: start again with a fresh offer`, expired: true };
  }
  if (body.length < at + UFRAG_BYTES + 5 + 1) return fail('too short');
  const ufrag = body.subarray(at, at + UFRAG_BYTES).toString('hex');
  at += UFRAG_BYTES;
  const summaryBytes = body.subarray(at, at + 5);
  at += 5;
  const count = body[at++] as number;
  if (count > MAX_CANDIDATES) return fail('too many candidates');
  const candidates: PairCandidate[] = [];
  for (let i = 0; i < count; i++) {
    if (at >= body.length) return fail('a candidate is cut off');
    const kindByte = body[at++] as number;
    const ipLength = (kindByte & 0x80) !== 0 ? 16 : 4;
    const kindCode = kindByte & 0x7f;
    if (kindCode > 2) return fail('unknown candidate kind');
    if (at + ipLength + 2 > body.length) return fail('a candidate is cut off');
    const address = formatIpBytes(body.subarray(at, at + ipLength));
    at += ipLength;
    const port = body.readUInt16BE(at);
    at += 2;
    if (!address || isIP(address) === 0 || port === 0) return fail('a candidate address is invalid');
    const candidate: PairCandidate = { kind: kindCode === 0 ? 'host' : kindCode === 1 ? 'srflx' : 'predicted', address, port };
    if (candidate.kind === 'predicted') {
      if (at + 3 > body.length) return fail('a candidate is cut off');
      candidate.step = body.readInt16BE(at);
      candidate.count = body[at + 2] as number;
      at += 3;
    }
    candidates.push(candidate);
  }
  if (at !== body.length) return fail('unexpected bytes at the end');
  const publicAddress = candidates.find((c) => c.kind === 'srflx')?.address ?? null;
  const summary = decodeSummary(summaryBytes, publicAddress);
  if (!summary) return fail('the NAT summary is invalid');
  return { token: { role, expiresAt, secret, ufrag, summary, candidates } };
}

function formatAge(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** The ports a predicted-range candidate stands for, wrapped into 1–65535. */
export function expandCandidate(c: PairCandidate): Array<{ address: string; port: number }> {
  if (c.kind !== 'predicted') return [{ address: c.address, port: c.port }];
  const out: Array<{ address: string; port: number }> = [];
  for (let i = 0; i < (c.count ?? 1); i++) {
    const p = (((c.port - 1 + i * (c.step ?? 1)) % 65535) + 65535) % 65535 + 1;
    out.push({ address: c.address, port: p });
  }
  return out;
}
