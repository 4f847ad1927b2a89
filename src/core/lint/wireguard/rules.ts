// WireGuard rules. Severity follows the tools: what `wg setconf` / `wg-quick` rejects is an error
// (the whole file fails to load: config.c "Configuration parsing error"); what they accept but get
// silently wrong is a warning; advice is info.
import type { FindingSink } from '../findings';
import { parseIpv4, parseIpv6 } from '../../net/ipText';
import { networkIfHostBitsSet, parseCidr } from '../ipAddress';
import { isIP } from 'node:net';
import {
  describeMeasuredNat,
  keepaliveAdvice,
  keepaliveOutlivesNat,
  measuredBehindNat,
  measuredLifetime,
  mtuAdvice,
  pathMtuWords,
  wireguardPacketBytes,
  WG_QUICK_DEFAULT_MTU,
  WIREGUARD_KEEPALIVE_SHORTEST_SEC,
  type IpFamily,
} from '../../advice/tunnelAdvice';
import { SourceText } from '../../config/sourceText';
import { bare, quote } from '../redact';
import { closestName } from '../suggest';
import type { Fix, LintOptions, TextRange } from '../types';
import { endpointHostPort, splitEndpoint } from '../../config/wireguard/endpoint';
import { isZeroKey, keyProblem } from '../../config/wireguard/keys';
import { parseWireguard, type WireguardDocument, type WireguardEntry, type WireguardSectionNode } from '../../config/wireguard/parser';
import { WIREGUARD_KEYS, findWireguardKey, wireguardKeyInOtherSection, type WireguardKeySpec } from './schema';

/** UDP services in netbase's /etc/services that getaddrinfo(…, SOCK_DGRAM) resolves to a port. */
const UDP_SERVICE_NAMES = new Set([
  'domain', 'bootps', 'bootpc', 'tftp', 'ntp', 'snmp', 'https', 'isakmp', 'syslog', 'openvpn', 'ipsec-nat-t', 'sip',
]);

const WG_QUICK_NAME = /^[a-zA-Z0-9_=+.-]{1,15}$/;

/** Sub-range of an entry's value: `from`/`to` index the whitespace-free value wg sees. */
function valueSubRange(e: WireguardEntry, from: number, to: number): TextRange {
  const text = e.line.text;
  const offsets: number[] = [];
  for (let i = e.valueRange.column - 1; i < e.valueRange.endColumn - 1; i++) {
    if (!/[ \t\n\v\f\r]/.test(text.charAt(i))) offsets.push(i);
  }
  const start = offsets[from] ?? e.valueRange.column - 1;
  const end = to > from ? (offsets[to - 1] ?? start) + 1 : start;
  return SourceText.span(e.line.number, start, end);
}

interface Context {
  source: SourceText;
  sink: FindingSink;
  options: LintOptions;
}

