// The probe's view of an .ovpn file: how the control channel is wrapped (`tls-auth` /
// `tls-crypt`, inline or by path, `key-direction`, `auth`) and where the server is (`remote`,
// `proto`, `port`). It reads the document of the one OpenVPN lexer (src/core/config/openvpn/lexer.ts,
// options.c's rules: quoting, backslash escapes, `#`/`;` comments, `<tag>…</tag>` blocks), the same
// document the linter checks.
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { lexOpenvpn, type OpenvpnDocument } from '../../config/openvpn/lexer';
import { openvpnRemotes, type OpenvpnTransport } from '../../config/openvpn/remotes';
import { SourceText } from '../../config/sourceText';
import { parseStaticKey, parseTlsCryptV2ClientKey, type KeyDirection } from './staticKey';
import type { ControlWrapping, HmacDigest } from './hardReset';

export interface OvpnRemote {
  host: string;
  port?: number;
  proto?: OpenvpnTransport;
}

export interface OpenVpnProbeConfig {
  /** The wrapping the config asks for; plain when it has neither tls-auth nor tls-crypt. */
  wrapping: ControlWrapping;
  remotes: OvpnRemote[];
  /** `proto` / `port` defaults for remotes that do not say. */
  proto?: OpenvpnTransport;
  port?: number;
  /** Things the probe cannot honour (tls-crypt-v2, an unreadable key file…), in plain words. */
  notes: string[];
}

function parseDigest(name: string | undefined): HmacDigest | undefined {
  switch (name?.toUpperCase()) {
    case 'SHA1':
    case 'SHA-1':
      return 'sha1';
    case 'SHA256':
    case 'SHA-256':
    case 'SHA2-256':
      return 'sha256';
    case 'SHA512':
    case 'SHA-512':
    case 'SHA2-512':
      return 'sha512';
    default:
      return undefined;
  }
}

function parseDirection(value: string | undefined): KeyDirection | undefined {
  if (value === '0') return 0;
  if (value === '1') return 1;
  return undefined;
}

/**
 * Reads an .ovpn file, loading a `tls-auth`/`tls-crypt` key given by path relative to the file's
 * folder. Problems come back as `notes`/`error`, never as exceptions, and never quote key bytes.
 */
export async function loadOvpnConfig(path: string, readText: (p: string) => Promise<string> = (p) => readFile(p, 'utf8')): Promise<OpenVpnProbeConfig> {
  const text = await readText(path);
  return openvpnProbeConfig(lexOpenvpn(new SourceText(text)), async (keyPath) => readText(isAbsolute(keyPath) ? keyPath : resolve(dirname(path), keyPath)));
}

