// Inputs and outputs of the probe engine. The result is the Report's ProbeResult (docs/report-schema.md
// `probes[]`), plus fields that stay inside the engine (warnings, the allocated TURN relay).
import type { ProbeProtocol, ProbeResult } from '../report/types';
import type { OpenVpnProbeConfig } from './openvpn/openvpnProbeConfig';
import type { WireGuardProbeConfig } from './wireguard/wireguardProbeConfig';
import type { IkeRateLimiter } from './ike/ikeRateLimiter';

export interface ProbeTarget {
  /** A host name or an IP literal (IPv6 without brackets). */
  host: string;
  port: number;
  protocol: ProbeProtocol;
}

/** Keys from the user's own config that make an authenticated probe possible. Secrets: never reported. */
export interface ProbeConfig {
  wireguard?: WireGuardProbeConfig;
  openvpn?: OpenVpnProbeConfig;
}

/** TURN long-term credentials. The password never appears in results, errors or logs. */
export interface TurnCredentials {
  user: string;
  password: string;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  /**
   * How long to wait for the first sign of life (default DEFAULT_PROBE_TIMEOUT_MS). Follow-up
   * exchanges after an answer (IKE cookie/KE retry, TURN authentication, TLS handshake) get the same
   * budget again: the service is known to be there.
   */
  timeoutMs?: number;
  config?: ProbeConfig;
  turnCredentials?: TurnCredentials;
  /** Our public address from STUN, when known: lets the IKE probe recover the NAT's mapped port. */
  publicAddress?: string;
  /** Progress lines for a UI (the CLI prints them to stderr). */
  onProgress?: (message: string) => void;
  /** Shared politeness budget for IKE responders (default: one per process). */
  ikeLimiter?: IkeRateLimiter;
}

/** A ProbeResult; `warnings` is extra (consumers ignore what they do not know). */
export interface ProbeOutcome extends ProbeResult {
  warnings?: string[];
  /** TURN: the relayed address that was allocated (and released again). */
  relayed?: { address: string; port: number };
}

/**
 * Enough for a far server's first answer (RTT up to ~700 ms) and two retransmissions (sent at 200
 * and 500 ms, net/retransmission.ts probeSchedule), and short enough that the whole default set,
 * probed in parallel, ends within 1 s even when every port is silent.
 */
export const DEFAULT_PROBE_TIMEOUT_MS = 800;

/** The default set for a host the user names: the usual IKE, NAT-T, OpenVPN, WireGuard and HTTPS ports, probed in parallel. */
export const DEFAULT_PROBE_PORTS: ReadonlyArray<{ port: number; protocol: ProbeProtocol }> = [
  { port: 500, protocol: 'ike' },
  { port: 4500, protocol: 'ike-natt' },
  { port: 1194, protocol: 'openvpn' },
  { port: 51820, protocol: 'wireguard' },
  { port: 443, protocol: 'tls' },
];