export function lintWireguard(source: SourceText, sink: FindingSink, options: LintOptions): WireguardDocument {
  const doc = parseWireguard(source);
  const ctx: Context = { source, sink, options };

  if (source.hasBom) {
    // wg does not skip a UTF-8 byte-order mark: its bytes are not whitespace, so the first line
    // becomes "\xEF\xBB\xBF[Interface]" and is rejected (verified with wg 1.0.20210914).
    sink.add({ line: 1, column: 1, endLine: 1, endColumn: (source.line(1)?.text.length ?? 0) + 1 }, 'error', 'wireguard/byte-order-mark',
      'This file starts with a UTF-8 byte-order mark, which wg does not skip: it rejects the first line ("Line unrecognized"). Save the file as UTF-8 without BOM.');
  }

  for (const p of doc.problems) {
    switch (p.kind) {
      case 'semicolon-comment': {
        const col = p.line.text.indexOf(';');
        sink.add(p.range, 'error', 'wireguard/semicolon-comment',
          'wg does not treat ";" as a comment ("Line unrecognized"); comments start with "#".', {
            title: 'Use "#" for the comment',
            edits: [{ line: p.line.number, column: col + 1, endLine: p.line.number, endColumn: col + 2, text: '#' }],
            preferred: true,
          });
        break;
      }
      case 'not-key-value':
        sink.add(p.range, 'error', 'wireguard/syntax-error',
          'wg expects "Key = Value" or a [Interface]/[Peer] header here ("Line unrecognized").');
        break;
      case 'bad-header':
        sink.add(p.range, 'error', 'wireguard/unknown-section',
          'Only [Interface] and [Peer] sections exist; wg rejects the file ("Line unrecognized").');
        break;
      case 'outside-section':
        sink.add(p.range, 'error', 'wireguard/key-outside-section',
          `${quote(p.detail)} comes before any [Interface] or [Peer] header; wg rejects the file.`);
        break;
    }
  }

  const interfaces = doc.sections.filter((s) => s.kind === 'Interface');
  for (const extra of interfaces.slice(1)) {
    sink.add(extra.headerRange, 'warning', 'wireguard/duplicate-interface',
      `A second [Interface] section (the first is on line ${interfaces[0]?.header.number}): wg(8) allows only one; wg merges them silently and later values win.`);
  }

  const seenPeers = new Map<string, number>();
  for (const section of doc.sections) {
    lintSection(ctx, section);
    if (section.kind === 'Peer') {
      const pk = [...section.entries].reverse().find((e) => e.key.toLowerCase() === 'publickey');
      if (pk && keyProblem(pk.value) === undefined) {
        const first = seenPeers.get(pk.value);
        if (first !== undefined) {
          sink.add(pk.range, 'warning', 'wireguard/duplicate-peer',
            `This PublicKey was already used by the [Peer] on line ${first}; wg merges both sections into one peer.`);
        } else {
          seenPeers.set(pk.value, section.header.number);
        }
      }
    }
  }

  checkMtu(ctx, doc);
  lintFileName(ctx);
  return doc;
}

function specFor(section: WireguardSectionNode, e: WireguardEntry): WireguardKeySpec | undefined {
  const spec = findWireguardKey(section.kind, e.key);
  if (!spec) return undefined;
  if (spec.tool === 'wg-quick') {
    // wg-quick matches the trimmed key exactly (nocasematch), only under a header it recognised;
    // otherwise the line goes to `wg addconf`, which does not know the key.
    if (!section.quickRecognized || e.quickKey.toLowerCase() !== spec.name.toLowerCase()) return undefined;
  }
  return spec;
}

function lintSection(ctx: Context, section: WireguardSectionNode): void {
  const { sink } = ctx;
  const lastByKey = new Map<string, WireguardEntry>();
  for (const e of section.entries) {
    const spec = specFor(section, e);
    if (!spec) {
      reportUnknownKey(ctx, section, e);
      continue;
    }
    if (e.value === '' && spec.tool === 'wg') {
      sink.add(e.range, 'error', 'wireguard/empty-value',
        `${spec.name} has no value; wg rejects an empty value ("Line unrecognized").`, {
          title: `Delete the empty ${spec.name} line`,
          edits: [ctx.source.deleteLine(e.line)],
        });
      continue;
    }
    if (!spec.accumulates) {
      const prev = lastByKey.get(spec.name);
      if (prev) {
        sink.add(prev.range, 'warning', 'wireguard/duplicate-key',
          `${spec.name} is set again on line ${e.line.number}; only the last value counts, so this one is ignored.`, {
            title: `Delete this overridden ${spec.name} line`,
            edits: [ctx.source.deleteLine(prev.line)],
          });
      }
      lastByKey.set(spec.name, e);
    }
    checkValue(ctx, spec, e);
  }

  if (section.kind === 'Peer') {
    if (!lastByKey.has('PublicKey')) {
      sink.add(section.headerRange, 'error', 'wireguard/missing-public-key',
        'This [Peer] has no PublicKey; wg rejects the file ("A peer is missing a public key").');
    }
    checkKeepalive(ctx, lastByKey.get('Endpoint'), lastByKey.get('PersistentKeepalive'));
  }
}

