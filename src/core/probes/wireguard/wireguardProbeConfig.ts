// The probe's view of a WireGuard config: the [Interface] PrivateKey and each [Peer]'s PublicKey,
// PresharedKey and Endpoint that a handshake needs. It reads the document of the one WireGuard
// parser (src/core/config/wireguard/parser.ts, wg's own rules: `#` comments, whitespace removed,
// case-insensitive keys), the same document the linter checks, and decodes keys with the one key
// reader. Problems come back as words that never quote key material.
import { endpointHostPort } from '../../config/wireguard/endpoint';
import { decodeKey } from '../../config/wireguard/keys';
import type { WireguardDocument } from '../../config/wireguard/parser';
import type { WireGuardKeys } from './noiseHandshake';

export interface WireGuardPeerConfig {
  publicKey: Buffer;
  presharedKey?: Buffer;
  /** `host:port` as wg reads it (whitespace removed). */
  endpoint?: string;
}

export interface WireGuardProbeConfig {
  privateKey?: Buffer;
  peers: WireGuardPeerConfig[];
  notes: string[];
}

/** The keys and endpoints of a parsed config; a later value of a key wins, as in wg. */
export function wireguardProbeConfig(doc: WireguardDocument): WireGuardProbeConfig {
  const config: WireGuardProbeConfig = { peers: [], notes: [] };
  const readKey = (value: string, what: string, line: number): Buffer | undefined => {
    const key = decodeKey(value);
    if (!key) config.notes.push(`line ${line}: ${what} is not a valid WireGuard key`);
    return key;
  };
  for (const section of doc.sections) {
    const peer: Partial<WireGuardPeerConfig> = {};
    for (const e of section.entries) {
      const name = e.key.toLowerCase();
      if (section.kind === 'Interface') {
        if (name !== 'privatekey') continue;
        const key = readKey(e.value, 'PrivateKey', e.line.number);
        if (key) config.privateKey = key;
      } else if (name === 'publickey') {
        const key = readKey(e.value, 'PublicKey', e.line.number);
        if (key) peer.publicKey = key;
      } else if (name === 'presharedkey') {
        const key = readKey(e.value, 'PresharedKey', e.line.number);
        if (key) peer.presharedKey = key;
      } else if (name === 'endpoint') {
        peer.endpoint = e.value;
      }
    }
    if (section.kind !== 'Peer') continue;
    if (peer.publicKey) config.peers.push(peer as WireGuardPeerConfig);
    else config.notes.push('a [Peer] section has no valid PublicKey and was ignored');
  }
  return config;
}

/** Picks the peer for an endpoint (by `host:port`), else the only peer; builds the handshake keys. */
export function keysForEndpoint(config: WireGuardProbeConfig, host: string, port: number): { keys: WireGuardKeys; notes: string[] } | { error: string } {
  if (!config.privateKey) return { error: 'the config has no valid [Interface] PrivateKey' };
  if (config.peers.length === 0) return { error: 'the config has no [Peer] with a valid PublicKey' };
  const byEndpoint = config.peers.find((p) => {
    const at = p.endpoint === undefined ? undefined : endpointHostPort(p.endpoint);
    return at !== undefined && at.port === port && at.host.toLowerCase() === host.toLowerCase();
  });
  const notes: string[] = [];
  let peer = byEndpoint;
  if (!peer) {
    peer = config.peers[0] as WireGuardPeerConfig;
    if (config.peers.length > 1) notes.push(`no [Peer] has Endpoint ${host}:${port}; using the first peer`);
  }
  const keys: WireGuardKeys = { privateKey: config.privateKey, peerPublicKey: peer.publicKey };
  if (peer.presharedKey) keys.presharedKey = peer.presharedKey;
  return { keys, notes };
}
