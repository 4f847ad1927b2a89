// Messages may quote what the user wrote (a port, an address, a key name) but never a secret. What
// is secret is decided by position, where the tools read keys: the values of key-bearing fields
// (WireGuard PrivateKey/PresharedKey, OpenVPN inline key blocks) never reach a message, because
// the rules never pass them here. Ordinary words are quoted as they are, whatever they look like
// ("PersistentKeepAlive", a peer named "DontLetTheFeelingFade"). One shape stays hidden wherever it
// appears: a complete WireGuard key (43 base64 characters, with or without its "=") pasted into a field that
// does not expect one, such as Endpoint.

/**
 * The text form of a 32-byte key (wireguard-tools encoding.c key_from_base64), padding optional,
 * not part of a longer base64 run: 43 such characters never make an ordinary word.
 */
const WIREGUARD_KEY_SHAPE = /(^|[^A-Za-z0-9+/])[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048](=|[^A-Za-z0-9+/=]|$)/;

const LONGEST_QUOTE = 48;

/** True when the text holds a whole WireGuard key (so no part of it may be quoted either). */
export function holdsWireguardKey(text: string): boolean {
  return WIREGUARD_KEY_SHAPE.test(text);
}

/**
 * A user value for a message: in double quotes, or in single quotes when it holds double quotes
 * itself (so `"10.0.0.1"` reads '"10.0.0.1"', not ""10.0.0.1""), shortened past 48 characters.
 */
export function quote(value: string): string {
  if (WIREGUARD_KEY_SHAPE.test(value)) return '(a value shaped like a WireGuard key, not shown)';
  const text = value.length > LONGEST_QUOTE ? `${value.slice(0, LONGEST_QUOTE)}…` : value;
  return text.includes('"') ? `'${text}'` : `"${text}"`;
}

/** The same value without surrounding quotes, for text that supplies its own. */
export function bare(value: string): string {
  if (WIREGUARD_KEY_SHAPE.test(value)) return '(a value shaped like a WireGuard key, not shown)';
  return value.length > LONGEST_QUOTE ? `${value.slice(0, LONGEST_QUOTE)}…` : value;
}