/** The probe's view of a lexed .ovpn; `readKeyFile` loads a key named by path (omit it to only accept inline keys). */
export async function openvpnProbeConfig(doc: OpenvpnDocument, readKeyFile?: (path: string) => Promise<string>): Promise<OpenVpnProbeConfig> {
  const notes: string[] = [];
  const where = openvpnRemotes(doc);
  const remotes = where.remotes.map(({ host, port, proto }): OvpnRemote => ({ host, ...(port !== undefined ? { port } : {}), ...(proto ? { proto } : {}) }));
  let keyDirection: KeyDirection | undefined;
  let digest: HmacDigest = 'sha1'; // OpenVPN's default --auth (options.c: "SHA1")
  let tlsAuth: { source: 'inline' | 'file'; ref: string; direction?: KeyDirection } | undefined;
  let tlsCrypt: { source: 'inline' | 'file'; ref: string } | undefined;
  let tlsCryptV2: { source: 'inline' | 'file'; ref: string } | undefined;
  const inline = new Map<string, string>();
  for (const d of doc.directives) {
    if (d.inline) {
      inline.set(d.name, d.inline.contentLines.map((l) => l.text).join('\n'));
      continue;
    }
    const [a0, a1] = d.args.map((a) => a.value);
    switch (d.name) {
      case 'key-direction':
        keyDirection = parseDirection(a0) ?? keyDirection;
        break;
      case 'auth': {
        const digestName = parseDigest(a0);
        if (digestName) digest = digestName;
        else if (a0) notes.push(`auth ${a0} is not one the probe implements (SHA1, SHA256, SHA512); using SHA1`);
        break;
      }
      case 'tls-auth': {
        if (!a0) break;
        // "tls-auth [inline] [direction]": the second argument is the direction (options.c).
        const direction = parseDirection(a1);
        tlsAuth = a0 === '[inline]' ? { source: 'inline', ref: 'tls-auth' } : { source: 'file', ref: a0 };
        if (direction !== undefined) tlsAuth.direction = direction;
        break;
      }
      case 'tls-crypt':
        if (a0) tlsCrypt = a0 === '[inline]' ? { source: 'inline', ref: 'tls-crypt' } : { source: 'file', ref: a0 };
        break;
      case 'tls-crypt-v2':
        if (a0) tlsCryptV2 = a0 === '[inline]' ? { source: 'inline', ref: 'tls-crypt-v2' } : { source: 'file', ref: a0 };
        break;
      default:
        break;
    }
  }
  // An inline block without a directive line still enables it (check_inline_file).
  if (!tlsAuth && inline.has('tls-auth')) tlsAuth = { source: 'inline', ref: 'tls-auth' };
  if (!tlsCrypt && inline.has('tls-crypt')) tlsCrypt = { source: 'inline', ref: 'tls-crypt' };
  if (!tlsCryptV2 && inline.has('tls-crypt-v2')) tlsCryptV2 = { source: 'inline', ref: 'tls-crypt-v2' };

  const loadKeyText = async (source: 'inline' | 'file', ref: string, what: string): Promise<string | undefined> => {
    let keyText: string | undefined;
    if (source === 'inline') keyText = inline.get(ref);
    else if (readKeyFile) {
      try {
        keyText = await readKeyFile(ref);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        notes.push(`cannot read the ${what} key file "${ref}" (${code}); probing without it`);
        return undefined;
      }
    } else {
      notes.push(`the ${what} key is given by path ("${ref}"); probing without it`);
      return undefined;
    }
    if (keyText === undefined) {
      notes.push(`the config names an inline ${what} key but has no <${ref}> block`);
      return undefined;
    }
    return keyText;
  };
  const loadKey = async (source: 'inline' | 'file', ref: string, what: string): Promise<Buffer | undefined> => {
    const keyText = await loadKeyText(source, ref, what);
    if (keyText === undefined) return undefined;
    const parsed = parseStaticKey(keyText);
    if ('error' in parsed) {
      notes.push(`the ${what} key is unusable: ${parsed.error}`);
      return undefined;
    }
    return parsed.key;
  };

  let wrapping: ControlWrapping = { kind: 'plain' };
  if (tlsCryptV2) {
    const keyText = await loadKeyText(tlsCryptV2.source, tlsCryptV2.ref, 'tls-crypt-v2');
    const parsed = keyText === undefined ? undefined : parseTlsCryptV2ClientKey(keyText);
    if (parsed && 'error' in parsed) notes.push(`the tls-crypt-v2 key is unusable: ${parsed.error}`);
    else if (parsed) wrapping = { kind: 'tls-crypt-v2', key: parsed.key, wkc: parsed.wkc };
  } else if (tlsCrypt) {
    const key = await loadKey(tlsCrypt.source, tlsCrypt.ref, 'tls-crypt');
    if (key) wrapping = { kind: 'tls-crypt', key };
  } else if (tlsAuth) {
    const key = await loadKey(tlsAuth.source, tlsAuth.ref, 'tls-auth');
    // The direction on the tls-auth line wins; else key-direction; else bidirectional.
    if (key) wrapping = { kind: 'tls-auth', key, direction: tlsAuth.direction ?? keyDirection ?? 'none', digest };
  }
  const config: OpenVpnProbeConfig = { wrapping, remotes, notes };
  if (where.proto) config.proto = where.proto;
  if (where.port !== undefined) config.port = where.port;
  return config;
}
