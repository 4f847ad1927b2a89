// NAT-PMP (RFC 6886) external-address request: two bytes to the gateway's port 5351. A router that
// answers result 3 (network failure) has no public address to report — what miniupnpd says when its
// own WAN side is behind another NAT.
import { exchangeWithGateway } from './gatewayUdp';

export const NAT_PMP_PORT = 5351;

export const NAT_PMP_RESULTS: Record<number, string> = {
  0: 'success',
  1: 'unsupported version',
  2: 'not authorized or refused',
  3: 'network failure (the router has no public address)',
  4: 'out of resources',
  5: 'unsupported opcode',
};

export interface NatPmpResult {
  answered: boolean;
  resultCode?: number;
  externalAddress?: string;
  error?: string;
  /** ICMP port unreachable: nothing listens on port 5351 (neither NAT-PMP nor PCP). */
  refused?: boolean;
}

/** RFC 6886 §3.2: `00 80 result(2) epoch(4) address(4)`; anything else is not an answer. */
export function parseNatPmpExternalAddress(reply: Buffer): { resultCode: number; externalAddress: string } | null {
  if (reply.length !== 12 || reply[0] !== 0 || reply[1] !== 0x80) return null;
  const resultCode = reply.readUInt16BE(2);
  return { resultCode, externalAddress: Array.from(reply.subarray(8, 12)).join('.') };
}

export async function probeNatPmp(gateway: string, windowMs: number, signal: AbortSignal): Promise<NatPmpResult> {
  const exchange = await exchangeWithGateway(gateway, NAT_PMP_PORT, Buffer.from([0, 0]), (r) => parseNatPmpExternalAddress(r) !== null, windowMs, signal);
  if (!exchange.reply) {
    return {
      answered: false,
      ...(exchange.refused ? { refused: true } : {}),
      error: exchange.refused ? 'no NAT-PMP service on the gateway (port closed)' : exchange.error ?? 'no answer from the gateway',
    };
  }
  const parsed = parseNatPmpExternalAddress(exchange.reply) as NonNullable<ReturnType<typeof parseNatPmpExternalAddress>>;
  if (parsed.resultCode !== 0) {
    return { answered: true, resultCode: parsed.resultCode, error: `result ${parsed.resultCode}: ${NAT_PMP_RESULTS[parsed.resultCode] ?? 'unknown'}` };
  }
  return { answered: true, resultCode: 0, externalAddress: parsed.externalAddress };
}