function reportUnknownKey(ctx: Context, section: WireguardSectionNode, e: WireguardEntry): void {
  const name = quote(e.key);
  const other = wireguardKeyInOtherSection(section.kind, e.key);
  const quick = findWireguardKey(section.kind, e.key);
  let message: string;
  let fix: Fix | undefined;
  if (quick && quick.tool === 'wg-quick') {
    if (!section.quickRecognized) {
      message = `wg-quick reads ${quick.name} only under a header written exactly "[Interface]" (this one has extra spaces), so it reaches wg, which rejects it.`;
      fix = { title: 'Write the header as [Interface]', edits: [{ ...section.headerRange, text: '[Interface]' }], preferred: true };
    } else {
      message = `wg-quick does not recognise ${quote(e.quickKey)} with spaces inside the key, so it reaches wg, which rejects it.`;
      fix = { title: `Write ${quick.name}`, edits: [{ ...e.keyRange, text: quick.name }], preferred: true };
    }
  } else if (other) {
    message = `${other.name} belongs in [${other.section}], not [${section.kind}]; wg rejects the file ("Line unrecognized").`;
  } else {
    const candidates = WIREGUARD_KEYS.filter((k) => k.section === section.kind).map((k) => k.name);
    const guess = closestName(e.key, candidates);
    message = `${name} is not a key of [${section.kind}]; wg rejects the file ("Line unrecognized").${guess ? ` Did you mean ${guess}?` : ''}`;
    if (guess) fix = { title: `Change to ${guess}`, edits: [{ ...e.keyRange, text: guess }] };
  }
  ctx.sink.add(e.keyRange, 'error', 'wireguard/unknown-key', message, fix);
}

function checkValue(ctx: Context, spec: WireguardKeySpec, e: WireguardEntry): void {
  const { sink } = ctx;
  const v = e.value;
  switch (spec.name) {
    case 'PrivateKey':
    case 'PublicKey':
    case 'PresharedKey': {
      const problem = keyProblem(v);
      if (problem) {
        sink.add(e.valueRange, 'error', 'wireguard/invalid-key', `${spec.name} ${problem}; wg rejects it ("Key is not the correct length or format").`);
      } else if (spec.name === 'PrivateKey' && isZeroKey(v)) {
        sink.add(e.valueRange, 'warning', 'wireguard/zero-private-key', 'PrivateKey is all zeros, which WireGuard treats as "no private key": the interface cannot handshake.');
      }
      return;
    }
    case 'ListenPort':
      checkPort(ctx, e, v, 0, v.length, 'ListenPort');
      return;
    case 'FwMark':
      if (!validFwMark(v)) {
        sink.add(e.valueRange, 'error', 'wireguard/invalid-value', 'FwMark must be "off" or a number from 0 to 0xffffffff (decimal, or hex with a lowercase "0x").');
      }
      return;
    case 'PersistentKeepalive':
      if (parseKeepalive(v) === undefined) {
        sink.add(e.valueRange, 'error', 'wireguard/invalid-value', 'PersistentKeepalive must be 0/off or a whole number of seconds from 1 to 65535; wg rejects this value.');
      }
      return;
    case 'AllowedIPs':
      checkAllowedIps(ctx, e);
      return;
    case 'Endpoint':
      checkEndpoint(ctx, e);
      return;
    case 'Address':
      if (e.quickValue.includes('"')) {
        sink.add(e.valueRange, 'error', 'wireguard/invalid-value', `Address: wg-quick does not remove quotes, so \`ip address add\` is given them and \`wg-quick up\` fails. Write ${bare(e.quickValue.replace(/"/g, ''))} without quotes.`);
        return;
      }
      for (const item of splitList(e.quickValue, /[\s,]+/)) {
        const c = parseCidr(item);
        if (!c.ok) sink.add(e.valueRange, 'error', 'wireguard/invalid-value', `Address: ${c.reason}; \`wg-quick up\` fails when \`ip address add\` rejects it.`);
      }
      return;
    case 'DNS':
      for (const item of splitList(e.quickValue, /[\s,]+/)) {
        // linux.bash: entries of digits and dots, or with a ":", are name servers; the rest are
        // search domains.
        const looksIp = /^[0-9.]+$/.test(item) || item.includes(':');
        if (looksIp && !parseIpv4(item) && !parseIpv6(item)) {
          sink.add(e.valueRange, 'warning', 'wireguard/invalid-value', `DNS: ${quote(item)} looks like an address but is not a valid IP; resolvconf will be given a broken nameserver line.`);
        }
      }
      return;
    case 'MTU':
      if (!/^[0-9]+$/.test(e.quickValue) || Number(e.quickValue) < 68 || Number(e.quickValue) > 65535) {
        sink.add(e.valueRange, 'error', 'wireguard/invalid-value', 'MTU must be a whole number from 68 to 65535 (1280 or more if the tunnel carries IPv6); `wg-quick up` fails otherwise.');
      }
      return;
    case 'SaveConfig':
      if (!/^(true|false)$/i.test(e.quickValue)) {
        sink.add(e.valueRange, 'error', 'wireguard/invalid-value', 'SaveConfig must be true or false; wg-quick stops with "is neither true nor false".');
      } else if (/^true$/i.test(e.quickValue)) {
        sink.add(e.valueRange, 'info', 'wireguard/save-config', 'SaveConfig = true: wg-quick overwrites this file with the live state on shutdown, discarding comments and edits made while the tunnel is up.');
      }
      return;
    default:
      return;
  }
}

