// libreswan's ipsec.conf keywords, with the releases that added, obsoleted and removed them. Read
// from libreswan's own tables (lib/libswan/ipsecconf/conn.c and setup.c, 5.x; lib/libipsecconf/
// keywords.c, 4.x), its CHANGES file, and checked against Debian's libreswan 4.10
// (`ipsec addconn --checkconfig`, test/lab/lintCorpusLibreswan.test.ts).
//
// How addconn reads a line (5.x parser.y, scanner.lex): a key is matched case-insensitively against
// the table of its section ("config setup" or "conn"); a left/right keyword is "left" or "right",
// an optional "-" (5.3), then the name. A key no table holds stops addconn ("unrecognized conn
// keyword"): the whole file is refused. An obsolete keyword is logged and ignored. Keys starting
// "x-"/"x_" (any case) are comments: ignored with a warning since 5.1.

export type LibreswanSection = 'setup' | 'conn';

export interface LibreswanKeyword {
  name: string;
  section: LibreswanSection;
  /** Takes a "left" or "right" prefix (leftsubnet=, rightid=); "" is left= / right= itself. */
  leftright?: true;
  /**
   * First release that accepts it. Unset: 4.10 or older (our oldest reference). A bare major ("5")
   * means a release of that series we did not pin down (e.g. missing from 4.10, present in 5.3).
   */
  since?: string;
  /** From this release on it is accepted but ignored ("obsolete keyword ignored"). */
  obsolete?: string;
  /** From this release on it is unknown again, so addconn refuses the file. */
  removed?: string;
  /** The keyword it is an alias of (same meaning, kept for old files). */
  aliasOf?: string;
  /** A conn keyword that 4.x also accepted in config setup (checked with 4.10). */
  setupBefore5?: true;
}

/** The release whose behaviour the linter reports: the newest libreswan release (July 2025). */
export const LIBRESWAN_CURRENT = '5.3';

const conn = (name: string, extra: Partial<LibreswanKeyword> = {}): LibreswanKeyword => ({ name, section: 'conn', ...extra });
const end = (name: string, extra: Partial<LibreswanKeyword> = {}): LibreswanKeyword => ({ name, section: 'conn', leftright: true, ...extra });
const setup = (name: string, extra: Partial<LibreswanKeyword> = {}): LibreswanKeyword => ({ name, section: 'setup', ...extra });

