// Which VPN language a file is: the one sniffer, used by the editor (language detection), the
// CLI's lint and the probe's `--config`. File names first (the same patterns package.json
// contributes, so an unrelated *.conf is never claimed), then a content sniff that must be
// confident: several lines that only that format has.
import type { LanguageId } from './languages';

/** The file patterns contributed to VS Code; kept here so tests can check package.json agrees. */
export const LANGUAGE_FILE_PATTERNS: Readonly<Record<LanguageId, { extensions: string[]; filenames: string[]; filenamePatterns: string[] }>> = {
  wireguard: { extensions: [], filenames: [], filenamePatterns: ['wg[0-9]*.conf', '**/wireguard/**/*.conf'] },
  openvpn: { extensions: ['.ovpn'], filenames: [], filenamePatterns: ['**/openvpn/**/*.conf'] },
  strongswan: { extensions: [], filenames: ['ipsec.conf', 'swanctl.conf'], filenamePatterns: ['**/swanctl/**/*.conf', '**/strongswan/**/*.conf'] },
  libreswan: { extensions: [], filenames: [], filenamePatterns: ['**/ipsec.d/*.conf', '**/libreswan/**/*.conf'] },
};

function normalise(path: string): string {
  return path.replace(/\\/g, '/');
}

/** By path alone; undefined when the name says nothing. */
export function languageFromFileName(fileName: string): LanguageId | undefined {
  const path = normalise(fileName);
  const base = path.split('/').pop() ?? path;
  const dirs = path.split('/').slice(0, -1).map((d) => d.toLowerCase());
  if (base.toLowerCase().endsWith('.ovpn')) return 'openvpn';
  if (!base.endsWith('.conf')) return undefined;
  if (/^wg[0-9]/.test(base) && /^wg[0-9][^/]*\.conf$/.test(base)) return 'wireguard';
  if (dirs.includes('wireguard')) return 'wireguard';
  if (dirs.includes('openvpn')) return 'openvpn';
  if (base === 'swanctl.conf' || dirs.includes('swanctl') || dirs.includes('strongswan')) return 'strongswan';
  if (dirs.includes('ipsec.d') || dirs.includes('libreswan')) return 'libreswan';
  if (base === 'ipsec.conf') return 'strongswan';
  return undefined;
}

const OPENVPN_DIRECTIVES = /^[ \t]*(client|remote|dev|proto|ca|cert|key|tls-auth|tls-crypt|cipher|data-ciphers|auth-user-pass|nobind|persist-tun|persist-key|remote-cert-tls|verb|keepalive|server|ifconfig-pool-persist|push|resolv-retry|comp-lzo|redirect-gateway|<ca>|<cert>|<key>|<tls-auth>|<tls-crypt>)([ \t]|$)/;
// Hyphenated `nat-traversal` and `keep-alive` are libreswan's spellings (strongSwan writes them
// with underscores); `dpdaction` exists in both, so it decides nothing.
const LIBRESWAN_ONLY = /^[ \t]+(nat-traversal|keep-alive|ikev2|encapsulation|nat-keepalive|virtual-private|protostack|ikev1-policy|logfile|narrowing|sha2-truncbug|pfs|phase2|phase2alg|keyingtries|salifetime|retransmit-interval|authby=secret|leftrsasigkey|rightrsasigkey|nat-ikev1-method)[ \t]*=/;
const STRONGSWAN_ONLY = /^[ \t]+(keyexchange|leftauth|rightauth|leftsourceip|eap_identity|charondebug|forceencaps|fragmentation|reauth|leftsendcert)[ \t]*=/;

/** How much of the head of a file the content sniff reads by default. */
const SNIFF_CHARS = 65536;

/**
 * The language of a file from its name, else from its content. `sniffBytes` bounds the content
 * scan so a huge file costs nothing.
 */
export function detectLanguage(fileName: string, text: string, sniffBytes = SNIFF_CHARS): LanguageId | undefined {
  const head = text.slice(0, sniffBytes);
  const byName = languageFromFileName(fileName);
  if (byName === 'strongswan' && (normalise(fileName).split('/').pop() ?? '') === 'ipsec.conf') {
    // ipsec.conf is shared by strongSwan and libreswan: the keywords decide.
    return sniffIpsecFlavour(head);
  }
  if (byName) return byName;
  const base = normalise(fileName).split('/').pop() ?? '';
  if (base !== '' && !/\.(conf|cfg|txt)$/i.test(base) && base.includes('.')) return undefined;
  return sniffContent(head, sniffBytes);
}

function sniffIpsecFlavour(head: string): LanguageId {
  let libre = 0;
  let strong = 0;
  for (const line of head.split('\n')) {
    if (LIBRESWAN_ONLY.test(line)) libre++;
    if (STRONGSWAN_ONLY.test(line)) strong++;
  }
  return libre > strong ? 'libreswan' : 'strongswan';
}

/** Content alone (the first `sniffBytes` of it): needs structure, not one stray word. */
export function sniffContent(text: string, sniffBytes = SNIFF_CHARS): LanguageId | undefined {
  const head = text.slice(0, sniffBytes);
  const lines = head.split('\n');
  let wgHeaders = 0;
  let wgKeys = 0;
  let ovpn = 0;
  let conn = 0;
  let ipsecParams = 0;
  let swanctl = false;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    // As wg reads a line (config.c): a comment runs from the first "#", whitespace is dropped.
    const hash = t.indexOf('#');
    const lower = (hash < 0 ? t : t.slice(0, hash)).replace(/\s+/g, '').toLowerCase();
    if (lower === '[interface]' || lower === '[peer]') wgHeaders++;
    else if (/^(privatekey|publickey|allowedips|endpoint|persistentkeepalive|listenport|presharedkey)=/.test(lower)) wgKeys++;
    if (OPENVPN_DIRECTIVES.test(line)) ovpn++;
    if (/^(conn\s+\S+|config\s+setup)\s*$/.test(line)) conn++;
    if (/^\s+(left|right|auto|ike|esp|authby|type)\w*\s*=/.test(line)) ipsecParams++;
    if (/^\s*connections\s*\{/.test(line)) swanctl = true;
  }
  if (wgHeaders >= 1 && wgKeys >= 1) return 'wireguard';
  if (swanctl) return 'strongswan';
  if (conn >= 1 && ipsecParams >= 1) return sniffIpsecFlavour(head);
  if (ovpn >= 3) return 'openvpn';
  return undefined;
}