function splitList(value: string, sep: RegExp): string[] {
  return value.split(sep).filter((s) => s !== '');
}

/** config.c parse_fwmark: "off", or digits (0x-prefixed hex allowed) up to 0xffffffff. */
function validFwMark(v: string): boolean {
  if (v.toLowerCase() === 'off') return true;
  if (!/^[0-9]/.test(v)) return false;
  const hex = v.length > 2 && v.startsWith('0x');
  if (hex ? !/^0x[0-9a-fA-F]+$/.test(v) : !/^[0-9]+$/.test(v)) return false;
  return BigInt(v) <= 0xffffffffn;
}

/** config.c parse_persistent_keepalive: "off" (any case) or 0 disables; digits ≤ 65535. */
export function parseKeepalive(v: string): number | undefined {
  if (v.toLowerCase() === 'off') return 0;
  if (!/^[0-9]+$/.test(v) || v.length > 10) return undefined;
  const n = Number(v);
  return n <= 65535 ? n : undefined;
}

/**
 * A port goes through getaddrinfo(3): digits are taken modulo 65536 by glibc (70000 binds 4464,
 * verified), a name is looked up in /etc/services, anything else fails.
 */
function checkPort(ctx: Context, e: WireguardEntry, v: string, from: number, to: number, what: string): void {
  const port = v.slice(from, to);
  const range = valueSubRange(e, from, to);
  if (/^\+?[0-9]+$/.test(port)) {
    const n = Number(port.replace('+', ''));
    if (n > 65535) {
      ctx.sink.add(range, 'warning', 'wireguard/port-wraps', `${what} port ${port} is above 65535; getaddrinfo silently wraps it to ${n % 65536}.`);
    } else if (port.startsWith('+') || (port.length > 1 && port.startsWith('0'))) {
      ctx.sink.add(range, 'info', 'wireguard/invalid-value', `${what} port ${quote(port)} is read as ${n}; write it as a plain number.`);
    } else if (what !== 'ListenPort' && n === 0) {
      ctx.sink.add(range, 'warning', 'wireguard/invalid-endpoint', 'Endpoint port 0 is accepted by wg but nothing can be reached there.');
    }
    return;
  }
  // getservbyname is case-sensitive: "NTP" is not found.
  if (UDP_SERVICE_NAMES.has(port)) {
    ctx.sink.add(range, 'warning', 'wireguard/invalid-value', `${what} port ${quote(port)} is a service name that wg looks up in /etc/services; write the number, which does not depend on that file.`);
    return;
  }
  ctx.sink.add(range, 'error', what === 'ListenPort' ? 'wireguard/invalid-value' : 'wireguard/invalid-endpoint',
    `${what} port ${quote(port)} is not a number from 0 to 65535; wg rejects it ("Servname not supported").`);
}

