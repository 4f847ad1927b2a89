// Which VPN language a file is: the one sniffer, used by the editor (language detection), the
// CLI's lint and the probe's `--config`. File names first (the same patterns package.json
// contributes, so an unrelated *.conf is never claimed), then a content sniff that must be
// confident: several lines that only that format has.
import type { LanguageId } from './languages';
import { findLibreswanKeyword, isLibreswanCommentKey, LIBRESWAN_RETIRED } from './ipsec/libreswanKeywords';
import { STRONGSWAN_KEYWORDS } from './ipsec/strongswanKeywords';

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
/** How much of the head of a file the content sniff reads by default. */
const SNIFF_CHARS = 65536;

/** The folder names that say which IPsec implementation a file belongs to. */
function ipsecDialectByFolder(fileName: string): IpsecDialect | undefined {
  const dirs = normalise(fileName).split('/').slice(0, -1).map((d) => d.toLowerCase());
  if (dirs.includes('strongswan') || dirs.includes('swanctl')) return 'strongswan';
  if (dirs.includes('libreswan') || dirs.includes('ipsec.d')) return 'libreswan';
  return undefined;
}

/**
 * The language of a file from its name, else from its content. `sniffBytes` bounds the content
 * scan so a huge file costs nothing.
 */
export function detectLanguage(fileName: string, text: string, sniffBytes = SNIFF_CHARS): LanguageId | undefined {
  const head = text.slice(0, sniffBytes);
  const byName = languageFromFileName(fileName);
  if (byName === 'strongswan' && (normalise(fileName).split('/').pop() ?? '') === 'ipsec.conf' && !ipsecDialectByFolder(fileName)) {
    // ipsec.conf is shared by strongSwan and libreswan: unless a folder says which, the content decides.
    return guessIpsecDialect(head).dialect;
  }
  if (byName) return byName;
  const base = normalise(fileName).split('/').pop() ?? '';
  if (base !== '' && !/\.(conf|cfg|txt)$/i.test(base) && base.includes('.')) return undefined;
  return sniffContent(head, sniffBytes);
}

export type IpsecDialect = 'strongswan' | 'libreswan';

export interface IpsecDialectEvidence {
  /** 1-based line. */
  line: number;
  /** What on the line decides (a keyword, "key=value", a section header), as written. */
  what: string;
  says: IpsecDialect;
  why: string;
  weight: number;
}

export interface IpsecDialectGuess {
  dialect: IpsecDialect;
  /** One sentence: which dialect and why (the best evidence), for the CLI and the editor. */
  reason: string;
  /** The evidence part of the reason alone ("line 4: …"), empty when there is none. */
  because: string;
  evidence: IpsecDialectEvidence[];
}

/** Values of keywords both know that only one of them accepts (checked against each tool). */
const VALUE_EVIDENCE: readonly { key: RegExp; value: RegExp; says: IpsecDialect; why: string }[] = [
  { key: /^auto$/i, value: /^(ondemand|keep|up)$/, says: 'libreswan', why: 'auto=ondemand/keep is libreswan\'s (strongSwan ignores the conn)' },
  { key: /^authby$/i, value: /^(null|rsa-sha[12].*|ecdsa-sha2.*|rsasig-sha.*)$/, says: 'libreswan', why: 'this authby value is libreswan\'s' },
  { key: /^(left|right)auth2?$/i, value: /^(pubkey|psk|eap(-.*)?|xauth(-.*)?|ike:.*)$/, says: 'strongswan', why: 'this leftauth/rightauth value is strongSwan\'s' },
  { key: /^(left|right)auth$/i, value: /^(secret|rsasig|null|eaponly)$/, says: 'libreswan', why: 'this leftauth/rightauth value is libreswan\'s' },
  { key: /^fragmentation$/i, value: /^accept$/, says: 'strongswan', why: 'fragmentation=accept is strongSwan\'s' },
  { key: /^uniqueids$/i, value: /^(never|replace|keep)$/, says: 'strongswan', why: 'uniqueids=never/replace/keep is strongSwan\'s' },
  { key: /^(left|right)sendcert$/i, value: /^ifasked$/, says: 'strongswan', why: 'sendcert=ifasked is strongSwan\'s' },
  { key: /^(left|right)sendcert$/i, value: /^sendifasked$/, says: 'libreswan', why: 'sendcert=sendifasked is libreswan\'s' },
  { key: /^(ike|esp)$/i, value: /!$/, says: 'strongswan', why: 'a proposal ending in "!" is strongSwan\'s syntax' },
  { key: /^(ike|esp|phase2alg)$/i, value: /;|sha2_(256|384|512)/, says: 'libreswan', why: 'a proposal with ";" or sha2_256 is libreswan\'s syntax' },
];

