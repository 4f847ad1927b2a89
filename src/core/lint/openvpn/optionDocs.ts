// Hover text for the OpenVPN options people actually edit, in our own words, with the default and
// the openvpn(8) man-page section (doc/man-sections/*.rst in 2.6). Other known options get a
// generic line from editorData.ts.
import { OPENVPN_KEEPALIVE_DEFAULT } from '../../advice/tunnelAdvice';

export interface OpenvpnOptionDoc {
  summary: string;
  syntax: string;
  defaultText?: string;
  manSection: string;
  snippet?: string;
}

const LINK = 'openvpn(8) Link Options';
const CLIENT = 'openvpn(8) Client Options';
const SERVER = 'openvpn(8) Server Options';
const TLS = 'openvpn(8) TLS Mode Options';
const GENERIC = 'openvpn(8) Generic Options';
const PROTO = 'openvpn(8) Protocol Options';
const VPN = 'openvpn(8) Virtual Network Adapter';

export const OPENVPN_OPTION_DOCS: Readonly<Record<string, OpenvpnOptionDoc>> = {
  client: { summary: 'Client mode: shorthand for pull + tls-client.', syntax: 'client', manSection: CLIENT },
  server: { summary: 'Server mode with an address pool: the subnet is split among clients.', syntax: 'server network netmask [nopool]', manSection: SERVER, snippet: 'server ${1:10.8.0.0} ${2:255.255.255.0}' },
  dev: { summary: 'Virtual device type: tun (routed IP) or tap (Ethernet bridge); a number picks a fixed unit.', syntax: 'dev tunX|tapX|null', manSection: VPN, snippet: 'dev ${1|tun,tap|}' },
  proto: { summary: 'Transport protocol. UDP is the default and recommended; TCP suffers from TCP-over-TCP meltdown.', syntax: 'proto udp|tcp-client|tcp-server|udp4|udp6|tcp4|tcp6…', defaultText: 'udp', manSection: LINK, snippet: 'proto ${1|udp,tcp-client,tcp-server|}' },
  remote: { summary: 'Server to connect to; repeat it for fallbacks. Do not put an IPv6 address in [brackets].', syntax: 'remote host [port] [proto]', defaultText: 'port 1194', manSection: CLIENT, snippet: 'remote ${1:vpn.example.com} ${2:1194}' },
  port: { summary: 'Local and remote port.', syntax: 'port n', defaultText: '1194', manSection: LINK, snippet: 'port ${1:1194}' },
  lport: { summary: 'Local port to bind.', syntax: 'lport n', defaultText: '1194', manSection: LINK },
  rport: { summary: 'Remote port.', syntax: 'rport n', defaultText: '1194', manSection: LINK },
  nobind: { summary: 'Do not bind a fixed local port; the OS picks a random one. Usual for clients.', syntax: 'nobind', manSection: LINK },
  float: { summary: 'Accept authenticated packets from a new peer address (point-to-point mode).', syntax: 'float', manSection: LINK },
  keepalive: { summary: 'Ping every I seconds and restart after T seconds without traffic. Keeps NAT mappings alive; a server also pushes it to clients. T must be at least 2×I.', syntax: 'keepalive I T', defaultText: 'off (pull clients restart after 120 s)', manSection: LINK, snippet: `keepalive \${1:${OPENVPN_KEEPALIVE_DEFAULT.ping}} \${2:${OPENVPN_KEEPALIVE_DEFAULT.restart}}` },
  ping: { summary: 'Send a ping when nothing was sent for n seconds.', syntax: 'ping n', manSection: LINK, snippet: 'ping ${1:10}' },
  'ping-restart': { summary: 'Restart after n seconds without receiving anything. Same timer as ping-exit: the last one wins.', syntax: 'ping-restart n', defaultText: '120 for pull clients', manSection: LINK },
  'ping-exit': { summary: 'Exit after n seconds without receiving anything. Same timer as ping-restart: the last one wins.', syntax: 'ping-exit n', manSection: LINK },
  'explicit-exit-notify': { summary: 'On exit or restart, tell the peer over UDP so it can free the session at once. Ignored over TCP.', syntax: 'explicit-exit-notify [n]', defaultText: 'off', manSection: LINK, snippet: 'explicit-exit-notify ${1:1}' },
  'resolv-retry': { summary: 'How long to retry resolving the remote host name: seconds or infinite.', syntax: 'resolv-retry n|infinite', defaultText: 'infinite', manSection: LINK, snippet: 'resolv-retry ${1:infinite}' },
  'connect-retry': { summary: 'Seconds to wait between connection attempts, backing off up to the maximum.', syntax: 'connect-retry n [max]', defaultText: '1 (max 300)', manSection: CLIENT },
  'persist-tun': { summary: 'Keep the tun device across restarts (ping-restart, SIGUSR1) so routes stay in place.', syntax: 'persist-tun', manSection: VPN },
  'persist-key': { summary: 'Do not re-read keys across restarts. Always on (and ignored) in OpenVPN 2.7.', syntax: 'persist-key', manSection: GENERIC },
  fragment: { summary: 'Fragment packets larger than max inside OpenVPN. UDP only; both sides need it.', syntax: 'fragment max', manSection: LINK },
  mssfix: { summary: 'Clamp the TCP MSS of tunnelled connections so packets fit the path.', syntax: 'mssfix [max [mtu|fixed]]', defaultText: '1492 mtu', manSection: LINK },
  'tun-mtu': { summary: 'MTU of the tun device.', syntax: 'tun-mtu n', defaultText: '1500', manSection: LINK },
  ca: { summary: 'CA certificate(s) that signed the peer\'s certificate (a file, or an inline <ca> block).', syntax: 'ca file', manSection: TLS },
  cert: { summary: 'This side\'s certificate (a file, or an inline <cert> block).', syntax: 'cert file', manSection: TLS },
  key: { summary: 'This side\'s private key (a file, or an inline <key> block). Keep it secret.', syntax: 'key file', manSection: TLS },
  'tls-auth': { summary: 'HMAC-sign control packets with a shared static key; the two sides use opposite directions (0/1), or key-direction for an inline block.', syntax: 'tls-auth file [direction]', manSection: TLS },
  'tls-crypt': { summary: 'Encrypt and authenticate control packets with a shared static key; hides the TLS handshake and drops unauthenticated packets.', syntax: 'tls-crypt file', manSection: TLS },
  'key-direction': { summary: 'Direction (0 or 1) of an inline tls-auth or secret key; the peers must use opposite values.', syntax: 'key-direction 0|1', manSection: TLS, snippet: 'key-direction ${1|1,0|}' },
  'remote-cert-tls': { summary: 'Require the peer certificate to be marked for server (or client) use; stops a client certificate from impersonating the server.', syntax: 'remote-cert-tls server|client', manSection: TLS, snippet: 'remote-cert-tls ${1|server,client|}' },
  cipher: { summary: 'Data-channel cipher for peers that cannot negotiate (pre-2.4). Ignored in negotiation unless it is also in data-ciphers.', syntax: 'cipher alg', manSection: PROTO },
  'data-ciphers': { summary: 'Ciphers this side accepts for the data channel, negotiated with the peer.', syntax: 'data-ciphers alg[:alg…]', defaultText: 'AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305', manSection: PROTO },
  'data-ciphers-fallback': { summary: 'Cipher for a peer that cannot negotiate (OpenVPN 2.3 and older).', syntax: 'data-ciphers-fallback alg', manSection: PROTO },
  auth: { summary: 'HMAC digest for the data channel with non-AEAD ciphers and for tls-auth.', syntax: 'auth alg', defaultText: 'SHA1', manSection: PROTO },
  'comp-lzo': { summary: 'Deprecated LZO compression. Compression has been used to break encryption (VORACLE).', syntax: 'comp-lzo [yes|no|adaptive]', manSection: PROTO },
  compress: { summary: 'Deprecated compression framing. Compression has been used to break encryption (VORACLE).', syntax: 'compress [alg]', manSection: PROTO },
  'auth-user-pass': { summary: 'Authenticate with a user name and password (prompted, or from a file with two lines).', syntax: 'auth-user-pass [file]', manSection: CLIENT },
  'redirect-gateway': { summary: 'Route all traffic through the tunnel; def1 uses two /1 routes instead of replacing the default route.', syntax: 'redirect-gateway [flags]', manSection: VPN, snippet: 'redirect-gateway ${1:def1}' },
  route: { summary: 'Add a route through the tunnel.', syntax: 'route network [netmask] [gateway] [metric]', manSection: VPN },
  push: { summary: 'Server: send an option to clients, e.g. push "route 10.0.0.0 255.255.255.0".', syntax: 'push "option"', manSection: SERVER, snippet: 'push "${1:route 10.0.0.0 255.255.255.0}"' },
  topology: { summary: 'How tun addresses are assigned: subnet (recommended), net30 or p2p.', syntax: 'topology subnet|net30|p2p', defaultText: 'net30 (2.6: subnet recommended)', manSection: SERVER, snippet: 'topology ${1:subnet}' },
  verb: { summary: 'Log verbosity: 3 is normal, 4 shows settings, 5+ for debugging.', syntax: 'verb n', defaultText: '1', manSection: GENERIC, snippet: 'verb ${1:3}' },
  user: { summary: 'Drop privileges to this user after start-up (use persist-tun and persist-key with it).', syntax: 'user name', manSection: GENERIC },
  group: { summary: 'Drop privileges to this group after start-up.', syntax: 'group name', manSection: GENERIC },
  'ignore-unknown-option': { summary: 'Warn instead of failing when one of the named options is unknown (for files shared between versions or platforms).', syntax: 'ignore-unknown-option opt…', manSection: GENERIC },
  secret: { summary: 'Static-key mode (no TLS). Deprecated in 2.6, refused by 2.7 by default.', syntax: 'secret file [direction]', manSection: PROTO },
  'verify-x509-name': { summary: 'Accept only a peer certificate with this name.', syntax: 'verify-x509-name name [type]', manSection: TLS },
  'tls-version-min': { summary: 'Lowest TLS version to accept for the control channel.', syntax: 'tls-version-min 1.2 [or-highest]', manSection: TLS },
  'peer-fingerprint': { summary: 'Trust a peer by the SHA-256 fingerprint of its self-signed certificate (no CA needed).', syntax: 'peer-fingerprint fp', manSection: TLS },
};