function checkAllowedIps(ctx: Context, e: WireguardEntry): void {
  let offset = 0;
  for (const item of e.value.split(',')) {
    const from = offset;
    offset += item.length + 1;
    const range = valueSubRange(e, from, from + item.length);
    if (item === '') {
      ctx.sink.add(e.valueRange, 'error', 'wireguard/invalid-value', 'AllowedIPs has an empty entry (a stray comma); wg rejects it ("Unable to parse IP address").');
      continue;
    }
    if (item.startsWith('+') || item.startsWith('-')) {
      ctx.sink.add(range, 'error', 'wireguard/invalid-value', `AllowedIPs entries with a leading "${item[0]}" are understood only by wireguard-tools 1.0.20250521 and later; older wg rejects the file.`);
      continue;
    }
    const c = parseCidr(item);
    if (!c.ok) {
      ctx.sink.add(range, 'error', 'wireguard/invalid-value', `AllowedIPs: ${c.reason}; wg rejects the file.`);
      continue;
    }
    const network = networkIfHostBitsSet(c.value);
    if (network) {
      ctx.sink.add(range, 'warning', 'wireguard/allowed-ips-host-bits',
        `AllowedIPs ${quote(item)} has host bits set; wg uses ${network} ("AllowedIP has nonzero host part").`, {
          title: `Change to ${network}`,
          edits: [{ ...range, text: network }],
          preferred: true,
        });
    }
  }
}

function checkEndpoint(ctx: Context, e: WireguardEntry): void {
  const v = e.value;
  const bad = (message: string): void => ctx.sink.add(e.valueRange, 'error', 'wireguard/invalid-endpoint', message);
  const split = splitEndpoint(v);
  if (!split.ok) {
    if (split.problem === 'unmatched-bracket') return bad('Endpoint has "[" without a matching "]"; wg rejects it ("Unable to find matching brace of endpoint").');
    return bad(v.startsWith('[')
      ? 'Endpoint needs a port after "]": write [address]:port (wg: "Unable to find port of endpoint").'
      : 'Endpoint needs a port: write host:port, or [IPv6]:port (wg: "Unable to find port of endpoint").');
  }
  const { host, portFrom } = split;
  if (split.bracketed) {
    const bare = host.replace(/%[A-Za-z0-9_.-]+$/, '');
    if (!parseIpv6(bare) && !parseIpv4(bare)) {
      return bad(`Endpoint host ${quote(host)} is not an IP address inside the brackets; wg cannot resolve it.`);
    }
  } else {
    if (host === '') return bad('Endpoint has a port but no host.');
    if (host.includes(':')) {
      // wg splits at the last ":", so a bare IPv6 address happens to work (verified with ::1:51820).
      if (parseIpv6(host)) {
        const range = valueSubRange(e, 0, v.length);
        ctx.sink.add(range, 'warning', 'wireguard/invalid-endpoint',
          'An IPv6 endpoint should be written [address]:port; without brackets it works only by accident of how wg splits at the last ":".', {
            title: 'Add brackets around the IPv6 address',
            edits: [{ ...range, text: `[${host}]:${v.slice(portFrom)}` }],
            preferred: true,
          });
      } else {
        return bad(`Endpoint host ${quote(host)} is not a valid IPv6 address; write [address]:port.`);
      }
    } else if (/^[0-9.]+$/.test(host)) {
      if (!parseIpv4(host)) {
        const parts = host.split('.');
        if (parts.length === 4 || parts.some((p) => p === '' || Number(p) > 255)) {
          return bad(`Endpoint host ${quote(host)} is not a valid IPv4 address; wg tries it as a host name and fails.`);
        }
        ctx.sink.add(e.valueRange, 'warning', 'wireguard/invalid-endpoint', `Endpoint host ${quote(host)} is a shortened IPv4 address that inet_aton expands in a surprising way; write all four parts.`);
      }
    } else if (!/^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?$/.test(host) || host.length > 253) {
      return bad(`Endpoint host ${quote(host)} is not a valid host name.`);
    } else {
      ctx.sink.add(SourceText.span(e.line.number, e.valueRange.column - 1, e.valueRange.column - 1 + host.length), 'info', 'wireguard/hostname-endpoint',
        `wg resolves ${quote(host)} once, when the config is loaded; if its address changes later the tunnel keeps the old one (wireguard-tools contrib/reresolve-dns refreshes it).`);
    }
  }
  checkPort(ctx, e, v, portFrom, v.length, 'Endpoint');
}

