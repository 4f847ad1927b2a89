// What OpenVPN 2.6 knows. KNOWN_OPTIONS is every option name the Linux build of OpenVPN 2.6.14
// accepts in a config file: the names in `openvpn --help`, plus the ones it documents only in the
// man pages, each confirmed by running openvpn 2.6.14 on a one-line config (an unknown name gives
// "Unrecognized option or missing or extra parameter(s)", options.c add_option).

export const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'allow-compression', 'allow-pull-fqdn', 'allow-recursive-routing', 'askpass', 'auth', 'auth-gen-token',
  'auth-gen-token-secret', 'auth-nocache', 'auth-retry', 'auth-token', 'auth-token-user', 'auth-user-pass',
  'auth-user-pass-optional', 'auth-user-pass-verify', 'bcast-buffers', 'bind', 'bind-dev', 'block-ipv6',
  'ca', 'capath', 'ccd-exclusive', 'cd', 'cert', 'chroot', 'cipher', 'client', 'client-config-dir',
  'client-connect', 'client-crresponse', 'client-disconnect', 'client-nat', 'client-to-client', 'comp-lzo',
  'comp-noadapt', 'compat-mode', 'compress', 'config', 'connect-freq', 'connect-freq-initial',
  'connect-retry', 'connect-retry-max', 'connect-timeout', 'crl-verify', 'daemon', 'data-ciphers',
  'data-ciphers-fallback', 'dev', 'dev-node', 'dev-type', 'dh', 'dhcp-option', 'disable', 'disable-dco',
  'disable-occ', 'dns', 'down', 'down-pre', 'duplicate-cn', 'ecdh-curve', 'echo', 'engine',
  'explicit-exit-notify', 'extra-certs', 'fast-io', 'float', 'force-tls-key-material-export', 'fragment',
  'genkey', 'gremlin', 'group', 'hand-window', 'hash-size', 'http-proxy', 'http-proxy-option',
  'http-proxy-override', 'http-proxy-retry', 'http-proxy-timeout', 'http-proxy-user-pass', 'ifconfig',
  'ifconfig-ipv6', 'ifconfig-ipv6-pool', 'ifconfig-ipv6-push', 'ifconfig-noexec', 'ifconfig-nowarn',
  'ifconfig-pool', 'ifconfig-pool-persist', 'ifconfig-push', 'ifconfig-push-constraint',
  'ignore-unknown-option', 'inactive', 'ipchange', 'iroute', 'iroute-ipv6', 'keepalive', 'key',
  'key-direction', 'keying-material-exporter', 'learn-address', 'link-mtu', 'lladdr', 'local', 'log',
  'log-append', 'lport', 'machine-readable-output', 'management', 'management-client',
  'management-client-auth', 'management-client-group', 'management-client-user', 'management-external-cert',
  'management-external-key', 'management-forget-disconnect', 'management-hold', 'management-log-cache',
  'management-query-passwords', 'management-query-proxy', 'management-query-remote', 'management-signal',
  'management-up-down', 'mark', 'max-clients', 'max-packet-size', 'max-routes', 'max-routes-per-client',
  'memstats', 'mktun', 'mlock', 'mode', 'msg-channel', 'mssfix', 'mtu-disc', 'mtu-test', 'multihome', 'mute',
  'mute-replay-warnings', 'ncp-ciphers', 'nice', 'no-replay', 'nobind', 'ns-cert-type', 'opt-verify',
  'parameter', 'passtos', 'peer-fingerprint', 'peer-id', 'persist-key', 'persist-local-ip',
  'persist-remote-ip', 'persist-tun', 'ping', 'ping-exit', 'ping-restart', 'ping-timer-rem',
  'pkcs11-cert-private', 'pkcs11-id', 'pkcs11-id-management', 'pkcs11-pin-cache', 'pkcs11-private-mode',
  'pkcs11-protected-authentication', 'pkcs11-providers', 'pkcs12', 'plugin', 'port', 'port-share', 'prng',
  'proto', 'proto-force', 'providers', 'pull', 'pull-filter', 'push', 'push-continuation', 'push-peer-info',
  'push-remove', 'push-reset', 'rcvbuf', 'redirect-gateway', 'redirect-private', 'remap-usr1', 'remote',
  'remote-cert-eku', 'remote-cert-ku', 'remote-cert-tls', 'remote-random', 'remote-random-hostname',
  'reneg-bytes', 'reneg-pkts', 'reneg-sec', 'replay-persist', 'replay-window', 'resolv-retry', 'rmtun',
  'route', 'route-delay', 'route-gateway', 'route-ipv6', 'route-ipv6-gateway', 'route-method',
  'route-metric', 'route-noexec', 'route-nopull', 'route-pre-down', 'route-up', 'rport', 'script-security',
  'secret', 'server', 'server-bridge', 'server-ipv6', 'server-poll-timeout', 'session-timeout', 'setenv',
  'setenv-safe', 'shaper', 'show-ciphers', 'show-digests', 'show-engines', 'show-gateway', 'show-pkcs11-ids',
  'show-tls', 'single-session', 'sndbuf', 'socket-flags', 'socks-proxy', 'socks-proxy-retry',
  'stale-routes-check', 'static-challenge', 'status', 'status-version', 'suppress-timestamps', 'syslog',
  'tcp-nodelay', 'tcp-queue-limit', 'test-crypto', 'tls-auth', 'tls-cert-profile', 'tls-cipher',
  'tls-ciphersuites', 'tls-client', 'tls-crypt', 'tls-crypt-v2', 'tls-crypt-v2-verify', 'tls-exit',
  'tls-export-cert', 'tls-groups', 'tls-server', 'tls-timeout', 'tls-verify', 'tls-version-max',
  'tls-version-min', 'tmp-dir', 'topology', 'tran-window', 'tun-ipv6', 'tun-mtu', 'tun-mtu-extra',
  'txqueuelen', 'up', 'up-delay', 'up-restart', 'user', 'username-as-common-name', 'verb',
  'verify-client-cert', 'verify-hash', 'verify-x509-name', 'vlan-accept', 'vlan-pvid', 'vlan-tagging',
  'writepid', 'x509-track', 'x509-username-field',
]);

