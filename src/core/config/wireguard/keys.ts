// WireGuard key text, as wireguard-tools src/encoding.c key_from_base64 accepts it: exactly 44
// characters ending in "=", standard base64 alphabet, decoding to 32 bytes. The last group is
// decoded with a padding "A" and must leave the low byte zero, so the 43rd character carries only
// 4 bits and must be one of "AEIMQUYcgkosw048".
//
// None of these functions returns or echoes the key: messages must never contain key material.

const KEY_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export function isValidKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** Why a key is rejected, in words that never quote the key. Undefined when it is valid. */
export function keyProblem(value: string): string | undefined {
  if (isValidKey(value)) return undefined;
  if (value.length !== 44) {
    return `is ${value.length} characters long; a WireGuard key is 44 base64 characters ending in "="`;
  }
  if (!value.endsWith('=')) return 'does not end in "=" (a WireGuard key is 44 base64 characters ending in "=")';
  if (!/^[A-Za-z0-9+/]{43}=$/.test(value)) {
    return 'contains characters outside the base64 alphabet (A–Z, a–z, 0–9, +, /)';
  }
  return 'does not decode to exactly 32 bytes (its 43rd character must be one of AEIMQUYcgkosw048); was it copied incompletely?';
}

/** An all-zero key parses, but as a private key it means "no key" (wg(8) `wg set … private-key`). */
export function isZeroKey(value: string): boolean {
  return value === 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
}
