// OpenVPN static key (the `tls-auth` / `tls-crypt` file) and the key-direction rules that pick
// which quarter of it signs what (OpenVPN crypto.c `key_direction_state_init`, research §B2.3).

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
