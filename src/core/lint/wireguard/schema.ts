// Every key a WireGuard config may hold: those of `wg` itself (wireguard-tools src/config.c
// process_line) and those wg-quick consumes before handing the rest to `wg addconf`
// (src/wg-quick/linux.bash parse_options). Docs are in our own words, from wg(8) and wg-quick(8).
import { WIREGUARD_KEEPALIVE_DEFAULT_SEC } from '../../advice/tunnelAdvice';

import type { WireguardSection } from '../../config/wireguard/parser';

export type { WireguardSection };

export interface WireguardKeySpec {
  /** Canonical spelling (keys are case-insensitive). */
  name: string;
  section: WireguardSection;
  /** `wg` parses it; `wg-quick` consumes it (only in [Interface]). */
  tool: 'wg' | 'wg-quick';
  /** Later lines add to earlier ones instead of replacing them. */
  accumulates: boolean;
  summary: string;
  valueHint: string;
  defaultText?: string;
  manSection: string;
  snippet: string;
  /** True for secrets whose values must never be shown. */
  secret?: boolean;
}

export const WIREGUARD_KEYS: readonly WireguardKeySpec[] = [
  {
    name: 'PrivateKey', section: 'Interface', tool: 'wg', accumulates: false, secret: true,
    summary: 'This interface\'s private key, as printed by `wg genkey`. Keep it out of shared files.',
    valueHint: '44 base64 characters', manSection: 'wg(8) CONFIGURATION FILE FORMAT', snippet: 'PrivateKey = ${1}',
  },
  {
    name: 'ListenPort', section: 'Interface', tool: 'wg', accumulates: false,
    summary: 'UDP port to listen on. Servers set it so peers can reach them; clients usually leave it out.',
    valueHint: '0–65535', defaultText: 'a random port', manSection: 'wg(8) CONFIGURATION FILE FORMAT', snippet: 'ListenPort = ${1:51820}',
  },
  {
    name: 'FwMark', section: 'Interface', tool: 'wg', accumulates: false,
    summary: 'Firewall mark set on outgoing WireGuard packets, so routing rules can keep them off the tunnel.',
    valueHint: '0–0xffffffff, or off', defaultText: 'off', manSection: 'wg(8) CONFIGURATION FILE FORMAT', snippet: 'FwMark = ${1:off}',
  },
  {
    name: 'Address', section: 'Interface', tool: 'wg-quick', accumulates: true,
    summary: 'Addresses (with prefix length) that wg-quick assigns to the interface.',
    valueHint: 'comma-separated IP/prefix list', manSection: 'wg-quick(8) CONFIGURATION', snippet: 'Address = ${1:10.0.0.2/32}',
  },
  {
    name: 'DNS', section: 'Interface', tool: 'wg-quick', accumulates: true,
    summary: 'DNS servers (IP addresses) and search domains (anything else) set through resolvconf while the tunnel is up.',
    valueHint: 'comma-separated IPs or domains', manSection: 'wg-quick(8) CONFIGURATION', snippet: 'DNS = ${1:192.0.2.53}',
  },
  {
    name: 'MTU', section: 'Interface', tool: 'wg-quick', accumulates: false,
    summary: 'Interface MTU. When unset wg-quick takes the MTU of the route to the endpoints minus 80 (1420 on a 1500 link).',
    valueHint: 'integer', defaultText: 'automatic (usually 1420)', manSection: 'wg-quick(8) CONFIGURATION', snippet: 'MTU = ${1:1420}',
  },
  {
    name: 'Table', section: 'Interface', tool: 'wg-quick', accumulates: false,
    summary: 'Routing table for the AllowedIPs routes: "off" adds none, "auto" uses the main table (and a policy-routing table for a default route).',
    valueHint: 'off, auto, a table number or name', defaultText: 'auto', manSection: 'wg-quick(8) CONFIGURATION', snippet: 'Table = ${1|auto,off|}',
  },
  {
    name: 'PreUp', section: 'Interface', tool: 'wg-quick', accumulates: true,
    summary: 'Shell command run by bash before the interface is created; %i is the interface name. A "#" in the command is kept.',
    valueHint: 'bash command', manSection: 'wg-quick(8) CONFIGURATION', snippet: 'PreUp = ${1}',
  },
  {
    name: 'PostUp', section: 'Interface', tool: 'wg-quick', accumulates: true,
    summary: 'Shell command run after the interface is up; %i is the interface name.',
    valueHint: 'bash command', manSection: 'wg-quick(8) CONFIGURATION', snippet: 'PostUp = ${1}',
  },
  {
    name: 'PreDown', section: 'Interface', tool: 'wg-quick', accumulates: true,
    summary: 'Shell command run before the interface is removed; %i is the interface name.',
    valueHint: 'bash command', manSection: 'wg-quick(8) CONFIGURATION', snippet: 'PreDown = ${1}',
  },
  {
    name: 'PostDown', section: 'Interface', tool: 'wg-quick', accumulates: true,
    summary: 'Shell command run after the interface is removed; %i is the interface name.',
    valueHint: 'bash command', manSection: 'wg-quick(8) CONFIGURATION', snippet: 'PostDown = ${1}',
  },
  {
    name: 'SaveConfig', section: 'Interface', tool: 'wg-quick', accumulates: false,
    summary: 'When true, wg-quick writes the live configuration back to this file on shutdown, overwriting your edits.',
    valueHint: 'true or false', defaultText: 'false', manSection: 'wg-quick(8) CONFIGURATION', snippet: 'SaveConfig = ${1|false,true|}',
  },
  {
    name: 'PublicKey', section: 'Peer', tool: 'wg', accumulates: false,
    summary: 'The peer\'s public key (`wg pubkey`). Required in every [Peer].',
    valueHint: '44 base64 characters', manSection: 'wg(8) CONFIGURATION FILE FORMAT', snippet: 'PublicKey = ${1}',
  },
  {
    name: 'PresharedKey', section: 'Peer', tool: 'wg', accumulates: false, secret: true,
    summary: 'Optional extra symmetric key (`wg genpsk`) mixed into the handshake for post-quantum resistance.',
    valueHint: '44 base64 characters', defaultText: 'none', manSection: 'wg(8) CONFIGURATION FILE FORMAT', snippet: 'PresharedKey = ${1}',
  },
  {
    name: 'AllowedIPs', section: 'Peer', tool: 'wg', accumulates: true,
    summary: 'Addresses this peer may send from, and that are routed to it. Repeated lines add up.',
    valueHint: 'comma-separated IP/prefix list', manSection: 'wg(8) CONFIGURATION FILE FORMAT', snippet: 'AllowedIPs = ${1:0.0.0.0/0, ::/0}',
  },
  {
    name: 'Endpoint', section: 'Peer', tool: 'wg', accumulates: false,
    summary: 'Where to send packets for this peer: host:port or [IPv6]:port. A host name is resolved once, when the config is loaded.',
    valueHint: 'host:port or [v6]:port', manSection: 'wg(8) CONFIGURATION FILE FORMAT', snippet: 'Endpoint = ${1:203.0.113.1}:${2:51820}',
  },
  {
    name: 'PersistentKeepalive', section: 'Peer', tool: 'wg', accumulates: false,
    summary: `Send an empty authenticated packet when nothing was sent for this many seconds, so a NAT or stateful firewall keeps the UDP mapping open. ${WIREGUARD_KEEPALIVE_DEFAULT_SEC} s suits most NATs.`,
    valueHint: '1–65535, or 0/off', defaultText: 'off', manSection: 'wg(8) CONFIGURATION FILE FORMAT', snippet: `PersistentKeepalive = \${1:${WIREGUARD_KEEPALIVE_DEFAULT_SEC}}`,
  },
];

const BY_NAME = new Map<string, WireguardKeySpec>();
for (const k of WIREGUARD_KEYS) BY_NAME.set(`${k.section}:${k.name.toLowerCase()}`, k);

export function findWireguardKey(section: WireguardSection, key: string): WireguardKeySpec | undefined {
  return BY_NAME.get(`${section}:${key.toLowerCase()}`);
}

export function wireguardKeyInOtherSection(section: WireguardSection, key: string): WireguardKeySpec | undefined {
  return findWireguardKey(section === 'Interface' ? 'Peer' : 'Interface', key);
}