function checkKeepalive(ctx: Context, endpoint: WireguardEntry | undefined, keepalive: WireguardEntry | undefined): void {
  const { sink, options } = ctx;
  const measured = options.measured;
  const advice = keepaliveAdvice(measured).wireguard;
  const n = advice.persistentKeepalive;
  const natWords = describeMeasuredNat(measured);
  const life = measuredLifetime(measured);
  const behindNat = measuredBehindNat(measured);
  const interval = keepalive ? parseKeepalive(keepalive.value) : undefined;

  if (keepalive && interval !== undefined && interval > 0) {
    if (natWords !== undefined && keepaliveOutlivesNat(interval, n, measured)) {
      sink.add(keepalive.valueRange, 'warning', 'wireguard/keepalive-exceeds-nat-lifetime',
        `PersistentKeepalive = ${interval} s, but ${natWords}: the mapping expires between keepalives. Use ${n}.`, {
          title: `Set ${advice.line}`,
          edits: [{ ...keepalive.valueRange, text: String(n) }],
          preferred: true,
        });
    } else if (life === undefined && interval > 60) {
      sink.add(keepalive.valueRange, 'info', 'wireguard/keepalive-too-long',
        `PersistentKeepalive = ${interval} s is longer than many NATs keep an idle UDP mapping (often 30–60 s); ${n} s is the usual choice. Run a NAT diagnosis to measure yours.`, {
          title: `Set ${advice.line}`,
          edits: [{ ...keepalive.valueRange, text: String(n) }],
        });
    } else if (interval < Math.min(WIREGUARD_KEEPALIVE_SHORTEST_SEC, n)) {
      // Below the advised interval too: a NAT that needs a shorter one lowers the threshold with it.
      sink.add(keepalive.valueRange, 'info', 'wireguard/keepalive-too-short',
        n < WIREGUARD_KEEPALIVE_SHORTEST_SEC
          ? `PersistentKeepalive = ${interval} s sends a packet more often than your NAT needs: ${n} s keeps its mappings alive.`
          : `PersistentKeepalive = ${interval} s sends a packet more often than NATs need (${WIREGUARD_KEEPALIVE_SHORTEST_SEC} s is the lowest the WireGuard author recommends).`);
    }
    return;
  }
  if (!endpoint) return;

  const reason = natWords ? `${natWords}` : 'behind a NAT or stateful firewall the UDP mapping expires when idle';
  if (keepalive && interval === 0) {
    // The user turned it off on purpose; speak up only when a diagnosis says it matters.
    if (!behindNat) return;
    sink.add(keepalive.valueRange, 'warning', 'wireguard/missing-persistent-keepalive',
      `PersistentKeepalive is off, but ${reason}, so the peer cannot reach you after a quiet period. Use ${n}.`, {
        title: `Set ${advice.line}`,
        edits: [{ ...keepalive.valueRange, text: String(n) }],
        preferred: true,
      });
    return;
  }
  if (keepalive) return; // invalid value, already reported
  const indent = /^[ \t]*/.exec(endpoint.line.text)?.[0] ?? '';
  sink.add(endpoint.range, behindNat ? 'warning' : 'info', 'wireguard/missing-persistent-keepalive',
    `This peer has an Endpoint but no PersistentKeepalive: ${reason}, and the peer can no longer reach you until you send again. Add ${advice.line}.`, {
      title: `Add ${advice.line}`,
      edits: [ctx.source.insertLineAfter(endpoint.line, `${indent}${advice.line}`)],
      preferred: true,
    });
}

/**
 * The outer family of this interface's tunnels: IPv6 if any peer's Endpoint is an IPv6 address
 * (its packets carry the larger header, and one MTU serves every peer), IPv4 if every Endpoint is an
 * IPv4 address; undefined (the measured path's family) when names or no endpoints leave it open.
 */
