// `HOST:PORT/PROTOCOL` probe targets (contract: shared/DESIGN.md "CLI").
import { formatHostPort, isParseError, parseHostPort } from './net/endpoint';
import type { ProbeProtocol } from './report/types';

export const PROBE_PROTOCOLS: readonly ProbeProtocol[] = ['wireguard', 'openvpn', 'ike', 'ike-natt', 'tcp', 'tls', 'stun', 'turn'];

export interface ProbeTarget {
  host: string;
  port: number;
  protocol: ProbeProtocol;
}

export function parseProbeTarget(text: string): ProbeTarget | { error: string } {
  const slash = text.lastIndexOf('/');
  if (slash < 0) return { error: `"${text}" is not HOST:PORT/PROTOCOL (for example vpn.example.org:51820/wireguard)` };
  const protocol = text.slice(slash + 1).toLowerCase();
  if (!(PROBE_PROTOCOLS as readonly string[]).includes(protocol)) {
    return { error: `"${text}": unknown protocol "${protocol}" (one of ${PROBE_PROTOCOLS.join(', ')})` };
  }
  const hostPort = parseHostPort(text.slice(0, slash));
  if (isParseError(hostPort)) return hostPort;
  return { host: hostPort.host, port: hostPort.port, protocol: protocol as ProbeProtocol };
}

export function formatProbeTarget(target: ProbeTarget): string {
  return `${formatHostPort(target.host, target.port)}/${target.protocol}`;
}
