// A real public key share for the KE payload. The probe never completes the exchange, but a
// well-formed share keeps strict responders from answering INVALID_SYNTAX instead of telling us
// about proposals (RFC 7296 §3.4: the KE data is the sender's public value).
import { createECDH, generateKeyPairSync, getDiffieHellman } from 'node:crypto';

/** Groups we can make a share for, with the RFC 5903 / RFC 3526 encodings. */
const ECP_CURVES: Record<number, string> = { 19: 'prime256v1', 20: 'secp384r1', 21: 'secp521r1' };
const MODP_GROUPS: Record<number, string> = { 2: 'modp2', 14: 'modp14', 15: 'modp15', 16: 'modp16' };

export function supportsDhGroup(group: number): boolean {
  return group === 31 || group in ECP_CURVES || group in MODP_GROUPS;
}

/** The KE payload's key data for `group`, or undefined for a group we do not implement. */
export function makeKeyShare(group: number): Buffer | undefined {
  const curve = ECP_CURVES[group];
  if (curve) {
    // RFC 5903 §7: x ‖ y without the 0x04 uncompressed-point prefix.
    const ecdh = createECDH(curve);
    return ecdh.generateKeys().subarray(1);
  }
  if (group === 31) {
    // RFC 8031 §3: the 32-byte X25519 public value. SPKI DER ends with it.
    const { publicKey } = generateKeyPairSync('x25519');
    return publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  }
  const modp = MODP_GROUPS[group];
  if (modp) {
    // RFC 7296 §3.4: g^x mod p, left-padded to the length of the prime.
    const dh = getDiffieHellman(modp);
    const pub = dh.generateKeys();
    const len = dh.getPrime().length;
    return pub.length >= len ? pub : Buffer.concat([Buffer.alloc(len - pub.length), pub]);
  }
  return undefined;
}