/**
 * Windows-only options: the Linux and macOS builds reject them as unknown (verified with 2.6.14
 * for block-outside-dns, register-dns, ip-win32, …), Windows accepts them.
 */
export const WINDOWS_ONLY_OPTIONS: ReadonlySet<string> = new Set([
  'block-outside-dns', 'register-dns', 'ip-win32', 'tap-sleep', 'win-sys', 'allow-nonadmin', 'dhcp-renew',
  'dhcp-pre-release', 'dhcp-release', 'service', 'show-adapters', 'show-valid-subnets', 'show-net', 'show-net-up',
  'pause-exit', 'cryptoapicert', 'windows-driver',
]);

/**
 * How many parameters each option takes, as OpenVPN 2.6.14 itself decides: add_option guards every
 * option with checks like `p[1] && p[2] && !p[3]`, and a count it does not accept is fatal
 * ("missing or extra parameter(s)"). Measured by running openvpn on a one-line config with 0–6
 * parameters for every option in KNOWN_OPTIONS (6 stands for "6 or more"). Options that start
 * scripts, daemons or management sockets were not run and are not checked.
 */
export const ARITY: Readonly<Record<string, readonly number[]>> = {
  'allow-compression': [1], 'allow-pull-fqdn': [0], 'allow-recursive-routing': [0], auth: [1],
  'auth-gen-token': [0, 1, 2, 3, 4, 5, 6], 'auth-gen-token-secret': [1], 'auth-nocache': [0],
  'auth-retry': [1], 'auth-token': [1], 'auth-token-user': [1], 'auth-user-pass': [0, 1],
  'auth-user-pass-optional': [0], 'bcast-buffers': [1], bind: [0, 1], 'bind-dev': [1, 2, 3, 4, 5, 6],
  'block-ipv6': [0], ca: [1], capath: [1], 'ccd-exclusive': [0], cert: [1], cipher: [1], client: [0],
  'client-config-dir': [1], 'client-crresponse': [1, 2, 3, 4, 5, 6], 'client-nat': [4],
  'client-to-client': [0], 'comp-lzo': [0, 1], 'comp-noadapt': [0], 'compat-mode': [1, 2], compress: [0, 1],
  'connect-freq': [2], 'connect-freq-initial': [2], 'connect-retry': [1, 2], 'connect-retry-max': [1],
  'connect-timeout': [1], 'crl-verify': [1], 'data-ciphers': [1], 'data-ciphers-fallback': [1], dev: [1],
  'dev-node': [1], 'dev-type': [1], dh: [1], 'dhcp-option': [1, 2], disable: [0],
  'disable-dco': [0, 1, 2, 3, 4, 5, 6], 'disable-occ': [0], dns: [1, 2, 3, 4, 5, 6], 'duplicate-cn': [0],
  'ecdh-curve': [1], engine: [0, 1], 'explicit-exit-notify': [0, 1], 'extra-certs': [1], 'fast-io': [0],
  float: [0], 'force-tls-key-material-export': [0, 1, 2, 3, 4, 5, 6], fragment: [1, 2], gremlin: [1],
  'hand-window': [1], 'hash-size': [2], 'http-proxy': [1, 2, 3, 4], 'http-proxy-option': [1, 2, 3],
  'http-proxy-override': [2, 3], 'http-proxy-retry': [0, 1, 2, 3, 4, 5, 6], 'http-proxy-timeout': [1],
  'http-proxy-user-pass': [1, 2, 3, 4, 5, 6], ifconfig: [2], 'ifconfig-ipv6': [2], 'ifconfig-ipv6-pool': [1],
  'ifconfig-ipv6-push': [1, 2], 'ifconfig-noexec': [0], 'ifconfig-nowarn': [0], 'ifconfig-pool': [2, 3],
  'ifconfig-push': [2, 3], 'ifconfig-push-constraint': [2], 'ignore-unknown-option': [1, 2, 3, 4, 5, 6],
  inactive: [1, 2], iroute: [1, 2], 'iroute-ipv6': [1], keepalive: [2], key: [1], 'key-direction': [1],
  'keying-material-exporter': [2, 3, 4, 5, 6], 'link-mtu': [1], lladdr: [1], local: [1], lport: [1], mark: [1],
  'max-clients': [1], 'max-packet-size': [1], 'max-routes': [0, 1], 'max-routes-per-client': [1], mlock: [0],
  mode: [1], 'msg-channel': [1, 2, 3, 4, 5, 6], mssfix: [0, 1, 2], 'mtu-disc': [1], 'mtu-test': [0],
  multihome: [0], mute: [1], 'mute-replay-warnings': [0], 'ncp-ciphers': [1], nice: [1], 'no-replay': [0],
  nobind: [0], 'ns-cert-type': [1], 'opt-verify': [0], parameter: [0, 1, 2, 3, 4, 5, 6], passtos: [0],
  'peer-fingerprint': [1], 'peer-id': [1], 'persist-key': [0], 'persist-local-ip': [0],
  'persist-remote-ip': [0], 'persist-tun': [0], ping: [1], 'ping-exit': [1], 'ping-restart': [1],
  'ping-timer-rem': [0], 'pkcs11-cert-private': [0, 1, 2, 3, 4, 5, 6], 'pkcs11-id': [1],
  'pkcs11-id-management': [0], 'pkcs11-pin-cache': [1], 'pkcs11-private-mode': [1, 2, 3, 4, 5, 6],
  'pkcs11-protected-authentication': [0, 1, 2, 3, 4, 5, 6], 'pkcs11-providers': [1, 2, 3, 4, 5, 6],
  pkcs12: [1], port: [1], 'port-share': [2, 3], prng: [1, 2], proto: [1], 'proto-force': [1],
  providers: [1, 2, 3, 4, 5, 6], pull: [0], 'pull-filter': [2], push: [1], 'push-continuation': [1],
  'push-peer-info': [0], 'push-remove': [1], 'push-reset': [0], rcvbuf: [1],
  'redirect-gateway': [0, 1, 2, 3, 4, 5, 6], 'redirect-private': [0, 1, 2, 3, 4, 5, 6], 'remap-usr1': [1],
  remote: [1, 2, 3], 'remote-cert-eku': [1], 'remote-cert-ku': [0, 1, 2, 3, 4, 5, 6], 'remote-cert-tls': [1],
  'remote-random': [0], 'remote-random-hostname': [0], 'reneg-bytes': [1], 'reneg-pkts': [1],
  'reneg-sec': [1, 2], 'replay-window': [0, 1, 2], 'resolv-retry': [1], route: [1, 2, 3, 4],
  'route-delay': [0, 1, 2], 'route-gateway': [1], 'route-ipv6': [1, 2, 3], 'route-ipv6-gateway': [1],
  'route-method': [1], 'route-metric': [1], 'route-noexec': [0], 'route-nopull': [0], rport: [1],
  'script-security': [1], secret: [1, 2], server: [2, 3], 'server-bridge': [0, 4], 'server-ipv6': [1],
  'server-poll-timeout': [1], 'session-timeout': [1], setenv: [1, 2], 'setenv-safe': [1, 2], shaper: [1],
  'single-session': [0], sndbuf: [1], 'socket-flags': [0, 1, 2, 3, 4, 5, 6], 'socks-proxy': [1, 2, 3],
  'socks-proxy-retry': [0, 1, 2, 3, 4, 5, 6], 'stale-routes-check': [1, 2], 'static-challenge': [2],
  'status-version': [1], 'suppress-timestamps': [0], 'tcp-nodelay': [0], 'tcp-queue-limit': [1],
  'tls-auth': [1, 2], 'tls-cert-profile': [1], 'tls-cipher': [1], 'tls-ciphersuites': [1], 'tls-client': [0],
  'tls-crypt': [1, 2], 'tls-crypt-v2': [1, 2], 'tls-exit': [0], 'tls-export-cert': [1], 'tls-groups': [1],
  'tls-server': [0], 'tls-timeout': [1], 'tls-version-max': [1], 'tls-version-min': [1, 2], topology: [1],
  'tran-window': [1], 'tun-ipv6': [0], 'tun-mtu': [1, 2], 'tun-mtu-extra': [1], txqueuelen: [1],
  'up-delay': [0], 'up-restart': [0], 'username-as-common-name': [0], verb: [1], 'verify-client-cert': [0, 1],
  'verify-hash': [1, 2], 'verify-x509-name': [1, 2], 'vlan-accept': [1], 'vlan-pvid': [1], 'vlan-tagging': [0],
  'x509-track': [1], 'x509-username-field': [1, 2, 3, 4, 5, 6],
};

