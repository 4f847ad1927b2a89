// The keys of a wg-quick / `wg setconf` file that a handshake probe needs: Interface PrivateKey and
// the Peer's PublicKey, PresharedKey and Endpoint (wireguard-tools src/config.c: `Key = Value`
// lines, `#` comments, case-insensitive keys; research §A1.1). Problems come back as words that
// never quote key material.
import type { WireGuardKeys } from './noiseHandshake';

export interface WireGuardPeerConfig {
  publicKey: Buffer;
  presharedKey?: Buffer;
  /** `host:port` as written. */
  endpoint?: string;
}

export interface WireGuardProbeConfig {
  privateKey?: Buffer;
  peers: WireGuardPeerConfig[];
  notes: string[];
}

/** A WireGuard key: 44 base64 characters ending in "=" that decode to 32 bytes (encoding.c). */
export function decodeWireGuardKey(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/.test(value)) return undefined;
  const raw = Buffer.from(value, 'base64');
  return raw.length === 32 ? raw : undefined;
}

export function parseWgQuickConfig(text: string): WireGuardProbeConfig {
  const config: WireGuardProbeConfig = { peers: [], notes: [] };
  let section: 'interface' | 'peer' | undefined;
  let peer: Partial<WireGuardPeerConfig> | undefined;
  const finishPeer = (): void => {
    if (!peer) return;
    if (peer.publicKey) config.peers.push(peer as WireGuardPeerConfig);
    else config.notes.push('a [Peer] section has no valid PublicKey and was ignored');
    peer = undefined;
  };
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const line = (rawLine.split('#')[0] ?? '').trim();
    if (line === '') return;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header?.[1]) {
      finishPeer();
      const name = header[1].toLowerCase();
      section = name === 'interface' ? 'interface' : name === 'peer' ? 'peer' : undefined;
      if (section === 'peer') peer = {};
      return;
    }
    const eq = line.indexOf('=');
    if (eq < 0) return;
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    const where = `line ${i + 1}`;
    if (section === 'interface' && key === 'privatekey') {
      const k = decodeWireGuardKey(value);
      if (k) config.privateKey = k;
      else config.notes.push(`${where}: PrivateKey is not a valid WireGuard key`);
    } else if (section === 'peer' && peer) {
      if (key === 'publickey') {
        const k = decodeWireGuardKey(value);
        if (k) peer.publicKey = k;
        else config.notes.push(`${where}: PublicKey is not a valid WireGuard key`);
      } else if (key === 'presharedkey') {
        const k = decodeWireGuardKey(value);
        if (k) peer.presharedKey = k;
        else config.notes.push(`${where}: PresharedKey is not a valid WireGuard key`);
      } else if (key === 'endpoint') {
        peer.endpoint = value;
      }
    }
  });
  finishPeer();
  return config;
}

/** Picks the peer for an endpoint (by `host:port`), else the only peer; builds the handshake keys. */
export function keysForEndpoint(config: WireGuardProbeConfig, host: string, port: number): { keys: WireGuardKeys; notes: string[] } | { error: string } {
  if (!config.privateKey) return { error: 'the config has no valid [Interface] PrivateKey' };
  if (config.peers.length === 0) return { error: 'the config has no [Peer] with a valid PublicKey' };
  const wanted = `${host}:${port}`.toLowerCase();
  const byEndpoint = config.peers.find((p) => p.endpoint?.toLowerCase().replace(/^\[(.*)\](:\d+)$/, '$1$2') === wanted);
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
