// Every rule the engine can report, for docs/rules.md, for the adapter's Diagnostic.code link and
// for settings that turn rules off. A unit test checks that findings only use ids listed here and
// that docs/rules.md documents each one.
import type { LanguageId, Severity } from './types';

export interface RuleInfo {
  id: string;
  language: LanguageId | 'general';
  /** The usual severity; a few rules raise it when a diagnosis measured a NAT. */
  severity: Severity;
  summary: string;
}

const r = (id: string, severity: Severity, summary: string): RuleInfo => ({
  id, severity, summary, language: id.split('/')[0] as LanguageId | 'general',
});

export const RULES: readonly RuleInfo[] = [
  r('general/not-a-text-file', 'info', 'Binary file: not linted (one finding, not one per line).'),
  r('general/file-too-large', 'info', 'File larger than 1 MiB: not linted.'),
  r('general/too-many-findings', 'info', 'More than 500 findings: the rest are left out.'),
  r('general/unknown-language', 'info', 'The CLI could not tell which VPN format a file is in (by name or content).'),

  r('wireguard/missing-persistent-keepalive', 'info', 'A peer with an Endpoint has no PersistentKeepalive (warning when a diagnosis found a NAT).'),
  r('wireguard/keepalive-exceeds-nat-lifetime', 'warning', 'PersistentKeepalive is not shorter than the measured NAT binding lifetime.'),
  r('wireguard/keepalive-too-long', 'info', 'PersistentKeepalive above 60 s, longer than many NATs keep a mapping.'),
  r('wireguard/keepalive-too-short', 'info', 'PersistentKeepalive below 10 s.'),
  r('wireguard/mtu-too-large', 'warning', 'MTU does not fit the measured path MTU (info where ICMP works), or is missing on a black-hole path.'),
  r('wireguard/invalid-key', 'error', 'A key is not 44 base64 characters decoding to 32 bytes.'),
  r('wireguard/zero-private-key', 'warning', 'PrivateKey is all zeros ("no key").'),
  r('wireguard/invalid-endpoint', 'error', 'Endpoint without a port, with a bad host, an unbracketed IPv6 address (warning) or port 0 (warning).'),
  r('wireguard/hostname-endpoint', 'info', 'Endpoint host name is resolved only once, at load.'),
  r('wireguard/unknown-key', 'error', 'Key wg does not know in this section (or a wg-quick key wg-quick did not pick up).'),
  r('wireguard/invalid-value', 'error', 'A value wg or wg-quick rejects (keepalive, FwMark, AllowedIPs, ports, MTU, SaveConfig, Address).'),
  r('wireguard/port-wraps', 'warning', 'A port above 65535 that getaddrinfo silently wraps.'),
  r('wireguard/allowed-ips-host-bits', 'warning', 'AllowedIPs entry with host bits set.'),
  r('wireguard/empty-value', 'error', '"Key =" with nothing after it.'),
  r('wireguard/duplicate-key', 'warning', 'A key set twice in a section: only the last counts.'),
  r('wireguard/duplicate-interface', 'warning', 'More than one [Interface] section.'),
  r('wireguard/duplicate-peer', 'warning', 'Two [Peer] sections with the same PublicKey.'),
  r('wireguard/missing-public-key', 'error', 'A [Peer] without PublicKey.'),
  r('wireguard/byte-order-mark', 'error', 'The file starts with a UTF-8 BOM, which wg does not skip.'),
  r('wireguard/semicolon-comment', 'error', 'A ";" comment, which wg does not accept.'),
  r('wireguard/syntax-error', 'error', 'A line that is neither "Key = Value" nor a section header.'),
  r('wireguard/unknown-section', 'error', 'A section other than [Interface] or [Peer].'),
  r('wireguard/key-outside-section', 'error', 'A key before the first section header.'),
  r('wireguard/save-config', 'info', 'SaveConfig = true overwrites the file on shutdown.'),
  r('wireguard/interface-name', 'info', 'The file name is not a valid wg-quick interface name.'),

  r('openvpn/missing-keepalive', 'info', 'UDP config without keepalive or ping (warning for servers, peers, and when a diagnosis found a NAT).'),
  r('openvpn/keepalive-exceeds-nat-lifetime', 'warning', 'keepalive/ping interval not shorter than the measured NAT binding lifetime.'),
  r('openvpn/mtu-too-large', 'warning', 'mssfix (or its 1492 default) or tun-mtu does not fit the measured path MTU (mssfix: info where ICMP works).'),
  r('openvpn/invalid-keepalive', 'error', 'keepalive with a parameter ≤ 0 or a restart timeout under twice the interval.'),
  r('openvpn/keepalive-conflict', 'error', 'keepalive together with ping, ping-restart or ping-exit.'),
  r('openvpn/ping-exit-restart-conflict', 'warning', 'ping-exit and ping-restart together: the last one wins.'),
  r('openvpn/ping-without-restart', 'warning', 'ping without ping-restart or ping-exit.'),
  r('openvpn/removed-option', 'error', 'An option removed before 2.6.'),
  r('openvpn/deprecated-option', 'warning', 'An option 2.6 warns about or 2.7 removes or ignores.'),
  r('openvpn/unknown-option', 'error', 'An option OpenVPN 2.6 does not know.'),
  r('openvpn/option-case', 'error', 'A capitalised option name (names are case-sensitive).'),
  r('openvpn/windows-only-option', 'warning', 'An option only the Windows build accepts.'),
  r('openvpn/ccd-only-option', 'error', 'A per-client option (iroute, ifconfig-push, push-reset, …) in the main config instead of a client-config-dir file.'),
  r('openvpn/wrong-argument-count', 'error', 'Too few or too many parameters.'),
  r('openvpn/invalid-value', 'error', 'A parameter OpenVPN rejects (protocol, fragment size) or misreads (warning: resolv-retry, atoi numbers, service-name ports).'),
  r('openvpn/invalid-remote', 'error', 'remote host in [brackets].'),
  r('openvpn/port-wraps', 'warning', 'A port above 65535 that silently wraps.'),
  r('openvpn/fragment-with-tcp', 'error', 'fragment with a TCP connection.'),
  r('openvpn/fragment-smaller-than-mssfix', 'warning', 'fragment smaller than mssfix.'),
  r('openvpn/explicit-exit-notify-tcp', 'warning', 'explicit-exit-notify over TCP, where it is ignored.'),
  r('openvpn/nobind-conflict', 'error', 'lport together with nobind.'),
  r('openvpn/tls-auth-direction', 'info', 'tls-auth without a key direction (a mismatch with the peer drops every packet).'),
  r('openvpn/cipher-ignored', 'warning', 'cipher not in data-ciphers, so negotiation ignores it.'),
  r('openvpn/line-too-long', 'error', 'A line of 255 bytes or more (before its newline).'),
  r('openvpn/unterminated-quote', 'error', 'A quote that is never closed.'),
  r('openvpn/bad-backslash', 'error', 'A backslash before anything but \\, " or whitespace.'),
  r('openvpn/missing-end-tag', 'error', 'An inline <tag> block without </tag>.'),
  r('openvpn/invalid-inline-tag', 'error', 'An inline block for an option that cannot be inline.'),

  r('strongswan/dpd-disabled', 'info', 'A connection without dead peer detection (warning when a diagnosis found a NAT).'),
  r('strongswan/deprecated-option', 'warning', 'A keyword the starter ignores (nat_traversal, keep_alive, …).'),
  r('strongswan/forced-encapsulation', 'info', 'forceencaps=yes / encap = yes.'),
  r('strongswan/ikev1-only-option', 'info', 'dpdtimeout / dpd_timeout with IKEv2.'),
  r('strongswan/invalid-value', 'error', 'A value the starter or swanctl refuses (yes/no, auto, type, authby, dpdaction, times, dpd_action; a CRLF line ending included).'),
  r('strongswan/unknown-keyword', 'warning', 'An ipsec.conf keyword strongSwan 5.9.8\'s starter does not know (it skips the line), or a swanctl.conf connection setting swanctl discards the connection for (error).'),
  r('strongswan/missing-also', 'error', 'also= names a section the file does not have (the starter refuses the file).'),
  r('strongswan/wrong-section', 'error', 'An ipsec.conf keyword of another section (a conn keyword in config setup, a setup keyword in a conn).'),
  r('strongswan/syntax-error', 'error', 'Structure errors: unindented parameters, a byte-order mark, unbalanced braces, settings on a "{" line.'),

  r('libreswan/removed-option', 'error', 'A keyword libreswan removed (nat_traversal, forceencaps, plutorestartoncrash, ike-frag, …).'),
  r('libreswan/unknown-keyword', 'error', 'A keyword the current libreswan does not know, or one newer than the release judged: addconn refuses the file.'),
  r('libreswan/obsolete-option', 'warning', 'A keyword libreswan accepts but ignores (dpdaction, keyingtries, interfaces, …).'),
  r('libreswan/wrong-section', 'error', 'A config setup keyword inside a conn, a conn keyword in config setup, or also= in conn %default.'),
  r('libreswan/carriage-return', 'error', 'Windows (CRLF) line endings, which addconn reads as part of names and values.'),
  r('libreswan/invalid-value', 'warning', 'keep-alive outside 1 s–1 day.'),
  r('libreswan/forced-encapsulation', 'info', 'encapsulation=yes.'),
  r('libreswan/nat-keepalive-disabled', 'warning', 'nat-keepalive=no when a diagnosis found a NAT.'),
  r('libreswan/dpd-disabled', 'info', 'A connection without liveness checks (dpddelay).'),
  r('libreswan/syntax-error', 'error', 'Structure errors in ipsec.conf.'),
];

/** The docs/rules.md anchor for a rule: "wireguard/invalid-key" → "#wireguardinvalid-key". */
export function ruleDocUrl(ruleId: string, base = 'docs/rules.md'): string {
  return `${base}#${ruleId.replace(/\//g, '').toLowerCase()}`;
}
