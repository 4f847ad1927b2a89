// Messages may quote what the user wrote (a port, an address) but never anything that could be
// key material: a pasted private key in the wrong place must not end up in a log or a hover.

/** 16 or more base64 characters in a row: host names and addresses break such runs with "." or ":". */
const KEYLIKE = /[A-Za-z0-9+/=]{16,}/;

/** The value in quotes, or a neutral phrase when it could be key material. */
export function quoteValue(value: string): string {
  if (KEYLIKE.test(value)) return '(a value that looks like key material, not shown)';
  return `"${value.length > 48 ? `${value.slice(0, 48)}…` : value}"`;
}