export const LIBRESWAN_KEYWORDS: readonly LibreswanKeyword[] = [
  // left=/right= and the other per-end keywords
  end(''), end('subnet'), end('subnets'), end('sourceip'), end('ikeport'), end('interface-ip', { since: '5.0' }), end('vti'),
  end('nexthop'), end('updown'), end('updown-config', { since: '5' }), end('id'), end('rsasigkey'), end('ecdsakey'),
  end('eddsakey', { since: '5' }), end('pubkey'), end('cert'), end('ckaid'), end('sendcert'), end('ca'), end('xauthserver'),
  end('xauthclient'), end('modecfgserver'), end('modecfgclient'), end('username'), end('addresspool'), end('auth'), end('cat'),
  end('protoport'), end('autheap'), end('groundhog', { since: '5.0' }),
  end('xauthusername', { aliasOf: 'username' }),

  // conn keywords
  conn('debug', { since: '5.0' }), conn('auto'), conn('also'), conn('alsoflip', { removed: '5' }), conn('hostaddrfamily'),
  conn('authby'), conn('keyexchange'), conn('ikev2'), conn('ppk'), conn('ppk-ids', { since: '5.0' }), conn('intermediate'),
  conn('esn'), conn('decap-dscp'), conn('encap-dscp', { since: '5.0' }), conn('nopmtudisc'), conn('fragmentation'),
  conn('mobike'), conn('narrowing'), conn('pam-authorize'), conn('send-redirect'), conn('redirect-to'),
  conn('accept-redirect'), conn('accept-redirect-to'), conn('pfs'), conn('session-resumption', { since: '5.2' }),
  conn('nat-keepalive'), conn('initial-contact'), conn('send-esp-tfc-padding-not-supported', { since: '5' }),
  conn('send-no-esp-tfc', { aliasOf: 'send-esp-tfc-padding-not-supported' }),
  conn('reject-simultaneous-ike-auth', { since: '5' }), conn('iptfs', { since: '5.2' }),
  conn('iptfs-fragmentation', { since: '5.2' }), conn('iptfs-packet-size', { since: '5.2' }),
  conn('iptfs-max-queue-size', { since: '5.2' }), conn('iptfs-reorder-window', { since: '5.2' }),
  conn('iptfs-init-delay', { since: '5.2' }), conn('iptfs-drop-time', { since: '5.2' }), conn('fake-strongswan'),
  conn('send-vendorid'), conn('sha2-truncbug'), conn('share-lease', { since: '5.3' }), conn('ms-dh-downgrade'),
  conn('pfs-rekey-workaround', { since: '5' }), conn('require-id-on-certificate'), conn('dns-match-id', { since: '5' }),
  conn('ipsec-max-bytes', { setupBefore5: true }), conn('ipsec-max-packets', { setupBefore5: true }), conn('ipsec-lifetime'),
  conn('keylife', { aliasOf: 'ipsec-lifetime' }), conn('lifetime', { aliasOf: 'ipsec-lifetime' }),
  conn('salifetime', { aliasOf: 'ipsec-lifetime' }), conn('retransmit-timeout'), conn('retransmit-interval'),
  conn('ikepad'), conn('nat-ikev1-method'), conn('sec-label'), conn('policy-label', { aliasOf: 'sec-label' }),
  conn('remote-peer-type'), conn('remote_peer_type', { aliasOf: 'remote-peer-type' }), conn('nm-configured'),
  conn('cisco-unity'), conn('cisco-split', { since: '5.3' }), conn('xauthby'), conn('xauthfail'), conn('modecfgpull'),
  conn('modecfgdns'), conn('modecfgdomains'), conn('modecfgbanner'), conn('ignore-peer-dns'), conn('mark'), conn('mark-in'),
  conn('mark-out'), conn('vti-interface'), conn('vti-routing'), conn('vti-shared'), conn('ipsec-interface'),
  conn('clones', { since: '5' }), conn('nic-offload'), conn('encapsulation'), conn('overlapip'), conn('reauth'), conn('rekey'),
  conn('rekeymargin'), conn('rekeyfuzz'), conn('replay-window'), conn('ikelifetime'), conn('type'),
  conn('failureshunt'), conn('negotiationshunt'), conn('enable-tcp'), conn('tcp-remoteport'), conn('connalias'), conn('ike'),
  conn('esp'), conn('ah'), conn('phase2'), conn('phase2alg'), conn('compress'), conn('metric'), conn('dpddelay'),
  conn('ikev1-dpdtimeout', { since: '5' }), conn('dpdtimeout', { aliasOf: 'ikev1-dpdtimeout' }), conn('sendca'),
  conn('mtu'), conn('priority'), conn('tfc'), conn('reqid'), conn('nflog-group', { since: '5' }),
  conn('nflog', { aliasOf: 'nflog-group' }), conn('aggressive'), conn('aggrmode', { aliasOf: 'aggressive' }),
  conn('dpdaction', { obsolete: '5.0' }), conn('keyingtries', { obsolete: '5.0' }), conn('clientaddrfamily', { obsolete: '5.0' }),
  conn('forceencaps', { obsolete: '4', removed: '5.0' }),

  // config setup
  setup('ikev1-policy'), setup('curl-iface'), setup('myvendorid'), setup('plutodebug'), setup('logfile'), setup('logtime'),
  setup('logappend'), setup('logip'), setup('audit-log'), setup('dnssec-enable'), setup('dnssec-rootkey-file'),
  setup('dnssec-anchors'), setup('dumpdir'), setup('ipsecdir'), setup('nssdir'), setup('secretsfile'), setup('statsbin'),
  setup('uniqueids'), setup('shuntlifetime'), setup('global-redirect'), setup('global-redirect-to'), setup('crl-strict'),
  setup('crlcheckinterval'), setup('crl-timeout', { since: '5' }), setup('curl-timeout', { aliasOf: 'crl-timeout' }),
  setup('ocsp-strict'), setup('ocsp-enable'), setup('ocsp-uri'), setup('ocsp-timeout'), setup('ocsp-trustname'),
  setup('ocsp-cache-size'), setup('ocsp-cache-min-age'), setup('ocsp-cache-max-age'), setup('ocsp-method'),
  setup('seccomp', { since: '5' }), setup('ddos-mode'), setup('ddos-ike-threshold'), setup('max-halfopen-ike'),
  setup('ike-socket-bufsize'), setup('ike-socket-errqueue'), setup('expire-lifetime', { since: '5' }),
  setup('xfrmlifetime', { aliasOf: 'expire-lifetime' }), setup('virtual-private'), setup('seedbits'), setup('keep-alive'),
  setup('listen-tcp'), setup('listen-udp'), setup('listen'), setup('protostack'), setup('nhelpers'), setup('drop-oppo-null'),
  setup('expire-shunt-interval', { since: '5' }), setup('dns-resolver', { since: '5' }),
  setup('ipsec-interface-managed', { since: '5.2' }), setup('nflog-all'),
  setup('syslog', { obsolete: '5.0' }), setup('plutostderrlog', { obsolete: '5.3' }),
  setup('virtual_private', { obsolete: '5.3' }), setup('interfaces', { obsolete: '4.8' }),
  setup('ikev1-secctx-attr-type', { obsolete: '5.0' }), setup('secctx-attr-type', { obsolete: '5.0' }),
];

/**
 * Keywords of Openswan and old libreswan releases that 4.10 and later refuse (checked with 4.10),
 * with what replaced them where something did.
 */