function endpointFamily(doc: WireguardDocument): IpFamily | undefined {
  const families = doc.sections.filter((s) => s.kind === 'Peer')
    .flatMap((s) => s.entries.filter((e) => e.key.toLowerCase() === 'endpoint'))
    .map((e) => isIP(endpointHostPort(e.value)?.host ?? ''));
  if (families.includes(6)) return 'IPv6';
  return families.length > 0 && families.every((f) => f === 4) ? 'IPv4' : undefined;
}

/**
 * wireguard/mtu-too-large: with a measured path MTU, an `MTU =` whose full packets do not fit it;
 * on a black-hole path also a missing one, since wg-quick's automatic MTU comes from the local
 * link (1420 on 1500) and no ICMP ever lowers it. Only a wg-quick file (one with `Address`) is
 * offered an inserted `MTU`: `wg setconf` rejects the key.
 */
function checkMtu(ctx: Context, doc: WireguardDocument): void {
  const iface = doc.sections.find((s) => s.kind === 'Interface');
  if (!iface) return;
  const advice = mtuAdvice(ctx.options.measured, endpointFamily(doc));
  if (!advice) return;
  const fit = advice.wireguard.mtu;
  const entries = iface.entries.filter((e) => specFor(iface, e) !== undefined);
  const mtu = [...entries].reverse().find((e) => specFor(iface, e)?.name === 'MTU');
  const blackHole = advice.path.blackHole === true;
  const consequence = blackHole
    ? 'Packets that do not fit can vanish without a trace: big transfers and SSH sessions through the tunnel hang.'
    : 'Packets that do not fit are fragmented on the way, which costs throughput and fails where fragments are dropped.';
  if (mtu) {
    if (!/^[0-9]+$/.test(mtu.quickValue)) return; // invalid, already reported
    const value = Number(mtu.quickValue);
    if (value <= fit) return;
    ctx.sink.add(mtu.valueRange, blackHole ? 'warning' : 'info', 'wireguard/mtu-too-large',
      `MTU = ${value} makes full packets ${wireguardPacketBytes(value, advice.outerFamily)} bytes on the wire (over ${advice.outerFamily}), but ${pathMtuWords(advice.path)}. ${consequence} Use ${advice.wireguard.line}.`, {
        title: `Set ${advice.wireguard.line}`,
        edits: [{ ...mtu.valueRange, text: String(fit) }],
        preferred: true,
      });
    return;
  }
  if (!blackHole || WG_QUICK_DEFAULT_MTU <= fit) return;
  if (!entries.some((e) => specFor(iface, e)?.name === 'Address')) return;
  const last = iface.entries[iface.entries.length - 1];
  const indent = last ? /^[ \t]*/.exec(last.line.text)?.[0] ?? '' : '';
  ctx.sink.add(iface.headerRange, 'warning', 'wireguard/mtu-too-large',
    `No MTU: wg-quick takes the local link's (${WG_QUICK_DEFAULT_MTU} on a 1500-byte link), but ${pathMtuWords(advice.path)}, so nothing will lower it. ${consequence} Add ${advice.wireguard.line}.`, {
      title: `Add ${advice.wireguard.line}`,
      edits: [ctx.source.insertLineAfter(last?.line ?? iface.header, `${indent}${advice.wireguard.line}`)],
      preferred: true,
    });
}

function lintFileName(ctx: Context): void {
  const name = ctx.options.fileName;
  if (!name) return;
  const base = name.split(/[\\/]/).pop() ?? name;
  if (!base.endsWith('.conf')) return;
  const stem = base.slice(0, -'.conf'.length);
  if (!WG_QUICK_NAME.test(stem)) {
    ctx.sink.add({ line: 1, column: 1, endLine: 1, endColumn: 1 }, 'info', 'wireguard/interface-name',
      `wg-quick uses the file name as the interface name, and "${stem}" is not one (1–15 of a–z A–Z 0–9 _ = + . -): \`wg-quick up\` refuses this file.`);
  }
}