export interface RemovedOption {
  /** The release that stopped accepting it. */
  removedIn: string;
  why: string;
  /** The replacement line, when there is a sure one (given the old parameters). */
  replacement?: (args: readonly string[]) => string | undefined;
  /** Delete the line when no replacement exists and the option did nothing useful any more. */
  deleteLine?: boolean;
}

/** Options OpenVPN 2.6 rejects as removed (doc/man-sections/unsupported-options.rst; verified). */
export const REMOVED_OPTIONS: Readonly<Record<string, RemovedOption>> = {
  'ncp-disable': { removedIn: '2.6', why: 'cipher negotiation can no longer be turned off; list acceptable ciphers in data-ciphers instead', deleteLine: true },
  'client-cert-not-required': { removedIn: '2.5', why: 'use "verify-client-cert none"', replacement: () => 'verify-client-cert none' },
  'key-method': { removedIn: '2.5', why: 'key method 2 is the only one left', deleteLine: true },
  'no-iv': { removedIn: '2.5', why: 'the IV can no longer be disabled', deleteLine: true },
  'ifconfig-pool-linear': { removedIn: '2.5', why: 'use "topology p2p" instead', replacement: () => 'topology p2p' },
  'tls-remote': { removedIn: '2.4', why: 'use "verify-x509-name" instead' },
  keysize: { removedIn: '2.6', why: 'only fixed-key-size ciphers remain; choose the cipher instead', deleteLine: true },
  'management-client-pf': { removedIn: '2.6', why: 'packet filtering was removed' },
  'compat-names': { removedIn: '2.5', why: 'the old X.509 name formatting is gone', deleteLine: true },
  'no-name-remapping': { removedIn: '2.5', why: 'the old X.509 name formatting is gone', deleteLine: true },
  'mtu-dynamic': { removedIn: '2.0', why: 'it was replaced by "fragment"', replacement: (a) => (a[0] ? `fragment ${a[0]}` : undefined) },
};