const IPSEC_HEADER = /^(config|conn|ca)\s+(\S+)\s*$/;
const IPSEC_SETTING = /^\s+([^\s=#]+)\s*=\s*("[^"]*"|\S*)/;

/**
 * strongSwan or libreswan, for an ipsec.conf: weighs what only one of them accepts — keywords
 * (their keyword tables), values, `ca` sections, `include` paths — and says why. Without any such
 * evidence both read the file alike, and strongSwan is assumed.
 */
export function guessIpsecDialect(text: string, sniffBytes = SNIFF_CHARS): IpsecDialectGuess {
  const evidence: IpsecDialectEvidence[] = [];
  const lines = text.slice(0, sniffBytes).split('\n');
  const add = (line: number, what: string, says: IpsecDialect, why: string, weight: number): void => {
    if (evidence.length < 200) evidence.push({ line, what, says, why, weight });
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).replace(/\r$/, '');
    const n = i + 1;
    const header = IPSEC_HEADER.exec(raw);
    if (header) {
      if (header[1] === 'ca') add(n, `ca ${header[2]}`, 'strongswan', 'libreswan has no "ca" sections', 3);
      continue;
    }
    const include = /^include\s+(\S+)/.exec(raw);
    if (include) {
      const path = include[1] as string;
      if (/\/strongswan\b|ipsec\.conf\.inc/.test(path)) add(n, `include ${path}`, 'strongswan', 'it includes strongSwan\'s files', 2);
      else if (/\/ipsec\.d\/\*\.conf$/.test(path)) add(n, `include ${path}`, 'libreswan', 'libreswan\'s default ipsec.conf includes /etc/ipsec.d/*.conf', 1);
      continue;
    }
    const bareComment = /^\s+([Xx][-_][^\s=#]+)\s*$/.exec(raw);
    if (bareComment) {
      add(n, bareComment[1] as string, 'libreswan', 'a bare x- comment line is libreswan\'s (strongSwan stops at a line without "=")', 2);
      continue;
    }
    const m = IPSEC_SETTING.exec(raw);
    if (!m) continue;
    const key = m[1] as string;
    const value = (m[2] as string).replace(/^"|"$/g, '');
    if (isLibreswanCommentKey(key)) {
      add(n, key, 'libreswan', 'x- comment lines are libreswan\'s (strongSwan reports them as unknown)', 1);
      continue;
    }
    const inStrongswan = STRONGSWAN_KEYWORDS.has(key);
    const libreswanEntry = findLibreswanKeyword(key);
    const inLibreswanNow = libreswanEntry !== undefined && libreswanEntry.keyword.removed === undefined;
    const inLibreswanEver = libreswanEntry !== undefined || LIBRESWAN_RETIRED[key.toLowerCase()] !== undefined;
    if (inLibreswanNow && !inStrongswan) add(n, key, 'libreswan', `${key}= is a libreswan keyword that strongSwan does not know`, 2);
    else if (inStrongswan && !inLibreswanEver) add(n, key, 'strongswan', `${key}= is a strongSwan keyword that libreswan does not know`, 2);
    // Openswan-era keywords that libreswan dropped long ago: old libreswan files may still carry them.
    else if (inStrongswan && !inLibreswanNow) add(n, key, 'strongswan', `${key}= is a strongSwan keyword that current libreswan refuses`, 1);
    else if (inStrongswan && inLibreswanNow) {
      for (const v of VALUE_EVIDENCE) {
        if (v.key.test(key) && v.value.test(value)) {
          add(n, `${key}=${value}`, v.says, v.why, 1);
          break;
        }
      }
    }
  }
  let strong = 0;
  let libre = 0;
  for (const e of evidence) {
    if (e.says === 'strongswan') strong += e.weight;
    else libre += e.weight;
  }
  const dialect: IpsecDialect = libre > strong ? 'libreswan' : 'strongswan';
  const name = dialect === 'libreswan' ? 'libreswan' : 'strongSwan';
  const other = dialect === 'libreswan' ? 'strongSwan' : 'libreswan';
  const forIt = evidence.filter((e) => e.says === dialect).sort((a, b) => b.weight - a.weight || a.line - b.line);
  if (forIt.length === 0) {
    return { dialect, evidence, because: '', reason: `${name} assumed: nothing in the file is accepted by only one of strongSwan and libreswan, so both read it alike` };
  }
  const shown = forIt.slice(0, 2).map((e) => `line ${e.line}: ${e.why}`).join('; ');
  const against = evidence.length - forIt.length;
  const because = `${shown}${forIt.length > 2 ? ` (and ${forIt.length - 2} more)` : ''}${against > 0 ? `; ${against} line${against === 1 ? '' : 's'} point${against === 1 ? 's' : ''} to ${other}` : ''}`;
  return { dialect, evidence, because, reason: `${name}, because ${because}` };
}

/** swanctl.conf syntax (braces) rather than ipsec.conf (indented key=value under "conn"). */
export function isSwanctlSyntax(text: string, fileName: string | undefined): boolean {
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  if (base === 'swanctl.conf' || /[\\/]swanctl[\\/]/.test(fileName ?? '')) return true;
  if (base === 'ipsec.conf') return false;
  return /^\s*(connections|secrets|pools|authorities)\s*\{/m.test(text.slice(0, SNIFF_CHARS));
}

/**
 * Which IPsec dialect an ipsec.conf document (strongSwan or libreswan) is read as, and why: the
 * folder, or the content (for the CLI's text output and the editor's hover). Undefined for other
 * languages and for swanctl.conf, which has one reader.
 */
export function explainIpsecDialect(fileName: string, text: string, language: string): string | undefined {
  if (language !== 'strongswan' && language !== 'libreswan') return undefined;
  if (language === 'strongswan' && isSwanctlSyntax(text, fileName)) return undefined;
  const folder = ipsecDialectByFolder(fileName);
  const label = language === 'libreswan' ? 'libreswan' : 'strongSwan';
  if (folder === language) return `${label}, because the file is in a ${language === 'libreswan' ? 'libreswan or ipsec.d' : 'strongswan or swanctl'} folder`;
  const guess = guessIpsecDialect(text);
  if (guess.dialect === language) return guess.reason;
  const guessLabel = guess.dialect === 'libreswan' ? 'libreswan' : 'strongSwan';
  return `${label}, as chosen for this file (a language setting or files.associations), although its content points to ${guessLabel}${guess.because ? ` (${guess.because})` : ''}`;
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
  if (conn >= 1 && ipsecParams >= 1) return guessIpsecDialect(head).dialect;
  if (ovpn >= 3) return 'openvpn';
  return undefined;
}