export const LIBRESWAN_RETIRED: Readonly<Record<string, { successor?: string; why: string }>> = {
  nat_traversal: { why: 'NAT traversal is always on' },
  'nat-traversal': { why: 'NAT traversal is always on (the old keyword was nat_traversal)' },
  keep_alive: { successor: 'keep-alive', why: 'the keyword is written keep-alive (in config setup)' },
  force_keepalive: { why: 'NAT-T keepalives are sent by default (nat-keepalive=yes)' },
  plutorestartoncrash: { why: 'the init system restarts pluto' },
  'ike-frag': { successor: 'fragmentation', why: 'it is called fragmentation' },
  ike_frag: { successor: 'fragmentation', why: 'it is called fragmentation' },
  initial_contact: { successor: 'initial-contact', why: 'the keyword is written initial-contact' },
  sha2_truncbug: { successor: 'sha2-truncbug', why: 'the keyword is written sha2-truncbug' },
  nat_keepalive: { successor: 'nat-keepalive', why: 'the keyword is written nat-keepalive' },
  oe: { why: 'opportunistic encryption is configured with policy files in /etc/ipsec.d/policies' },
  klipsdebug: { why: 'the KLIPS kernel stack is gone' },
  overridemtu: { why: 'set mtu= in the conn instead' },
  strictcrlpolicy: { successor: 'crl-strict', why: 'it is called crl-strict' },
};

function parseVersion(v: string): number[] {
  return v.split('.').map((p) => Number(p));
}

/** a >= b for dotted versions ("5" means 5.0). */
export function versionAtLeast(a: string, b: string): boolean {
  const x = parseVersion(a);
  const y = parseVersion(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

const BY_NAME = new Map<string, LibreswanKeyword>();
const ENDS: LibreswanKeyword[] = [];
for (const k of LIBRESWAN_KEYWORDS) {
  if (k.leftright) ENDS.push(k);
  else BY_NAME.set(k.name, k);
}

export interface LibreswanKeyMatch {
  keyword: LibreswanKeyword;
  /** "left"/"right" for a per-end keyword. */
  end?: 'left' | 'right';
  /** The "left-name" spelling (5.3 and later). */
  dashed?: boolean;
}

/** The table entry a key names, whatever the release (case-insensitive, as addconn compares). */
export function findLibreswanKeyword(key: string): LibreswanKeyMatch | undefined {
  const lower = key.toLowerCase();
  const plain = BY_NAME.get(lower);
  if (plain) return { keyword: plain };
  const m = /^(left|right)(-?)(.*)$/.exec(lower);
  if (!m) return undefined;
  const name = m[3] as string;
  const keyword = ENDS.find((k) => k.name === name);
  if (!keyword || (m[2] === '-' && name === '')) return undefined;
  return { keyword, end: m[1] as 'left' | 'right', dashed: m[2] === '-' };
}

/** A key addconn treats as a comment ("X- style comment ignored"). */
export function isLibreswanCommentKey(key: string): boolean {
  return /^[Xx][-_][^"= \t]+$/.test(key);
}

export type LibreswanKeyStatus =
  | { kind: 'ok'; match: LibreswanKeyMatch }
  | { kind: 'obsolete'; match: LibreswanKeyMatch; since: string }
  | { kind: 'not-yet'; match: LibreswanKeyMatch; since: string }
  | { kind: 'removed'; match: LibreswanKeyMatch; removed: string }
  | { kind: 'wrong-section'; match: LibreswanKeyMatch }
  | { kind: 'unknown' };

/** What libreswan `version` does with `key` in a section of kind `section`. */
export function libreswanKeyStatus(key: string, section: LibreswanSection, version = LIBRESWAN_CURRENT): LibreswanKeyStatus {
  const match = findLibreswanKeyword(key);
  if (!match) return { kind: 'unknown' };
  const k = match.keyword;
  if (k.since && !versionAtLeast(version, k.since)) return { kind: 'not-yet', match, since: k.since };
  if (match.dashed && !versionAtLeast(version, '5.3')) return { kind: 'not-yet', match, since: '5.3' };
  if (k.removed && versionAtLeast(version, k.removed)) return { kind: 'removed', match, removed: k.removed };
  if (k.section !== section) {
    // Before 5.0 one table served both sections and a conn accepted setup keywords (checked with
    // 4.10); config setup took conn keywords only when marked ("unexpected keyword … in section
    // 'config setup'" otherwise).
    if (!((k.section === 'setup' || k.setupBefore5) && !versionAtLeast(version, '5.0'))) return { kind: 'wrong-section', match };
  }
  if (k.obsolete && versionAtLeast(version, k.obsolete)) return { kind: 'obsolete', match, since: k.obsolete };
  return { kind: 'ok', match };
}

/**
 * Values that only some releases accept (checked at parse time by addconn): keyexchange= took only
 * "ike" before 5.0 ("keyword keyexchange, invalid value: ikev2" with 4.10).
 */
export function libreswanValueSince(key: string, value: string): string | undefined {
  if (key.toLowerCase() === 'keyexchange' && /^ikev[12]$/.test(value)) return '5.0';
  return undefined;
}

/** Every spelling a user may write (for completion and "did you mean"). */
export function libreswanKeywordNames(section?: LibreswanSection): string[] {
  const out: string[] = [];
  for (const k of LIBRESWAN_KEYWORDS) {
    if (section && k.section !== section) continue;
    if (k.removed) continue;
    if (k.leftright) out.push(`left${k.name}`, `right${k.name}`);
    else out.push(k.name);
  }
  return out;
}