export interface DeprecatedOption {
  severity: 'warning' | 'info';
  message: string;
  replacement?: (args: readonly string[]) => string | undefined;
  deleteLine?: boolean;
}

/** Options 2.6 still accepts but warns about, or that 2.7 removes or ignores. */
export const DEPRECATED_OPTIONS: Readonly<Record<string, DeprecatedOption>> = {
  'comp-lzo': { severity: 'warning', message: 'comp-lzo is deprecated: compression has been used to break encryption (VORACLE), and OpenVPN 2.6 only decompresses unless "allow-compression yes" is set. Remove it on both sides when you can.' },
  compress: { severity: 'warning', message: 'compress is deprecated: compression has been used to break encryption (VORACLE). Remove it on both sides when you can.' },
  'comp-noadapt': { severity: 'warning', message: 'comp-noadapt is deprecated along with compression.', deleteLine: true },
  secret: { severity: 'warning', message: 'Static-key mode (secret) is deprecated in 2.6 and refused by OpenVPN 2.7 unless allow-deprecated-insecure-static-crypto is set; move to TLS (or peer-fingerprint for a small setup).' },
  'ns-cert-type': { severity: 'warning', message: 'ns-cert-type is deprecated ("Use --remote-cert-tls instead").', replacement: (a) => (a[0] === 'server' || a[0] === 'client' ? `remote-cert-tls ${a[0]}` : undefined) },
  'max-routes': { severity: 'warning', message: 'max-routes is ignored since 2.4 (routes are unlimited) and removed in 2.7.', deleteLine: true },
  'http-proxy-retry': { severity: 'warning', message: 'http-proxy-retry is ignored and removed in 2.7.', deleteLine: true },
  'socks-proxy-retry': { severity: 'warning', message: 'socks-proxy-retry is ignored and removed in 2.7.', deleteLine: true },
  'http-proxy-timeout': { severity: 'warning', message: 'http-proxy-timeout is ignored and removed in 2.7; use connect-timeout.' },
  'no-replay': { severity: 'warning', message: 'no-replay turns off replay protection, and OpenVPN 2.7 refuses it ("--no-replay was removed in OpenVPN 2.7").', deleteLine: true },
  'opt-verify': { severity: 'warning', message: 'opt-verify is deprecated and ignored by OpenVPN 2.7.', deleteLine: true },
  prng: { severity: 'warning', message: 'prng is ignored ("SSL library PRNG is used").', deleteLine: true },
  'tun-ipv6': { severity: 'info', message: 'tun-ipv6 is ignored: modern systems need no special IPv6 tun handling.', deleteLine: true },
  'fast-io': { severity: 'info', message: 'fast-io is ignored by OpenVPN 2.7.' },
  'link-mtu': { severity: 'warning', message: 'link-mtu is deprecated; set tun-mtu (and mssfix) instead.' },
  'disable-occ': { severity: 'info', message: 'disable-occ is deprecated.' },
  'ncp-ciphers': { severity: 'info', message: 'ncp-ciphers is the old name of data-ciphers.', replacement: (a) => (a[0] ? `data-ciphers ${a[0]}` : undefined) },
};

