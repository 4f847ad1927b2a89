// One parse of a config whose endpoints the probes can try and whose keys they can use (WireGuard,
// OpenVPN). The linter reads the same documents; the "Probe endpoint" CodeLens takes its lens
// positions and the probe's keys from one of these, and `nat-doctor probe --config` reads its file
// into one.
import type { LanguageId } from './languages';
import { lexOpenvpn, type OpenvpnDocument } from './openvpn/lexer';
import { SourceText } from './sourceText';
import { parseWireguard, type WireguardDocument } from './wireguard/parser';

export type ProbeableConfig =
  | { language: 'wireguard'; wireguard: WireguardDocument }
  | { language: 'openvpn'; openvpn: OpenvpnDocument };

/** Undefined for the languages without endpoints to probe (strongSwan, libreswan). */
export function parseProbeableConfig(language: LanguageId, text: string): ProbeableConfig | undefined {
  switch (language) {
    case 'wireguard':
      return { language, wireguard: parseWireguard(new SourceText(text)) };
    case 'openvpn':
      return { language, openvpn: lexOpenvpn(new SourceText(text)) };
    default:
      return undefined;
  }
}
