// Writes the generated part of the lint corpus (test/fixtures/lint/): one file per keyword of each
// ipsec.conf dialect (from the keyword tables in src/core/config/ipsec/, with values each tool
// accepts), wrong-section, unknown, obsolete and removed keywords, and the structure cases (x-
// comments, ca sections, BOM, CRLF, includes). Hand-written files (ok-real-…, swanctl, WireGuard,
// OpenVPN) are not touched. File names carry the verdict of the current release of the tool:
// ok-… accepted, ok-warn-… accepted with a warning from us, err-… refused. The lab tests feed every
// file to the real tools (test/lab/lintCorpusIpsec.test.ts).
//
// Run after `npm run compile-tests`: node scripts/generate-lint-corpus.mjs
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const ls = require(join(root, 'out/src/core/config/ipsec/libreswanKeywords.js'));
const ss = require(join(root, 'out/src/core/config/ipsec/strongswanKeywords.js'));

// Values each keyword takes (picked by running libreswan 4.10's addconn and strongSwan 5.9.8's
// starter on candidates), overridden by realistic ones where we know them.
const LIBRESWAN_VALUES = {
  '': '192.0.2.10', subnet: '10.1.0.0/24', subnets: '{10.1.0.0/24 10.2.0.0/24}', sourceip: '10.1.0.1', ikeport: '4500', vti: '10.9.0.1/30',
  nexthop: '%defaultroute', updown: '/usr/libexec/ipsec/_updown', id: '@peer.example', rsasigkey: '%cert', ecdsakey: '%cert', pubkey: '%cert',
  cert: 'peer-cert', ckaid: '0123456789abcdef0123456789abcdef01234567', sendcert: 'always', ca: '%same', xauthserver: 'yes', xauthclient: 'yes',
  modecfgserver: 'yes', modecfgclient: 'yes', username: 'alice', addresspool: '10.10.0.1-10.10.0.200', auth: 'secret', cat: 'yes',
  protoport: '17/1701', autheap: 'none', 'interface-ip': '10.9.0.1/30', 'updown-config': 'resolvconf', eddsakey: '%cert', groundhog: 'no',
  xauthusername: 'alice',
  auto: 'add', also: 'base', authby: 'secret', keyexchange: 'ikev2', ikev2: 'insist', type: 'tunnel', ike: 'aes256-sha2_256;modp2048',
  esp: 'aes256-sha2_256', ah: 'sha2_256', phase2: 'esp', phase2alg: 'aes256-sha2_256', pfs: 'yes', dpddelay: '30', dpdtimeout: '120',
  'ikev1-dpdtimeout': '120', encapsulation: 'yes', 'nat-keepalive': 'yes', fragmentation: 'yes', mobike: 'yes', narrowing: 'yes',
  ikelifetime: '8h', 'ipsec-lifetime': '1h', keylife: '1h', lifetime: '1h', salifetime: '1h', rekeymargin: '9m', rekeyfuzz: '100%',
  'retransmit-timeout': '60s', 'retransmit-interval': '500', mark: '42/0xffffffff', 'mark-in': '42', 'mark-out': '42', mtu: '1400',
  'vti-interface': 'vti0', 'ipsec-interface': '1', 'nic-offload': 'no', failureshunt: 'drop', negotiationshunt: 'hold', 'enable-tcp': 'fallback',
  'tcp-remoteport': '4500', 'nat-ikev1-method': 'both', sendca: 'issuer', hostaddrfamily: 'ipv4', 'replay-window': '64', metric: '10', priority: '100', reqid: '100', tfc: '1400',
  'remote-peer-type': 'cisco', remote_peer_type: 'cisco', xauthby: 'file', xauthfail: 'hard', modecfgdns: '10.10.0.1', modecfgdomains: 'example.net',
  modecfgbanner: 'welcome', modecfgpull: 'yes', 'sec-label': 'system_u:object_r:ipsec_spd_t:s0', 'policy-label': 'system_u:object_r:ipsec_spd_t:s0',
  connalias: 'office', 'nflog-group': '50', nflog: '50', clientaddrfamily: 'ipv4', keyingtries: '3', dpdaction: 'restart', forceencaps: 'yes',
  alsoflip: 'base', 'ppk-ids': 'ppk1', debug: 'base', 'encap-dscp': 'yes', 'decap-dscp': 'yes', 'session-resumption': 'yes', iptfs: 'yes',
  'iptfs-packet-size': '1400', 'iptfs-max-queue-size': '10000000', 'iptfs-reorder-window': '3', 'iptfs-init-delay': '0s', 'iptfs-drop-time': '1s',
  clones: '2', 'dns-match-id': 'yes',
  // config setup
  logfile: '/var/log/pluto.log', plutodebug: 'none', protostack: 'netkey', 'virtual-private': '%v4:10.0.0.0/8,%v4:!10.1.0.0/24',
  virtual_private: '%v4:10.0.0.0/8', listen: '192.0.2.1', nhelpers: '-1', uniqueids: 'yes', dumpdir: '/run/pluto', ipsecdir: '/etc/ipsec.d',
  nssdir: '/var/lib/ipsec/nss', secretsfile: '/etc/ipsec.secrets', 'keep-alive': '20', myvendorid: 'libreswan', 'ikev1-policy': 'drop',
  'ddos-mode': 'auto', 'ocsp-method': 'get', interfaces: '%defaultroute', syslog: 'daemon.error', plutostderrlog: '/var/log/pluto.log',
  'crl-timeout': '5s', 'curl-timeout': '5s', seccomp: 'disabled', 'expire-lifetime': '30s', xfrmlifetime: '30s', 'expire-shunt-interval': '20s',
  'dns-resolver': 'file', 'ipsec-interface-managed': 'yes', 'global-redirect': 'no', 'global-redirect-to': '192.0.2.50',
};
const STRONGSWAN_VALUES = {
  '': '192.0.2.10', subnet: '10.1.0.0/24', subnetwithin: '10.0.0.0/8', protoport: '17/1701', sourceip: '%config', id: '@peer.example',
  id2: '@user.example', auth: 'psk', auth2: 'xauth', rsasigkey: '%cert', sigkey: '%cert', cert: '/etc/ipsec.d/certs/peer.pem',
  cert2: '/etc/ipsec.d/certs/peer2.pem', certpolicy: '1.3.6.1.5.5.7.3.1', sendcert: 'always', ca: '%same', ca2: '%same', groups: 'staff',
  groups2: 'staff', dns: '10.10.0.1', updown: '/usr/lib/ipsec/_updown', ikeport: '4500', firewall: 'yes', hostaccess: 'no', allowany: 'no',
  nexthop: '%direct',
  also: 'base', auto: 'add', type: 'tunnel', keyexchange: 'ikev2', authby: 'psk', ike: 'aes256-sha256-modp2048!', esp: 'aes256-sha256!',
  ah: 'sha256', dpddelay: '30s', dpdtimeout: '150s', dpdaction: 'restart', closeaction: 'clear', inactivity: '1h', keylife: '1h', lifetime: '1h',
  ikelifetime: '3h', rekeymargin: '9m', margintime: '9m', lifebytes: '1000000', marginbytes: '1000', lifepackets: '1000000',
  marginpackets: '1000', keyingtries: '%forever', rekeyfuzz: '100%', mark: '42', mark_in: '42', mark_out: '42', tfc: '%mtu', reqid: '100',
  replay_window: '64', modeconfig: 'push', xauth: 'client', xauth_identity: 'alice', eap_identity: '%identity', aaa_identity: '@radius.example',
  me_peerid: '@peer.example', mediated_by: 'base', ikedscp: '000000', fragmentation: 'yes',
  charondebug: '"ike 1, knl 1"', uniqueids: 'yes', cachecrls: 'no', strictcrlpolicy: 'no',
  cacert: '/etc/ipsec.d/cacerts/ca.pem', crluri: 'http://crl.example/ca.crl', crluri1: 'http://crl.example/ca.crl',
  crluri2: 'http://crl2.example/ca.crl', ocspuri: 'http://ocsp.example', ocspuri1: 'http://ocsp.example', ocspuri2: 'http://ocsp2.example',
  certuribase: 'http://certs.example/',
};

