// Loads the user's WireGuard or OpenVPN file for an authenticated probe (`--config`). Which of the
// two it is comes from the one content sniffer (src/core/config/languageDetection.ts), else from
// the file name; the keys come from the same parsers the linter uses.
import { readFile } from 'node:fs/promises';
import { languageFromFileName, sniffContent } from '../config/languageDetection';
import { SourceText } from '../config/sourceText';
import { parseWireguard } from '../config/wireguard/parser';
import { loadOvpnConfig } from './openvpn/openvpnProbeConfig';
import type { ProbeConfig } from './types';
import { wireguardProbeConfig } from './wireguard/wireguardProbeConfig';

/** Reads `path`; the error is a sentence without file contents (the file holds secrets). */
export async function loadProbeConfig(path: string): Promise<{ config: ProbeConfig; kind: 'wireguard' | 'openvpn' } | { error: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { error: `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  // A wg-quick file may have any name, so its content decides first; anything not WireGuard is
  // read as OpenVPN, whose probe says what it could not use.
  if ((sniffContent(text) ?? languageFromFileName(path)) === 'wireguard') {
    return { config: { wireguard: wireguardProbeConfig(parseWireguard(new SourceText(text))) }, kind: 'wireguard' };
  }
  const openvpn = await loadOvpnConfig(path, async (p) => (p === path ? text : readFile(p, 'utf8')));
  return { config: { openvpn }, kind: 'openvpn' };
}
