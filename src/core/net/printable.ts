/**
 * Text that came from the network (a server's SOFTWARE, an error reason, a certificate's names) is
 * shown to people: without control characters, which could drive a terminal, and bounded.
 */
export function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, max);
}
