// WireGuard key text, as wireguard-tools src/encoding.c key_from_base64 accepts it: exactly 44
// characters ending in "=", standard base64 alphabet, decoding to 32 bytes. The last group is
// decoded with a padding "A" and must leave the low byte zero, so the 43rd character carries only
// 4 bits and must be one of "AEIMQUYcgkosw048".
//
// The one reader of WireGuard keys: the linter judges them with these functions and the probe
// decodes them with `decodeKey`. None of the messages echoes the key: messages must never contain
// key material.

const KEY_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export function isValidKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** The 32 bytes of a key wg accepts, else undefined (the bytes are secret for a private key). */
export function decodeKey(value: string): Buffer | undefined {
  if (!isValidKey(value)) return undefined;
  const raw = Buffer.from(value, 'base64');
  return raw.length === 32 ? raw : undefined;
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
