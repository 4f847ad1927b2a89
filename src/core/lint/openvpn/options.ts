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
 * Parameter counts, for the options whose count options.c add_option checks with its
 * `p[1] && p[2] && !p[3]` guards (a wrong count is "missing or extra parameter(s)", fatal).
 */
export const ARITY: Readonly<Record<string, readonly [number, number]>> = {
  keepalive: [2, 2], ping: [1, 1], 'ping-restart': [1, 1], 'ping-exit': [1, 1], proto: [1, 1], port: [1, 1],
  lport: [1, 1], rport: [1, 1], remote: [1, 3], dev: [1, 1], 'dev-type': [1, 1], client: [0, 0], pull: [0, 0],
  nobind: [0, 0], float: [0, 0], 'persist-tun': [0, 0], 'persist-key': [0, 0], 'explicit-exit-notify': [0, 1],
  fragment: [1, 2], mssfix: [0, 2], 'resolv-retry': [1, 1], 'tls-client': [0, 0], 'tls-server': [0, 0],
  verb: [1, 1], mute: [1, 1], cipher: [1, 1], 'data-ciphers': [1, 1], auth: [1, 1], 'key-direction': [1, 1],
  'remote-cert-tls': [1, 1], 'tun-mtu': [1, 2], 'connect-retry': [1, 2], 'connect-timeout': [1, 1],
  'server-poll-timeout': [1, 1], 'comp-lzo': [0, 1], compress: [0, 1], 'ns-cert-type': [1, 1],
  'auth-nocache': [0, 0], 'remote-random': [0, 0], topology: [1, 1],
  server: [2, 3], mode: [1, 1], user: [1, 1], group: [1, 1], 'tls-auth': [1, 2], 'tls-crypt': [1, 1],
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

/** Inline blocks whose content is secret: never quote it. */
export const SECRET_INLINE_TAGS: ReadonlySet<string> = new Set([
  'key', 'secret', 'tls-auth', 'tls-crypt', 'tls-crypt-v2', 'pkcs12', 'auth-user-pass', 'http-proxy-user-pass', 'auth-gen-token-secret',
]);

/** Protocol names of --proto and the third parameter of --remote (socket.c proto_names). */
export const PROTO_NAMES: ReadonlySet<string> = new Set([
  'udp', 'tcp-server', 'tcp-client', 'tcp', 'udp4', 'tcp4-server', 'tcp4-client', 'tcp4', 'udp6', 'tcp6-server', 'tcp6-client', 'tcp6',
]);
