// The probe's view of a config given as text: the one parser's document, read the way the probe
// reads it (what `nat-doctor probe --config` and the "Probe endpoint" CodeLens do).
import { lexOpenvpn } from '../../../src/core/config/openvpn/lexer';
import { SourceText } from '../../../src/core/config/sourceText';
import { parseWireguard } from '../../../src/core/config/wireguard/parser';
import { openvpnProbeConfig, type OpenVpnProbeConfig } from '../../../src/core/probes/openvpn/openvpnProbeConfig';
import { wireguardProbeConfig, type WireGuardProbeConfig } from '../../../src/core/probes/wireguard/wireguardProbeConfig';

export function wireguardFromText(text: string): WireGuardProbeConfig {
  return wireguardProbeConfig(parseWireguard(new SourceText(text)));
}

export function openvpnFromText(text: string, readKeyFile?: (path: string) => Promise<string>): Promise<OpenVpnProbeConfig> {
  return openvpnProbeConfig(lexOpenvpn(new SourceText(text)), readKeyFile);
}
