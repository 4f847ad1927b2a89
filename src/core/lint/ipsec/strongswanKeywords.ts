// strongSwan ipsec.conf keywords (src/starter/keywords.txt, 5.9) and which of them the starter
// only logs as "# deprecated keyword" and then ignores (confread.c).

export const STRONGSWAN_KEYWORDS: ReadonlySet<string> = new Set([
  // config setup
  'charondebug', 'uniqueids', 'cachecrls', 'strictcrlpolicy', 'plutodebug', 'charonstart', 'plutostart',
  'interfaces', 'dumpdir', 'klipsdebug', 'prepluto', 'postpluto', 'plutostderrlog', 'fragicmp', 'packetdefault',
  'hidetos', 'overridemtu', 'crlcheckinterval', 'nocrsend', 'nat_traversal', 'keep_alive', 'force_keepalive',
  'virtual_private', 'pkcs11module', 'pkcs11initargs', 'pkcs11keepstate', 'pkcs11proxy',
  // conn
  'also', 'auto', 'type', 'compress', 'installpolicy', 'aggressive', 'auth', 'authby', 'keylife', 'rekeymargin',
  'lifetime', 'margintime', 'lifebytes', 'marginbytes', 'lifepackets', 'marginpackets', 'ikelifetime', 'keyingtries',
  'rekeyfuzz', 'rekey', 'reauth', 'esp', 'ah', 'ike', 'dpddelay', 'dpdtimeout', 'dpdaction', 'closeaction',
  'inactivity', 'modeconfig', 'xauth', 'xauth_identity', 'mediation', 'mediated_by', 'me_peerid', 'reqid',
  'replay_window', 'mark', 'mark_in', 'mark_out', 'set_mark_in', 'set_mark_out', 'if_id_in', 'if_id_out', 'tfc',
  'eap_identity', 'aaa_identity', 'mobike', 'forceencaps', 'keyexchange', 'fragmentation', 'ikedscp', 'hw_offload',
  'sha256_96', 'pfs', 'pfsgroup', 'eap', 'leftnexthop', 'rightnexthop', 'ikeport', 'copy_df', 'copy_ecn', 'copy_dscp',
  'priority', 'policy_priority', 'esn', 'ppk_id', 'ppk_required',
  // ca
  'cacert', 'ldaphost', 'ldapbase', 'crluri', 'crluri1', 'crluri2', 'ocspuri', 'ocspuri1', 'ocspuri2', 'certuribase',
  // left|right…
  ...['', 'ikeport', 'subnet', 'protoport', 'sourceip', 'natip', 'firewall', 'hostaccess', 'allowany', 'updown', 'id',
    'id2', 'auth', 'auth2', 'rsasigkey', 'sigkey', 'cert', 'cert2', 'certpolicy', 'sendcert', 'ca', 'ca2', 'groups',
    'groups2', 'dns', 'cert2'].flatMap((s) => [`left${s}`, `right${s}`]),
]);

/** Logged as "# deprecated keyword" and ignored (confread.c). */
export const STRONGSWAN_DEPRECATED: ReadonlySet<string> = new Set([
  'interfaces', 'dumpdir', 'charonstart', 'plutostart', 'klipsdebug', 'plutodebug', 'prepluto', 'postpluto',
  'plutostderrlog', 'fragicmp', 'packetdefault', 'hidetos', 'overridemtu', 'crlcheckinterval', 'nocrsend',
  'nat_traversal', 'keep_alive', 'force_keepalive', 'virtual_private', 'pkcs11module', 'pkcs11initargs',
  'pkcs11keepstate', 'pkcs11proxy', 'pfs', 'pfsgroup', 'eap', 'leftnexthop', 'rightnexthop',
]);

/** Keywords that take only yes/no (LST_bool in keywords.c). */
export const STRONGSWAN_BOOLEANS: ReadonlySet<string> = new Set([
  'forceencaps', 'mobike', 'compress', 'aggressive', 'reauth', 'rekey', 'installpolicy', 'cachecrls',
  'leftfirewall', 'rightfirewall', 'lefthostaccess', 'righthostaccess', 'leftallowany', 'rightallowany', 'mediation',
  'sha256_96', 'copy_df', 'copy_ecn', 'copy_dscp',
]);

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
