// STUN credential keys (RFC 8489 §9). Keys are secrets: they stay with the caller that derived
// them and never reach a message, a log line or a report.
import { createHash } from 'node:crypto';

/**
 * Long-term credential key (RFC 8489 §9.2.2): MD5 or SHA-256 of `username ":" realm ":" password`.
 * Strings are taken as UTF-8 after NFC. RFC 8489 asks for the OpaqueString profile (RFC 8265) and
 * RFC 5389 for SASLprep; coturn and most servers hash the bytes as configured, which is what this
 * does for every ASCII password.
 */
export function longTermKey(username: string, realm: string, password: string, algorithm: 'md5' | 'sha256' = 'md5'): Buffer {
  return createHash(algorithm).update(`${username}:${realm}:${password}`.normalize('NFC'), 'utf8').digest();
}

/** Short-term credential key (RFC 8489 §9.1): the password itself. */
export function shortTermKey(password: string): Buffer {
  return Buffer.from(password.normalize('NFC'), 'utf8');
}