const LIB_DIR = join(root, 'test/fixtures/lint/libreswan');
const SS_DIR = join(root, 'test/fixtures/lint/strongswan/ipsec');

function clean(dir) {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.includes('-kw-') || f.includes('-gen-')) rmSync(join(dir, f));
}

const slug = (s) => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'host';

function libreswanValue(k) {
  const key = k.leftright ? k.name : k.name;
  return LIBRESWAN_VALUES[key] ?? 'yes';
}

const LS_BASE = 'conn base\n\tleft=192.0.2.1\n\tright=198.51.100.1\n\tauthby=secret\n\tauto=ignore\n';
const LS_CONN = (extra) => `${LS_BASE}\nconn office\n\tleft=192.0.2.1\n\tright=198.51.100.1\n\tauthby=secret\n\tdpddelay=30\n${extra}\tauto=add\n`;

function writeLibreswan() {
  clean(LIB_DIR);
  const out = {};
  const current = ls.LIBRESWAN_CURRENT;
  for (const k of ls.LIBRESWAN_KEYWORDS) {
    const names = k.leftright ? [`left${k.name}`, `right${k.name}`] : [k.name];
    for (const name of names) {
      if (k.leftright && name.startsWith('right') && k.name !== '') continue; // one end is enough, left= and right= both
      const status = ls.libreswanKeyStatus(name, k.section, current);
      const prefix = status.kind === 'ok' ? 'ok' : status.kind === 'obsolete' ? 'ok-warn' : 'err';
      const value = name === 'left' ? '192.0.2.1' : name === 'right' ? '198.51.100.1' : libreswanValue(k);
      const line = `\t${name}=${value}\n`;
      const text = k.section === 'setup'
        ? `# libreswan: ${name}= in config setup\nconfig setup\n${line}\n${LS_CONN('')}`
        : name === 'left' || name === 'right'
          ? `# libreswan: ${name}=\n${LS_BASE}\nconn office\n\t${name === 'left' ? 'right' : 'left'}=198.51.100.9\n${line}\tauthby=secret\n\tdpddelay=30\n\tauto=add\n`
          : `# libreswan: ${name}=\n${LS_CONN(line)}`;
      out[`${prefix}-kw-${slug(name)}.conf`] = text;
      // The same keyword in the other section.
      const other = k.section === 'setup' ? 'conn' : 'setup';
      if (!k.leftright || name === 'left') {
        const wrong = ls.libreswanKeyStatus(name, other, current);
        const wp = wrong.kind === 'ok' ? 'ok' : wrong.kind === 'obsolete' ? 'ok-warn' : 'err';
        out[`${wp}-kw-${slug(name)}-in-${other}.conf`] = other === 'setup'
          ? `# libreswan: ${name}= in config setup, where it does not belong\nconfig setup\n${line}\n${LS_CONN('')}`
          : `# libreswan: ${name}= in a conn, where it does not belong\n${LS_CONN(line)}`;
      }
    }
  }
  // Keys that never were, or are no more.
  for (const name of Object.keys(ls.LIBRESWAN_RETIRED)) {
    out[`err-kw-retired-${slug(name)}.conf`] = `# libreswan: ${name}= (Openswan / old libreswan)\n${name === 'keep_alive' || name === 'force_keepalive' || name === 'nat_traversal' || name === 'nat-traversal' || name === 'klipsdebug' || name === 'plutorestartoncrash' || name === 'oe' || name === 'strictcrlpolicy' || name === 'overridemtu' ? `config setup\n\t${name}=yes\n\n${LS_CONN('')}` : LS_CONN(`\t${name}=yes\n`)}`;
  }
  for (const [name, value] of [['dpddelayy', '30'], ['leftsubnett', '10.0.0.0/8'], ['keyexchang', 'ikev2'], ['encapsulate', 'yes'], ['left_subnet', '10.0.0.0/8'], ['nat-keep-alive', 'yes']]) {
    out[`err-kw-unknown-${slug(name)}.conf`] = `# libreswan: a misspelt keyword\n${LS_CONN(`\t${name}=${value}\n`)}`;
  }
  out['ok-kw-uppercase-AUTHBY.conf'] = `# libreswan compares keywords case-insensitively\n${LS_CONN('\tIKEv2=insist\n\tLeftID=@office.example\n')}`;
  out['ok-kw-left-dash-subnet.conf'] = `# libreswan 5.3 reads left-subnet= as leftsubnet=\n${LS_CONN('\tleft-subnet=10.1.0.0/24\n')}`;
  // Structure.
  out['ok-gen-x-comments.conf'] = `# Openswan-style x- comment lines are ignored\nconfig setup\n\tx-note=kept for the old tooling\n${LS_BASE}\nconn office\n\tleft=192.0.2.1\n\tright=198.51.100.1\n\tX-owner=network team\n\tx_ticket=4711\n\tauthby=secret\n\tdpddelay=30\n\tauto=add\n`;
  out['ok-gen-x-comment-no-value.conf'] = `# libreswan 5.1 and later ignore a bare x- comment too\n${LS_CONN('\tx-legacy\n')}`;
  out['err-gen-x-comment-at-column-0.conf'] = `x-note=outside any section\n${LS_CONN('')}`;
  out['err-gen-ca-section.conf'] = `# "ca" sections are strongSwan's\nca office-ca\n\tcacert=/etc/ipsec.d/cacerts/ca.pem\n\tauto=add\n\n${LS_CONN('')}`;
  out['err-gen-bom.conf'] = `\uFEFF${LS_CONN('')}`;
  out['err-gen-crlf.conf'] = `config setup\n\tprotostack=netkey\n${LS_CONN('')}`.replace(/\n/g, '\r\n');
  out['ok-gen-version-line.conf'] = `version 2.0\n\n${LS_CONN('')}`;
  out['ok-gen-include-missing.conf'] = `config setup\n\tprotostack=netkey\n\ninclude /etc/ipsec.d/nonexistent-*.conf\n\n${LS_CONN('')}`;
  out['ok-gen-comments-and-blank-lines.conf'] = `# comment\n\n   # indented comment\nconfig setup\n\t# inside\n\tlogfile=/var/log/pluto.log\n\n${LS_CONN('\t# comment in a conn\n')}`;
  out['ok-gen-quoted-values.conf'] = `${LS_CONN('\tleftid="@office.example"\n\tmodecfgbanner="welcome to the office"\n')}`;
  out['ok-gen-default-conn.conf'] = `conn %default\n\tikelifetime=8h\n\tkeyingtries=3\n\n${LS_CONN('\talso=base\n')}`.replace('keyingtries=3', 'ikev2=insist');
  out['err-gen-also-in-default.conf'] = `conn %default\n\talso=base\n\n${LS_CONN('')}`;
  out['err-gen-unindented-parameter.conf'] = `${LS_CONN('')}dpddelay=30\n`;
  out['err-gen-config-not-setup.conf'] = `config other\n\tprotostack=netkey\n\n${LS_CONN('')}`;
  return out;
}

