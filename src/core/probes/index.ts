// Public surface of the probe engine (src/core/probes). The CLI, diagnose() and the VS Code
// adapters import from here only.
export { probe, probeMany, probeTargetStrings, fastestTurnServer, toProbeResult } from './probe';
export { measureEndpointMtu } from './endpointMtu';
export { parseProbeTarget, formatTarget, defaultTargets, isProbeProtocol, PROBE_PROTOCOLS } from './target';
export { loadProbeConfig } from './probeConfig';
export { IkeRateLimiter, fileRateStore, persistentIkeLimiter, STATE_DIR_ENV, type RateStore } from './ike/ikeRateLimiter';
export { DEFAULT_PROBE_TIMEOUT_MS, DEFAULT_PROBE_PORTS } from './types';
export type { ProbeConfig, ProbeOptions, ProbeOutcome, ProbeTarget, TurnCredentials } from './types';
export { openvpnProbeConfig, loadOvpnConfig, type OpenVpnProbeConfig } from './openvpn/openvpnProbeConfig';
export { wireguardProbeConfig, keysForEndpoint, type WireGuardProbeConfig } from './wireguard/wireguardProbeConfig';
export { WIREGUARD_ENDPOINT_WARNING } from './wireguard/wireguardProbe';
