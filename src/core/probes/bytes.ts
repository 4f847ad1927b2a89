// Bounds-checked reads for response parsers. Every parser in src/core/probes takes bytes from the
// network, i.e. from anyone: a read past the end must become "drop this packet", never an exception
// that escapes into the report.

/** Big-endian 16-bit read, or undefined past the end. */
export function u16(buf: Uint8Array, offset: number): number | undefined {
  if (offset < 0 || offset + 2 > buf.length) return undefined;
  return ((buf[offset] as number) << 8) | (buf[offset + 1] as number);
}

/** Big-endian 32-bit read (unsigned), or undefined past the end. */
export function u32(buf: Uint8Array, offset: number): number | undefined {
  if (offset < 0 || offset + 4 > buf.length) return undefined;
  return (
    (((buf[offset] as number) << 24) >>> 0) +
    (((buf[offset + 1] as number) << 16) | ((buf[offset + 2] as number) << 8) | (buf[offset + 3] as number))
  );
}

/** A copy of `length` bytes at `offset`, or undefined when they are not all there. */
export function slice(buf: Uint8Array, offset: number, length: number): Buffer | undefined {
  if (offset < 0 || length < 0 || offset + length > buf.length) return undefined;
  return Buffer.from(buf.subarray(offset, offset + length));
}

/** Constant-time comparison for MACs and hashes (lengths are public). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
