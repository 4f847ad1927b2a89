// IP address literals ↔ bytes, the one place the engine converts them. Parsing is as strict as
// glibc inet_pton(3), which `wg` (config.c parse_ip) and `ip address add` use: dotted quads
// without leading zeros, RFC 4291 §2.2 text for IPv6, no zone id. Formatting is RFC 5952's
// canonical text, so every face prints one address one way.

/** The 4 bytes of a strict dotted-quad IPv4 address, or undefined. */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    // inet_pton4 rejects a leading zero ("01") and more than three digits.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

/** The 16 bytes of an IPv6 address in RFC 4291 §2.2 text form (no zone id), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const double = text.indexOf('::');
  if (double >= 0 && text.indexOf('::', double + 1) >= 0) return undefined;
  const parseGroups = (s: string, allowV4Tail: boolean): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (allowV4Tail && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return undefined;
        out.push((v4[0] as number) * 256 + (v4[1] as number), (v4[2] as number) * 256 + (v4[3] as number));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let words: number[];
  if (double >= 0) {
    const head = parseGroups(text.slice(0, double), false);
    const tail = parseGroups(text.slice(double + 2), true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (!all || all.length !== 8) return undefined;
    words = all;
  }
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** The 4 or 16 bytes of an IP literal (a `%zone` suffix is dropped), or undefined. */
export function ipToBytes(text: string): Buffer | undefined {
  const bare = text.includes(':') ? (text.split('%')[0] as string) : text;
  const bytes = bare.includes(':') ? parseIpv6(bare) : parseIpv4(bare);
  return bytes ? Buffer.from(bytes) : undefined;
}

/**
 * RFC 5952 text for 4 or 16 address bytes: lower-case hex without leading zeros, the longest run of
 * two or more zero groups (the first on a tie) as "::" (§4.2), and IPv4-mapped addresses in mixed
 * notation, `::ffff:192.0.2.1` (§5).
 */
export function formatIpBytes(bytes: Uint8Array | readonly number[]): string {
  const b = Array.from(bytes);
  if (b.length === 4) return b.join('.');
  if (b.length !== 16) throw new RangeError('an IP address has 4 or 16 bytes');
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return `::ffff:${b.slice(12).join('.')}`;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i] as number) * 256 + (b[i + 1] as number));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
