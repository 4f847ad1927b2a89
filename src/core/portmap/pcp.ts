// PCP (RFC 6887) ANNOUNCE: proves a PCP server is there without creating any mapping. Its result
// code is itself a diagnosis: ADDRESS_MISMATCH (12) means a NAT sits between us and the PCP server.
import { exchangeWithGateway } from './gatewayUdp';
import { NAT_PMP_PORT } from './natPmp';

export const PCP_RESULTS: Record<number, string> = {
  0: 'success',
  1: 'unsupported version',
  2: 'not authorized',
  3: 'malformed request',
  4: 'unsupported opcode',
  5: 'unsupported option',
  6: 'malformed option',
  7: 'network failure',
  8: 'no resources',
  9: 'unsupported protocol',
  10: 'user exceeded quota',
  11: 'cannot provide external address',
  12: 'address mismatch (another NAT sits between you and the router)',
  13: 'excessive remote peers',
};
export const PCP_ADDRESS_MISMATCH = 12;

export interface PcpResult {
  answered: boolean;
  resultCode?: number;
  /** The server speaks NAT-PMP only (it answered our version 2 with "unsupported version"). */
  natPmpOnly?: boolean;
  error?: string;
}

/** RFC 6887 §7.1 request header, opcode ANNOUNCE (0), lifetime 0, client IP as ::ffff:a.b.c.d. */
export function encodePcpAnnounce(clientIp: string): Buffer {
  const packet = Buffer.alloc(24);
  packet[0] = 2;
  packet[1] = 0;
  packet.writeUInt16BE(0xffff, 18);
  const octets = clientIp.split('.').map(Number);
  for (let i = 0; i < 4; i++) packet[20 + i] = octets[i] ?? 0;
  return packet;
}

/** A PCP ANNOUNCE response (24 B, R bit set), or a NAT-PMP "unsupported version" (8 B, RFC 6886 §3.5). */
export function parsePcpReply(reply: Buffer): PcpResult | null {
  if (reply.length === 8 && reply[0] === 0 && reply.readUInt16BE(2) === 1) {
    return { answered: true, natPmpOnly: true, resultCode: 1, error: 'the router speaks NAT-PMP only' };
  }
  if (reply.length < 24 || reply.length % 4 !== 0 || reply[0] !== 2 || reply[1] !== 0x80) return null;
  const resultCode = reply[3] as number;
  return resultCode === 0
    ? { answered: true, resultCode }
    : { answered: true, resultCode, error: `result ${resultCode}: ${PCP_RESULTS[resultCode] ?? 'unknown'}` };
}

export async function probePcp(gateway: string, clientIp: string, windowMs: number, signal: AbortSignal): Promise<PcpResult> {
  const exchange = await exchangeWithGateway(gateway, NAT_PMP_PORT, encodePcpAnnounce(clientIp), (r) => parsePcpReply(r) !== null, windowMs, signal);
  if (!exchange.reply) {
    return { answered: false, error: exchange.refused ? 'no PCP service on the gateway (port closed)' : exchange.error ?? 'no answer from the gateway' };
  }
  return parsePcpReply(exchange.reply) as PcpResult;
}
