// Loads the user's WireGuard or OpenVPN file for an authenticated probe. The kind is decided by
// content ([Interface]/[Peer] sections vs OpenVPN directives), not by the file name.
import { readFile } from 'node:fs/promises';
import { loadOvpnConfig } from './openvpn/ovpnConfig';
import type { ProbeConfig } from './types';
import { parseWgQuickConfig } from './wireguard/wgQuickConfig';

export function looksLikeWireGuard(text: string): boolean {
  return /^\s*\[(Interface|Peer)\]\s*$/im.test(text);
}

/** Reads `path`; the error is a sentence without file contents (the file holds secrets). */
export async function loadProbeConfig(path: string): Promise<{ config: ProbeConfig; kind: 'wireguard' | 'openvpn' } | { error: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { error: `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (looksLikeWireGuard(text)) return { config: { wireguard: parseWgQuickConfig(text) }, kind: 'wireguard' };
  const openvpn = await loadOvpnConfig(path, async (p) => (p === path ? text : readFile(p, 'utf8')));
  return { config: { openvpn }, kind: 'openvpn' };
}
