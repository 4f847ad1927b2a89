// OpenVPN static key (the `tls-auth` / `tls-crypt` file) and the key-direction rules that pick
// which quarter of it signs what (OpenVPN crypto.c `key_direction_state_init`).

/** 256 bytes = two `struct key { cipher[64]; hmac[64]; }` (crypto.h). */
export const STATIC_KEY_LENGTH = 256;

const BEGIN = '-----BEGIN OpenVPN Static key V1-----';
const END = '-----END OpenVPN Static key V1-----';

/**
 * Parses the PEM-like static key text. Returns an error *message* rather than throwing, and the
 * message never quotes the key material (it may end up in a report).
 */
export function parseStaticKey(text: string): { key: Buffer } | { error: string } {
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) return { error: 'not an OpenVPN static key (no "BEGIN OpenVPN Static key V1" block)' };
  const body = text
    .slice(begin + BEGIN.length, end)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .join('');
  if (!/^[0-9a-fA-F]*$/.test(body)) return { error: 'the static key contains characters that are not hex digits' };
  if (body.length !== STATIC_KEY_LENGTH * 2) {
    return { error: `the static key has ${body.length / 2} bytes; OpenVPN expects ${STATIC_KEY_LENGTH}` };
  }
  return { key: Buffer.from(body, 'hex') };
}

/** `key-direction` / the tls-auth direction argument: 0 (normal), 1 (inverse) or none (bidirectional). */
export type KeyDirection = 0 | 1 | 'none';

export interface DirectionalKeys {
  /** HMAC key for packets we send, full 64 bytes (truncate to the digest length). */
  sendHmac: Buffer;
  /** HMAC key for packets we receive. */
  receiveHmac: Buffer;
  sendCipher: Buffer;
  receiveCipher: Buffer;
}

function cipher(key: Buffer, index: 0 | 1): Buffer {
  return key.subarray(index * 128, index * 128 + 64);
}
function hmac(key: Buffer, index: 0 | 1): Buffer {
  return key.subarray(index * 128 + 64, index * 128 + 128);
}

/**
 * crypto.c `key_direction_state_init`: direction 0 sends with keys[0] and receives with keys[1];
 * direction 1 the reverse; no direction uses keys[0] both ways.
 */
export function directionalKeys(key: Buffer, direction: KeyDirection): DirectionalKeys {
  const send: 0 | 1 = direction === 1 ? 1 : 0;
  const receive: 0 | 1 = direction === 0 ? 1 : 0;
  return {
    sendHmac: hmac(key, send),
    receiveHmac: hmac(key, receive),
    sendCipher: cipher(key, send),
    receiveCipher: cipher(key, receive),
  };
}

const V2_BEGIN = '-----BEGIN OpenVPN tls-crypt-v2 client key-----';
const V2_END = '-----END OpenVPN tls-crypt-v2 client key-----';
/** WKc = tag(32) ‖ AES-256-CTR(Kc ‖ metadata) ‖ BE16 length of the whole WKc (tls_crypt.c). */
const WKC_TAG_LENGTH = 32;

/**
 * A tls-crypt-v2 client key (tls_crypt.c `tls_crypt_v2_write_client_key_file`): base64 of
 * Kc (256 bytes, used like a tls-crypt key) followed by WKc, the server-wrapped copy of Kc the
 * client appends to its first packet. The error never quotes key material.
 */
export function parseTlsCryptV2ClientKey(text: string): { key: Buffer; wkc: Buffer } | { error: string } {
  const begin = text.indexOf(V2_BEGIN);
  const end = text.indexOf(V2_END);
  if (begin < 0 || end < begin) return { error: 'not an OpenVPN tls-crypt-v2 client key (no "BEGIN OpenVPN tls-crypt-v2 client key" block)' };
  const body = text.slice(begin + V2_BEGIN.length, end).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return { error: 'the tls-crypt-v2 client key is not valid base64' };
  const raw = Buffer.from(body, 'base64');
  const wkc = raw.subarray(STATIC_KEY_LENGTH);
  const declared = wkc.length >= 2 ? wkc.readUInt16BE(wkc.length - 2) : -1;
  if (raw.length <= STATIC_KEY_LENGTH + WKC_TAG_LENGTH + 2 || declared !== wkc.length) {
    return { error: `the tls-crypt-v2 client key has ${raw.length} bytes, not Kc (256) followed by a wrapped key` };
  }
  return { key: Buffer.from(raw.subarray(0, STATIC_KEY_LENGTH)), wkc: Buffer.from(wkc) };
}