const SS_BASE = 'conn base\n\tleft=192.0.2.1\n\tright=198.51.100.1\n\tauthby=psk\n\tauto=ignore\n';
const SS_CONN = (extra) => `${SS_BASE}\nconn office\n\tleft=192.0.2.1\n\tright=198.51.100.1\n\tauthby=psk\n\tdpddelay=30s\n\tdpdaction=restart\n${extra}\tauto=add\n`;

function strongswanValue(name) {
  const suffix = /^(left|right)/.test(name) ? name.replace(/^(left|right)/, '') : undefined;
  if (suffix !== undefined && STRONGSWAN_VALUES[suffix] !== undefined && !['auth', 'ca'].includes(name)) return STRONGSWAN_VALUES[suffix];
  return STRONGSWAN_VALUES[name] ?? 'yes';
}

function writeStrongswan() {
  clean(SS_DIR);
  const out = {};
  for (const [section, set] of Object.entries(ss.STRONGSWAN_SECTION_KEYWORDS)) {
    for (const name of set) {
      if (section === 'conn' && name.startsWith('right') && name !== 'right') continue;
      const deprecated = ss.STRONGSWAN_DEPRECATED.has(name);
      const prefix = deprecated ? 'ok-warn' : 'ok';
      const value = name === 'left' ? '192.0.2.1' : name === 'right' ? '198.51.100.1' : strongswanValue(name);
      const line = `\t${name}=${value}\n`;
      let text;
      if (section === 'setup') text = `# strongSwan: ${name}= in config setup\nconfig setup\n${line}\n${SS_CONN('')}`;
      else if (section === 'ca') text = `# strongSwan: ${name}= in a ca section\nca base\n\tcacert=/etc/ipsec.d/cacerts/base.pem\n\tauto=ignore\n\nca office\n\tcacert=/etc/ipsec.d/cacerts/ca.pem\n${name === 'cacert' || name === 'auto' ? '' : line}\tauto=add\n\n${SS_CONN('')}`;
      else if (name === 'left' || name === 'right') text = `# strongSwan: ${name}=\n${SS_BASE}\nconn office\n\t${name === 'left' ? 'right' : 'left'}=198.51.100.9\n${line}\tauthby=psk\n\tdpddelay=30s\n\tdpdaction=restart\n\tauto=add\n`;
      else text = `# strongSwan: ${name}=\n${SS_CONN(line)}`;
      out[`${prefix}-kw-${section}-${slug(name)}.conf`] = text;
      // The same keyword in another section.
      const other = section === 'setup' ? 'conn' : 'setup';
      if (section !== 'ca' && (!name.startsWith('left') || name === 'left') && !ss.STRONGSWAN_SECTION_KEYWORDS[other].has(name)) {
        out[`err-kw-${section}-${slug(name)}-in-${other}.conf`] = other === 'setup'
          ? `# strongSwan: the conn keyword ${name}= in config setup\nconfig setup\n${line}\n${SS_CONN('')}`
          : `# strongSwan: the setup keyword ${name}= in a conn\n${SS_CONN(line)}`;
      }
    }
  }
  for (const [name, value] of [['dpdelay', '30s'], ['leftsubnett', '10.0.0.0/8'], ['ikev2', 'insist'], ['encapsulation', 'yes'], ['esn', 'yes'], ['LEFT', '192.0.2.1'], ['left-subnet', '10.0.0.0/8'], ['x-note', 'hello']]) {
    out[`ok-warn-kw-unknown-${slug(name)}.conf`] = `# strongSwan logs "unknown keyword" and skips the line\n${SS_CONN(`\t${name}=${value}\n`)}`;
  }
  for (const [name, values] of Object.entries(ss.STRONGSWAN_ENUMS)) {
    if (name.startsWith('right')) continue;
    const bad = { auto: 'ondemand', authby: 'null', keyexchange: 'IKEv2', fragmentation: 'insist', dpdaction: 'trap', leftsendcert: 'sendifasked', uniqueids: 'sure', strictcrlpolicy: 'maybe', type: 'bogus', closeaction: 'trap' }[name] ?? 'true';
    const inSetup = ss.STRONGSWAN_SECTION_KEYWORDS.setup.has(name) && !ss.STRONGSWAN_SECTION_KEYWORDS.conn.has(name);
    out[`err-kw-value-${slug(name)}-${slug(bad)}.conf`] = inSetup
      ? `# strongSwan takes ${values.join('|')} for ${name}\nconfig setup\n\t${name}=${bad}\n\n${SS_CONN('')}`
      : `# strongSwan takes ${values.join('|')} for ${name}\n${SS_CONN(`\t${name}=${bad}\n`).replace(name === 'auto' ? '\tauto=add\n' : '\0', '')}`;
  }
  out['ok-gen-ca-and-conn.conf'] = `ca office-ca\n\tcacert=/etc/ipsec.d/cacerts/ca.pem\n\tcrluri=http://crl.example/ca.crl\n\tauto=add\n\n${SS_CONN('')}`;
  out['err-gen-bom.conf'] = `\uFEFF${SS_CONN('')}`;
  out['err-gen-crlf-auto.conf'] = `config setup\n\tcharondebug="ike 1"\n${SS_CONN('')}`.replace(/\n/g, '\r\n');
  out['ok-gen-version-line.conf'] = `version 2.0\n\n${SS_CONN('')}`;
  out['ok-gen-include-missing.conf'] = `include /var/lib/strongswan/nonexistent.conf.inc\n\n${SS_CONN('')}`;
  out['err-gen-x-comment-no-value.conf'] = `# strongSwan stops at a line without "="\n${SS_CONN('\tx-legacy\n')}`;
  out['err-gen-unindented-parameter.conf'] = `${SS_CONN('')}dpddelay=30s\n`;
  out['ok-gen-comments.conf'] = `# comment\nconfig setup\n\t# inside\n\tcharondebug="ike 2"\n\n${SS_CONN('\t# comment in a conn\n')}`;
  return out;
}

function write(dir, files) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return Object.keys(files).length;
}

const nl = write(LIB_DIR, writeLibreswan());
const ns = write(SS_DIR, writeStrongswan());
console.log(`wrote ${nl} libreswan and ${ns} strongSwan ipsec.conf files`);
