// strongSwan's ipsec.conf keywords as the starter of strongSwan 5.9.8 reads them (src/starter/
// keywords.txt, args.c, confread.c), each one checked by running that starter on it (Debian
// 5.9.8; test/lab/lintCorpusIpsec.test.ts): in which section it is accepted, which the starter
// logs as "deprecated keyword" and ignores, and which values it takes. Keys compare
// case-sensitively. An unknown keyword is logged ("# unknown keyword") and skipped, the conn still
// loads; a keyword of another section ("unsupported keyword") makes the starter ignore that conn,
// and in config setup it is fatal; a bad value ignores the conn.

export type StrongswanSection = 'setup' | 'conn' | 'ca';

const SETUP = [
  'charondebug', 'uniqueids', 'cachecrls', 'strictcrlpolicy', 'also',
  // deprecated (logged and ignored)
  'interfaces', 'dumpdir', 'charonstart', 'plutostart', 'klipsdebug', 'plutodebug', 'prepluto', 'postpluto', 'plutostderrlog',
  'fragicmp', 'packetdefault', 'hidetos', 'overridemtu', 'crlcheckinterval', 'nocrsend', 'nat_traversal', 'keep_alive',
  'force_keepalive', 'virtual_private', 'pkcs11module', 'pkcs11initargs', 'pkcs11keepstate', 'pkcs11proxy',
];

/** left…/right… suffixes ("" is left= / right= itself). */
export const STRONGSWAN_END_SUFFIXES: readonly string[] = [
  '', 'ikeport', 'subnet', 'subnetwithin', 'protoport', 'sourceip', 'firewall', 'hostaccess', 'allowany', 'updown', 'id', 'id2',
  'auth', 'auth2', 'rsasigkey', 'sigkey', 'cert', 'cert2', 'certpolicy', 'sendcert', 'ca', 'ca2', 'groups', 'groups2', 'dns',
  'nexthop',
];

const CONN = [
  'also', 'auto', 'type', 'compress', 'installpolicy', 'aggressive', 'authby', 'keylife', 'lifetime', 'rekeymargin',
  'margintime', 'lifebytes', 'marginbytes', 'lifepackets', 'marginpackets', 'ikelifetime', 'keyingtries', 'rekeyfuzz', 'rekey',
  'reauth', 'esp', 'ah', 'ike', 'dpddelay', 'dpdtimeout', 'dpdaction', 'closeaction', 'inactivity', 'modeconfig', 'xauth',
  'xauth_identity', 'mediation', 'mediated_by', 'me_peerid', 'reqid', 'replay_window', 'mark', 'mark_in', 'mark_out', 'tfc',
  'eap_identity', 'aaa_identity', 'mobike', 'forceencaps', 'keyexchange', 'fragmentation', 'ikedscp', 'sha256_96',
  // deprecated
  'pfs', 'pfsgroup', 'eap',
  ...STRONGSWAN_END_SUFFIXES.flatMap((s) => [`left${s}`, `right${s}`]),
];

const CA = ['cacert', 'ldaphost', 'ldapbase', 'crluri', 'crluri1', 'crluri2', 'ocspuri', 'ocspuri1', 'ocspuri2', 'certuribase', 'auto', 'also'];

export const STRONGSWAN_SECTION_KEYWORDS: Readonly<Record<StrongswanSection, ReadonlySet<string>>> = {
  setup: new Set(SETUP),
  conn: new Set(CONN),
  ca: new Set(CA),
};

/** Every keyword the 5.9.8 starter knows, in any section. */
export const STRONGSWAN_KEYWORDS: ReadonlySet<string> = new Set([...SETUP, ...CONN, ...CA]);

/** Logged as "# deprecated keyword" and ignored (confread.c). */
export const STRONGSWAN_DEPRECATED: ReadonlySet<string> = new Set([
  'interfaces', 'dumpdir', 'charonstart', 'plutostart', 'klipsdebug', 'plutodebug', 'prepluto', 'postpluto',
  'plutostderrlog', 'fragicmp', 'packetdefault', 'hidetos', 'overridemtu', 'crlcheckinterval', 'nocrsend',
  'nat_traversal', 'keep_alive', 'force_keepalive', 'virtual_private', 'pkcs11module', 'pkcs11initargs',
  'pkcs11keepstate', 'pkcs11proxy', 'pfs', 'pfsgroup', 'eap', 'leftnexthop', 'rightnexthop', 'ldaphost', 'ldapbase',
]);

const BOOL = ['yes', 'no'];
const SENDCERT = ['always', 'ifasked', 'never', 'yes', 'no'];

/** Keywords with a fixed set of values (args.c LST_*); any other value makes the starter ignore the conn. */
export const STRONGSWAN_ENUMS: Readonly<Record<string, readonly string[]>> = {
  auto: ['ignore', 'add', 'route', 'start'],
  type: ['tunnel', 'transport', 'transport_proxy', 'passthrough', 'pass', 'drop', 'reject'],
  keyexchange: ['ike', 'ikev1', 'ikev2'],
  authby: ['psk', 'secret', 'pubkey', 'rsa', 'rsasig', 'ecdsa', 'ecdsasig', 'xauthpsk', 'xauthrsasig', 'never'],
  fragmentation: ['no', 'accept', 'yes', 'force'],
  dpdaction: ['none', 'clear', 'hold', 'restart'],
  closeaction: ['none', 'clear', 'hold', 'restart'],
  uniqueids: ['no', 'yes', 'replace', 'keep', 'never'],
  strictcrlpolicy: ['no', 'yes', 'ifuri'],
  leftsendcert: SENDCERT,
  rightsendcert: SENDCERT,
  ...Object.fromEntries(['forceencaps', 'mobike', 'compress', 'aggressive', 'reauth', 'rekey', 'installpolicy', 'cachecrls',
    'leftfirewall', 'rightfirewall', 'lefthostaccess', 'righthostaccess', 'leftallowany', 'rightallowany', 'mediation',
    'sha256_96'].map((k) => [k, BOOL])),
};

/**
 * Settings of a swanctl.conf connection (src/swanctl/swanctl.opt, "connections.<conn>.*"); any
 * other key makes swanctl discard the connection ("unknown option: X, config discarded",
 * verified with 5.9.8). Subsections local*, remote* and children are checked separately.
 */
export const SWANCTL_CONNECTION_KEYS: ReadonlySet<string> = new Set([
  'version', 'local_addrs', 'remote_addrs', 'local_port', 'remote_port', 'proposals', 'vips', 'aggressive', 'pull', 'dscp',
  'encap', 'mobike', 'dpd_delay', 'dpd_timeout', 'fragmentation', 'childless', 'send_certreq', 'send_cert', 'ppk_id',
  'ppk_required', 'keyingtries', 'unique', 'reauth_time', 'rekey_time', 'over_time', 'rand_time', 'pools', 'if_id_in',
  'if_id_out', 'mediation', 'mediated_by', 'mediation_peer', 'close_action', 'ocsp',
]);

/** children.<child>.dpd_action as vici_config.c parse_action reads it (case-insensitive). */
export const SWANCTL_DPD_ACTIONS: ReadonlySet<string> = new Set(['start', 'restart', 'route', 'trap', 'none', 'clear']);