/** Tags allowed as inline blocks (doc/man-sections/inline-files.rst, 2.6), plus <connection>. */
export const INLINE_TAGS: ReadonlySet<string> = new Set([
  'ca', 'cert', 'dh', 'extra-certs', 'key', 'pkcs12', 'secret', 'crl-verify', 'http-proxy-user-pass', 'tls-auth',
  'auth-gen-token-secret', 'peer-fingerprint', 'tls-crypt', 'tls-crypt-v2', 'verify-hash', 'auth-user-pass',
]);

/**
 * Options OpenVPN accepts only in a client-config-dir file, read for one client (options.c
 * VERIFY_PERMISSION(OPT_P_INSTANCE)); in the main config 2.6.14 stops with "option 'iroute' cannot
 * be used in this context" (each verified).
 */
export const CCD_ONLY_OPTIONS: ReadonlySet<string> = new Set([
  'iroute', 'iroute-ipv6', 'ifconfig-push', 'ifconfig-ipv6-push', 'push-reset', 'push-remove', 'disable',
]);

/** Inline blocks whose content is secret: never quote it. */
export const SECRET_INLINE_TAGS: ReadonlySet<string> = new Set([
  'key', 'secret', 'tls-auth', 'tls-crypt', 'tls-crypt-v2', 'pkcs12', 'auth-user-pass', 'http-proxy-user-pass', 'auth-gen-token-secret',
]);

/** Protocol names of --proto and the third parameter of --remote (socket.c proto_names). */
export { OPENVPN_PROTO_NAMES as PROTO_NAMES } from '../../config/openvpn/remotes';

/**
 * Parameters add_option checks against a fixed list, by position (undefined: not checked). Each
 * refusal was verified with 2.6.14, e.g. "bad comp-lzo option: YES -- must be 'yes', 'no', or
 * 'adaptive'", "Unknown parameter to --mssfix: x", "unknown tls-version-min parameter: 1.4".
 * Values are case-sensitive.
 */
export const ENUM_PARAMETERS: Readonly<Record<string, readonly (readonly string[] | undefined)[]>> = {
  'comp-lzo': [['yes', 'no', 'adaptive']],
  compress: [['lzo', 'lz4', 'lz4-v2', 'stub', 'stub-v2', 'migrate']],
  'key-direction': [['0', '1']],
  'remote-cert-tls': [['client', 'server']],
  'ns-cert-type': [['client', 'server']],
  topology: [['net30', 'p2p', 'subnet']],
  'tls-version-min': [['1.0', '1.1', '1.2', '1.3']],
  'tls-version-max': [['1.0', '1.1', '1.2', '1.3']],
  mssfix: [undefined, ['mtu', 'fixed']],
  fragment: [undefined, ['mtu']],
};
