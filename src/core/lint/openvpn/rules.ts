// OpenVPN rules. An error is something OpenVPN 2.6 refuses to start with (options.c add_option,
// options_postprocess, helper.c helper_keepalive: all M_USAGE, fatal); a warning is something it
// accepts but gets silently wrong or that 2.7 removes; info is advice.
import type { FindingSink } from '../findings';
import { isIP } from 'node:net';
import {
  describeMeasuredNat,
  keepaliveAdvice,
  keepaliveOutlivesNat,
  measuredBehindNat,
  mssfixPacketBytes,
  mtuAdvice,
  openvpnTunPacketBytes,
  OPENVPN_MSSFIX_DEFAULT,
  pathMtuWords,
  type IpFamily,
} from '../../advice/tunnelAdvice';
import type { SourceLine, SourceText } from '../../config/sourceText';
import { bare, quote } from '../redact';
import { closestName } from '../suggest';
import type { Fix, LintOptions } from '../types';
import { lexOpenvpn, type OpenvpnDirective, type OpenvpnDocument } from '../../config/openvpn/lexer';
import { remoteTransports } from '../../config/openvpn/remotes';
import {
  ARITY,
  CCD_ONLY_OPTIONS,
  DEPRECATED_OPTIONS,
  ENUM_PARAMETERS,
  INLINE_TAGS,
  KNOWN_OPTIONS,
  PROTO_NAMES,
  REMOVED_OPTIONS,
  WINDOWS_ONLY_OPTIONS,
} from './options';

const DEFAULT_DATA_CIPHERS = ['AES-256-GCM', 'AES-128-GCM', 'CHACHA20-POLY1305'];

interface Ctx {
  source: SourceText;
  sink: FindingSink;
  options: LintOptions;
}

/** C atoi(): leading whitespace, optional sign, digits; anything else stops (or gives 0). */
function atoi(s: string | undefined): number {
  const m = /^[ \t]*([+-]?[0-9]+)/.exec(s ?? '');
  return m ? Number.parseInt(m[1] as string, 10) : 0;
}

/** Replaces the directive (name to last parameter); a trailing comment and the indentation stay. */
function replaceLineFix(d: OpenvpnDirective, title: string, newText: string, preferred: boolean): Fix {
  return { title, edits: [{ ...d.range, text: newText }], preferred };
}

function deleteLineFix(ctx: Ctx, d: OpenvpnDirective, title: string): Fix {
  return { title, edits: [ctx.source.deleteLine(d.line)] };
}

export function lintOpenvpn(source: SourceText, sink: FindingSink, options: LintOptions): OpenvpnDocument {
  const doc = lexOpenvpn(source);
  const ctx: Ctx = { source, sink, options };

  for (const p of doc.problems) {
    switch (p.kind) {
      case 'line-too-long':
        sink.add(p.range, 'error', 'openvpn/line-too-long', `This line is ${p.detail} bytes; OpenVPN reads at most 254 per line (before the newline) and refuses the file ("Maximum option line length (256) exceeded").`);
        break;
      case 'unterminated-quote':
        sink.add(p.range, 'error', 'openvpn/unterminated-quote', `No closing quotation (${p.detail}) on this line; OpenVPN refuses the file.`);
        break;
      case 'bad-backslash':
        sink.add(p.range, 'error', 'openvpn/bad-backslash', `A backslash escapes only \\, " and whitespace; "${p.detail}" makes OpenVPN refuse the file. Use "\\\\" for a literal backslash.`);
        break;
      case 'missing-end-tag':
        sink.add(p.range, 'error', 'openvpn/missing-end-tag', `<${p.detail}> is never closed; OpenVPN stops with "Endtag </${p.detail}> missing".`);
        break;
    }
  }

  const ignorable = new Set<string>();
  for (const d of doc.directives) {
    if (d.name === 'ignore-unknown-option') for (const a of d.args) ignorable.add(a.value);
  }

  for (const d of doc.directives) checkDirective(ctx, d, ignorable);
  checkWhole(ctx, doc);
  return doc;
}

function checkDirective(ctx: Ctx, d: OpenvpnDirective, ignorable: ReadonlySet<string>): void {
  const { sink } = ctx;
  const name = d.name;
  const nameRange = d.nameToken.range;
  if (d.inline) {
    if (!INLINE_TAGS.has(name)) {
      sink.add(nameRange, 'error', 'openvpn/invalid-inline-tag', KNOWN_OPTIONS.has(name)
        ? `${name} cannot be given as an inline <${name}> block; OpenVPN refuses the file.`
        : `<${name}> is not an inline block OpenVPN knows ("Unrecognized option"); inline blocks are ca, cert, key, tls-auth, tls-crypt, …`);
    }
    return;
  }
  // `setenv opt NAME …` asks OpenVPN to ignore NAME if it does not know it.
  if (name === 'setenv' && d.args[0]?.value === 'opt') return;

  const removed = REMOVED_OPTIONS[name];
  if (removed) {
    const args = d.args.map((a) => a.value);
    const replacement = removed.replacement?.(args);
    const fix = replacement
      ? replaceLineFix(d, `Replace with "${replacement}"`, replacement, true)
      : removed.deleteLine ? deleteLineFix(ctx, d, `Delete "${name}"`) : undefined;
    sink.add(nameRange, 'error', 'openvpn/removed-option', `${name} was removed in OpenVPN ${removed.removedIn} and makes 2.6 refuse the file: ${removed.why}.`, fix);
    return;
  }
  if (!KNOWN_OPTIONS.has(name)) {
    if (ignorable.has(name)) return;
    if (WINDOWS_ONLY_OPTIONS.has(name)) {
      sink.add(nameRange, 'warning', 'openvpn/windows-only-option',
        `${name} exists only in OpenVPN for Windows; on Linux and macOS it stops OpenVPN ("Unrecognized option"). Add "ignore-unknown-option ${name}" above it if this file is shared.`);
      return;
    }
    const lower = name.toLowerCase();
    if (lower !== name && (KNOWN_OPTIONS.has(lower) || REMOVED_OPTIONS[lower] !== undefined)) {
      sink.add(nameRange, 'error', 'openvpn/option-case', `OpenVPN option names are case-sensitive: "${name}" is refused ("Unrecognized option"); write "${lower}".`, {
        title: `Write "${lower}"`,
        edits: [{ ...nameRange, text: d.nameToken.value.replace(name, lower) }],
        preferred: true,
      });
      return;
    }
    const guess = closestName(name, KNOWN_OPTIONS);
    sink.add(nameRange, 'error', 'openvpn/unknown-option', `${quote(name)} is not an OpenVPN 2.6 option; OpenVPN refuses the file ("Unrecognized option").${guess ? ` Did you mean ${guess}?` : ''}`,
      guess ? { title: `Change to ${guess}`, edits: [{ ...nameRange, text: d.nameToken.value.startsWith('--') ? `--${guess}` : guess }] } : undefined);
    return;
  }

  if (CCD_ONLY_OPTIONS.has(name) && !isClientConfigDirFile(ctx.options.fileName)) {
    sink.add(nameRange, 'error', 'openvpn/ccd-only-option', `${name} belongs in a client-config-dir file (the per-client file the server reads), not in the main config; OpenVPN refuses it here ("cannot be used in this context").`);
    return;
  }
  const deprecated = DEPRECATED_OPTIONS[name];
  if (deprecated) {
    const replacement = deprecated.replacement?.(d.args.map((a) => a.value));
    const fix = replacement
      ? replaceLineFix(d, `Replace with "${replacement}"`, replacement, true)
      : deprecated.deleteLine ? deleteLineFix(ctx, d, `Delete "${name}"`) : undefined;
    sink.add(nameRange, deprecated.severity, 'openvpn/deprecated-option', deprecated.message, fix);
  }

  const arity = ARITY[name];
  const n = d.args.length;
  if (arity && !arity.includes(n) && !(arity.includes(6) && n >= 6)) {
    sink.add(d.range, 'error', 'openvpn/wrong-argument-count', `${name} takes ${describeCounts(arity)}, not ${n}; OpenVPN refuses the file ("missing or extra parameter(s)").`);
    return;
  }
  checkValues(ctx, d);
}

/** A file inside a client-config-dir ("ccd" by convention), where per-client options belong. */
function isClientConfigDirFile(fileName: string | undefined): boolean {
  return /(^|[\\/])ccd[\\/][^\\/]+$/.test(fileName ?? '');
}

/** [1, 2] → "1 or 2 parameters"; [0, 1, …, 6] → "any number of parameters". */
function describeCounts(counts: readonly number[]): string {
  if (counts.includes(6)) {
    const min = Math.min(...counts);
    return min === 0 ? 'any number of parameters' : `at least ${min} parameter${min === 1 ? '' : 's'}`;
  }
  const last = counts[counts.length - 1] ?? 0;
  const words = counts.length === 1 ? `${last}` : `${counts.slice(0, -1).join(', ')} or ${last}`;
  return `${words} parameter${counts.length === 1 && last === 1 ? '' : 's'}`;
}

function checkPortValue(ctx: Ctx, d: OpenvpnDirective, index: number): void {
  const tok = d.args[index];
  if (!tok) return;
  if (/^[0-9]+$/.test(tok.value)) {
    const n = Number(tok.value);
    if (n > 65535) ctx.sink.add(tok.range, 'warning', 'openvpn/port-wraps', `Port ${tok.value} is above 65535; it silently wraps to ${n % 65536} (verified with remote … 70000 connecting to 4464).`);
  } else {
    ctx.sink.add(tok.range, 'info', 'openvpn/invalid-value', `Port ${quote(tok.value)} is not a number; it is looked up in /etc/services and fails if the name is not there.`);
  }
}

function checkValues(ctx: Ctx, d: OpenvpnDirective): void {
  const { sink } = ctx;
  const a = d.args;
  const enums = ENUM_PARAMETERS[d.name] ?? [];
  for (let i = 0; i < enums.length; i++) {
    const allowed = enums[i];
    const tok = a[i];
    if (!allowed || !tok || allowed.includes(tok.value)) continue;
    const lower = tok.value.toLowerCase();
    const which = i === 0 ? '' : ` as parameter ${i + 1}`;
    sink.add(tok.range, 'error', 'openvpn/invalid-value', `${d.name} takes ${allowed.join(', ')}${which} (case-sensitive), not ${quote(tok.value)}; OpenVPN refuses the file.`,
      allowed.includes(lower) ? { title: `Write "${lower}"`, edits: [{ ...tok.range, text: lower }], preferred: true } : undefined);
    return;
  }
  // OpenVPN 2.6.14 aborts on a one-character variable name (env_set.c:349 assertion
  // "name && strlen(name) > 1", verified): "setenv X 1" kills it.
  if (d.name === 'setenv' && a[0] && a[0].value.length < 2) {
    sink.add(a[0].range, 'error', 'openvpn/invalid-value', 'OpenVPN 2.6 aborts on a one-character setenv name ("Assertion failed at env_set.c"); use a longer name.');
    return;
  }
  switch (d.name) {
    case 'proto': {
      const p = a[0];
      if (p && !PROTO_NAMES.has(p.value)) sink.add(p.range, 'error', 'openvpn/invalid-value', `${quote(p.value)} is not a protocol; use udp, tcp-client, tcp-server (or their 4/6 variants). OpenVPN refuses the file ("Bad protocol").`);
      return;
    }
    case 'remote': {
      const host = a[0];
      if (host && /^\[.*\]$/.test(host.value)) {
        const unbracketed = host.value.slice(1, -1);
        sink.add(host.range, 'error', 'openvpn/invalid-remote', `OpenVPN does not understand [brackets] around an address: it tries to resolve ${quote(host.value)} as a name and fails. Write ${unbracketed} and the port as separate parameters.`, {
          title: `Write ${unbracketed} without brackets`,
          edits: [{ ...host.range, text: unbracketed }],
          preferred: true,
        });
      }
      checkPortValue(ctx, d, 1);
      const p = a[2];
      if (p && !PROTO_NAMES.has(p.value)) sink.add(p.range, 'error', 'openvpn/invalid-value', `${quote(p.value)} is not a protocol ("remote: bad protocol associated with host"); OpenVPN refuses the file.`);
      return;
    }
    case 'port':
    case 'lport':
    case 'rport':
      checkPortValue(ctx, d, 0);
      return;
    case 'resolv-retry': {
      const v = a[0];
      if (v && v.value !== 'infinite' && !/^[0-9]+$/.test(v.value)) {
        sink.add(v.range, 'warning', 'openvpn/invalid-value', `resolv-retry ${quote(v.value)} is read by OpenVPN 2.6 as 0 (no retries at all) and refused by 2.7; use "infinite" or a number of seconds.`, {
          title: 'Use "resolv-retry infinite"',
          edits: [{ ...v.range, text: 'infinite' }],
        });
      }
      return;
    }
    case 'fragment': {
      const v = a[0];
      if (v && atoi(v.value) < 68) sink.add(v.range, 'error', 'openvpn/invalid-value', 'fragment needs to be at least 68; OpenVPN refuses the file.');
      return;
    }
    default:
      return;
  }
}

interface Found {
  last?: OpenvpnDirective;
  all: OpenvpnDirective[];
}

function collect(doc: OpenvpnDocument): Map<string, Found> {
  const m = new Map<string, Found>();
  for (const d of doc.directives) {
    if (d.inline) continue;
    // A miscapitalised option is already an error; count it as what the user meant so the
    // whole-file rules do not pile up a second, misleading finding.
    const lower = d.name.toLowerCase();
    const name = !KNOWN_OPTIONS.has(d.name) && KNOWN_OPTIONS.has(lower) ? lower : d.name;
    let f = m.get(name);
    if (!f) { f = { all: [] }; m.set(name, f); }
    f.all.push(d);
    f.last = d;
  }
  return m;
}

function checkWhole(ctx: Ctx, doc: OpenvpnDocument): void {
  const { sink, options } = ctx;
  const by = collect(doc);
  const last = (n: string): OpenvpnDirective | undefined => by.get(n)?.last;
  const has = (n: string): boolean => by.has(n);

  const isServer = has('server') || has('server-bridge') || last('mode')?.args[0]?.value === 'server' || has('tls-server');
  const isClient = !isServer && (has('client') || has('pull') || has('tls-client'));
  // One reading of proto/port/remote for the linter and the probes (config/openvpn/remotes.ts): a
  // remote's own protocol only when it is one, else its <connection> block's, else the global proto.
  const transports = remoteTransports(doc);
  const globalTcp = transports.global === 'tcp';
  const anyTcp = globalTcp || transports.remotes.some((p) => p === 'tcp');
  const allTcp = transports.remotes.length > 0 ? transports.remotes.every((p) => p === 'tcp') : globalTcp;

  // helper.c helper_keepalive: ping/ping-restart/ping-exit count only when their atoi() is non-zero.
  const ping = last('ping');
  const pingRestart = last('ping-restart');
  const pingExit = last('ping-exit');
  const pingSet = ping !== undefined && atoi(ping.args[0]?.value) !== 0;
  const restartSet = pingRestart !== undefined && atoi(pingRestart.args[0]?.value) !== 0;
  const exitSet = pingExit !== undefined && atoi(pingExit.args[0]?.value) !== 0;
  const keepalive = last('keepalive');
  const rec = keepaliveAdvice(options.measured).openvpn;
  const recText = rec.line;
  const natWords = describeMeasuredNat(options.measured);

  if (keepalive && keepalive.args.length === 2) {
    const i = atoi(keepalive.args[0]?.value);
    const t = atoi(keepalive.args[1]?.value);
    if (i !== 0 || t !== 0) {
      if (pingSet || restartSet || exitSet) {
        const others = [pingSet ? ping : undefined, restartSet ? pingRestart : undefined, exitSet ? pingExit : undefined]
          .filter((x): x is OpenvpnDirective => x !== undefined);
        sink.add(keepalive.nameToken.range, 'error', 'openvpn/keepalive-conflict',
          `keepalive conflicts with ${others.map((o) => o.name).join(', ')} (line ${others.map((o) => o.line.number).join(', ')}); OpenVPN refuses the file. keepalive already sets ping and ping-restart.`, {
            title: `Delete the ${others.map((o) => o.name).join('/')} line${others.length > 1 ? 's' : ''}`,
            edits: others.map((o) => ctx.source.deleteLine(o.line)),
          });
      } else if (i <= 0 || t <= 0) {
        sink.add(keepalive.range, 'error', 'openvpn/invalid-keepalive', 'keepalive parameters must be > 0; OpenVPN refuses the file.', {
          title: `Use "${recText}"`, edits: [{ ...keepalive.range, text: recText }], preferred: true,
        });
      } else if (i * 2 > t) {
        sink.add(keepalive.range, 'error', 'openvpn/invalid-keepalive',
          `The restart timeout (${t}) must be at least twice the ping interval (${i}); OpenVPN refuses the file.`, {
            title: `Use "${recText}"`, edits: [{ ...keepalive.range, text: recText }], preferred: true,
          });
      } else if (natWords !== undefined && keepaliveOutlivesNat(i, rec.ping, options.measured)) {
        sink.add(keepalive.range, 'warning', 'openvpn/keepalive-exceeds-nat-lifetime',
          `keepalive pings every ${i} s, but ${natWords}: the mapping expires between pings. Use "${recText}".`, {
            title: `Use "${recText}"`, edits: [{ ...keepalive.range, text: recText }], preferred: true,
          });
      }
      for (const [k, tok] of [[i, keepalive.args[0]], [t, keepalive.args[1]]] as const) {
        if (tok && !/^[0-9]+$/.test(tok.value)) {
          sink.add(tok.range, 'warning', 'openvpn/invalid-value', `${quote(tok.value)} is read as ${k} (OpenVPN uses atoi); write a plain number of seconds.`);
        }
      }
    }
  }
  if (restartSet && exitSet && pingRestart && pingExit) {
    const first = pingRestart.line.number < pingExit.line.number ? pingRestart : pingExit;
    const second = first === pingRestart ? pingExit : pingRestart;
    sink.add(first.nameToken.range, 'warning', 'openvpn/ping-exit-restart-conflict',
      `${first.name} and ${second.name} (line ${second.line.number}) set the same timer, so only the last one, ${second.name}, applies; the man page calls them mutually exclusive.`, {
        title: `Delete this ${first.name} line`, edits: [ctx.source.deleteLine(first.line)],
      });
  }
  if (pingSet && ping && !keepalive && !restartSet && !exitSet && !has('pull') && !has('client')) {
    sink.add(ping.nameToken.range, 'warning', 'openvpn/ping-without-restart', `ping without ping-restart or ping-exit keeps the NAT mapping open but never notices a dead tunnel (OpenVPN warns "--ping should normally be used with --ping-restart or --ping-exit"). Use "${recText}" instead.`);
  }
  if (pingSet && ping && natWords !== undefined && keepaliveOutlivesNat(atoi(ping.args[0]?.value), rec.ping, options.measured)) {
    sink.add(ping.range, 'warning', 'openvpn/keepalive-exceeds-nat-lifetime', `ping every ${atoi(ping.args[0]?.value)} s, but ${natWords}: the mapping expires between pings; ping every ${rec.ping} s.`);
  }

  const fragment = last('fragment');
  if (fragment && anyTcp) {
    sink.add(fragment.nameToken.range, 'error', 'openvpn/fragment-with-tcp', 'fragment works only over UDP; with a TCP connection OpenVPN refuses the file ("--fragment can only be used with --proto udp"). Use mssfix, or remove fragment.', {
      title: 'Delete "fragment"', edits: [ctx.source.deleteLine(fragment.line)],
    });
  }
  const mssfix = last('mssfix');
  if (fragment && mssfix && fragment.args[0] && mssfix.args[0] && atoi(fragment.args[0].value) < atoi(mssfix.args[0].value)) {
    sink.add(fragment.range, 'warning', 'openvpn/fragment-smaller-than-mssfix', `fragment (${atoi(fragment.args[0].value)}) should be at least mssfix (${atoi(mssfix.args[0].value)}), or TCP packets inside the tunnel get fragmented needlessly.`);
  }
  const een = last('explicit-exit-notify');
  if (een && allTcp) {
    sink.add(een.nameToken.range, 'warning', 'openvpn/explicit-exit-notify-tcp', 'explicit-exit-notify is ignored over TCP ("--explicit-exit-notify ignored for --proto tcp"): the TCP connection closing already tells the peer.', {
      title: 'Delete "explicit-exit-notify"', edits: [ctx.source.deleteLine(een.line)],
    });
  }
  const nobind = last('nobind');
  const lport = last('lport');
  if (nobind && lport) {
    sink.add(lport.nameToken.range, 'error', 'openvpn/nobind-conflict', '"lport" and "nobind" don\'t make sense together; OpenVPN refuses the file.');
  }

  checkTlsAuthDirection(ctx, doc, by, isServer);
  // OpenVPN 2.6 negotiates the data cipher only in client/server mode (--client/--pull, --server);
  // a peer-to-peer tunnel still uses --cipher.
  if (isServer || has('client') || has('pull')) checkCipher(ctx, by);
  const udp = !allTcp;
  checkMissingKeepalive(ctx, doc, { isServer, isClient, udp, hasPing: pingSet || restartSet || exitSet || keepalive !== undefined, recText, behind: measuredBehindNat(options.measured), natWords });
  if (udp) checkMtu(ctx, doc, by, by.get('remote')?.all ?? [], last('proto')?.args[0]?.value ?? 'udp', isServer);
}

/**
 * The outer family of the tunnel: IPv6 if a remote is an IPv6 address or `proto` says udp6, IPv4
 * if every remote is an IPv4 address or `proto` says udp4; undefined (the measured path's family)
 * when host names leave it open.
 */
function outerFamily(remotes: readonly OpenvpnDirective[], proto: string): IpFamily | undefined {
  const families = remotes.map((r) => isIP(r.args[0]?.value ?? ''));
  if (families.includes(6) || /^(udp|tcp)6/.test(proto)) return 'IPv6';
  if ((families.length > 0 && families.every((f) => f === 4)) || /^(udp|tcp)4/.test(proto)) return 'IPv4';
  return undefined;
}

/** `mssfix MAX [mtu|fixed]` → MAX and its mode; a bare `mssfix` takes `fragment`'s, else 2.6's default. */
function mssfixSetting(mssfix: OpenvpnDirective | undefined, fragment: OpenvpnDirective | undefined): { max: number; mode: 'mtu' | 'fixed' | undefined } {
  const source = mssfix && mssfix.args.length > 0 ? mssfix : fragment && mssfix ? fragment : undefined;
  if (!source) return { max: OPENVPN_MSSFIX_DEFAULT, mode: 'mtu' };
  const mode = source.args[1]?.value;
  return { max: atoi(source.args[0]?.value), mode: mode === 'mtu' || (mode === 'fixed' && source === mssfix) ? mode : undefined };
}

/**
 * openvpn/mtu-too-large: with a measured path MTU, an `mssfix` (set, inherited from `fragment`, or
 * 2.6's default `1492 mtu` when absent) that lets TCP inside the tunnel send encapsulated packets
 * larger than the path, and on a black-hole path a `tun-mtu` whose full packets do not fit. Absent
 * or explicit, the fix is `mssfix PATH mtu` (openvpn(8): the whole packet, IP and UDP included).
 * A too-large `tun-mtu` on a path where ICMP works only costs fragmentation, which OpenVPN's own
 * default (`tun-mtu 1500`) accepts by design: it is not flagged there.
 */
function checkMtu(ctx: Ctx, doc: OpenvpnDocument, by: Map<string, Found>, remotes: readonly OpenvpnDirective[], proto: string, isServer: boolean): void {
  const family = outerFamily(remotes, proto);
  const dev = by.get('dev-type')?.last?.args[0]?.value ?? by.get('dev')?.last?.args[0]?.value ?? 'tun';
  const device = dev.startsWith('tap') ? 'tap' : 'tun';
  const advice = mtuAdvice(ctx.options.measured, family, device);
  if (!advice) return;
  const path = advice.path;
  const blackHole = path.blackHole === true;
  const severity = blackHole ? 'warning' : 'info';
  const consequence = blackHole
    ? 'Packets that do not fit can vanish without a trace: big transfers and SSH sessions through the tunnel hang.'
    : 'Packets that do not fit are fragmented on the way, which costs throughput and fails where fragments are dropped.';
  const mssfixFix = (d: OpenvpnDirective): Fix => replaceLineFix(d, `Use "${advice.openvpn.mssfixLine}"`, advice.openvpn.mssfixLine, true);

  const mssfix = by.get('mssfix')?.last;
  const setting = mssfixSetting(mssfix, by.get('fragment')?.last);
  if (mssfix && mssfix.args.length > 0 && setting.max === 0) {
    if (blackHole) {
      ctx.sink.add(mssfix.range, 'warning', 'openvpn/mtu-too-large',
        `mssfix 0 turns off the TCP size limit, but ${pathMtuWords(path)}. ${consequence} Use "${advice.openvpn.mssfixLine}".`, mssfixFix(mssfix));
    }
  } else {
    const bytes = mssfixPacketBytes(setting.max, setting.mode, advice.outerFamily);
    if (bytes > path.bytes && mssfix) {
      ctx.sink.add(mssfix.range, severity, 'openvpn/mtu-too-large',
        `This mssfix lets TCP inside the tunnel send ${bytes}-byte packets on the wire (over ${advice.outerFamily}), but ${pathMtuWords(path)}. ${consequence} Use "${advice.openvpn.mssfixLine}".`, mssfixFix(mssfix));
    } else if (bytes > path.bytes && blackHole) {
      const anchor = anchorDirective(doc, isServer);
      if (anchor) {
        ctx.sink.add(anchor.nameToken.range, 'warning', 'openvpn/mtu-too-large',
          `No mssfix: OpenVPN 2.6 limits TCP inside the tunnel to ${OPENVPN_MSSFIX_DEFAULT}-byte packets on the wire ("mssfix ${OPENVPN_MSSFIX_DEFAULT} mtu"), but ${pathMtuWords(path)}. ${consequence} Add "${advice.openvpn.mssfixLine}".`, {
            title: `Add "${advice.openvpn.mssfixLine}"`,
            edits: [ctx.source.insertLineAfter(anchor.inline?.close ?? anchor.line, advice.openvpn.mssfixLine)],
            preferred: true,
          });
      }
    }
  }

  const tunMtu = by.get('tun-mtu')?.last;
  const tunValue = tunMtu?.args[0];
  if (blackHole && tunMtu && tunValue && /^[0-9]+$/.test(tunValue.value)) {
    const bytes = openvpnTunPacketBytes(Number(tunValue.value), advice.outerFamily, device);
    if (bytes > path.bytes) {
      ctx.sink.add(tunMtu.range, 'warning', 'openvpn/mtu-too-large',
        `tun-mtu ${tunValue.value} makes full packets about ${bytes} bytes on the wire (over ${advice.outerFamily}), but ${pathMtuWords(path)}: large packets of anything but TCP (which mssfix covers) — UDP, QUIC, DNS through the tunnel — can vanish. Use "${advice.openvpn.tunMtuLine}".`, {
          title: `Use "${advice.openvpn.tunMtuLine}"`,
          edits: [{ ...tunValue.range, text: String(advice.openvpn.tunMtu) }],
          preferred: true,
        });
    }
  }
}

/** Where a line a config lacks goes: after the option that says what the config is (remote, server, …). */
function anchorDirective(doc: OpenvpnDocument, isServer: boolean): OpenvpnDirective | undefined {
  const top = doc.directives.filter((d) => d.connection === undefined && !d.inline);
  const anchorNames = isServer ? ['server', 'server-bridge', 'mode', 'tls-server', 'proto', 'port'] : ['remote', 'proto', 'client', 'pull', 'dev'];
  for (const n of anchorNames) {
    const anchor = top.filter((d) => d.name === n).pop();
    if (anchor) return anchor;
  }
  return top[top.length - 1];
}

/**
 * tls-auth keys are used in opposite directions by the two sides (0 on one, 1 on the other) or in
 * none by both; a mismatch makes each side drop the other's packets silently (OpenVPN crypto.c
 * key_direction_state_init: each direction signs with its own quarter of the key). An
 * inline <tls-auth> takes its direction from key-direction.
 */
function checkTlsAuthDirection(ctx: Ctx, doc: OpenvpnDocument, by: Map<string, Found>, isServer: boolean): void {
  if (by.has('key-direction')) return;
  const want = isServer ? '0' : '1';
  const inline = doc.directives.find((d) => d.inline && d.name === 'tls-auth');
  const fileForm = by.get('tls-auth')?.last;
  if (inline) {
    ctx.sink.add(inline.nameToken.range, 'info', 'openvpn/tls-auth-direction',
      `The inline <tls-auth> key has no key-direction, so it is used in both directions. If the other side uses a direction (servers usually use 0, clients 1), every packet is dropped silently. Add "key-direction ${want}" if the other side uses ${want === '0' ? '1' : '0'}.`, {
        title: `Add "key-direction ${want}"`,
        edits: [ctx.source.insertLineAfter(inline.inline?.close ?? inline.line, `key-direction ${want}`)],
      });
  } else if (fileForm && fileForm.args.length === 1) {
    ctx.sink.add(fileForm.range, 'info', 'openvpn/tls-auth-direction',
      `tls-auth without a direction uses the key in both directions. If the other side gives one (servers usually use 0, clients 1), every packet is dropped silently; write "tls-auth ${bare(fileForm.args[0]?.value ?? '')} ${want}" if the other side uses ${want === '0' ? '1' : '0'}.`);
  }
}

function checkCipher(ctx: Ctx, by: Map<string, Found>): void {
  const cipher = by.get('cipher')?.last;
  if (!cipher || by.has('secret')) return;
  const name = cipher.args[0]?.value;
  if (!name) return;
  const dc = by.get('data-ciphers')?.last?.args[0]?.value ?? by.get('ncp-ciphers')?.last?.args[0]?.value;
  const list = (dc ? dc.split(':') : DEFAULT_DATA_CIPHERS).map((c) => c.toUpperCase());
  const fallback = by.get('data-ciphers-fallback')?.last?.args[0]?.value?.toUpperCase();
  if (!list.includes(name.toUpperCase()) && fallback !== name.toUpperCase()) {
    ctx.sink.add(cipher.nameToken.range, 'warning', 'openvpn/cipher-ignored',
      `cipher ${bare(name)} is not in data-ciphers (${dc ?? DEFAULT_DATA_CIPHERS.join(':')}), so OpenVPN 2.6 ignores it when negotiating the cipher. Add it to data-ciphers (or data-ciphers-fallback for an old peer).`);
  }
}

interface KeepaliveFacts {
  isServer: boolean;
  isClient: boolean;
  udp: boolean;
  hasPing: boolean;
  recText: string;
  behind: boolean;
  natWords: string | undefined;
}

function checkMissingKeepalive(ctx: Ctx, doc: OpenvpnDocument, f: KeepaliveFacts): void {
  if (!f.udp || f.hasPing) return;
  const remote = doc.directives.find((d) => d.connection === undefined && !d.inline && d.name === 'remote');
  const anchor = anchorDirective(doc, f.isServer);
  if (!anchor) return;
  const why = f.natWords ?? 'a NAT on the way drops idle UDP mappings (often after 30–60 s)';
  let severity: 'warning' | 'info';
  let message: string;
  if (f.isServer) {
    severity = 'warning';
    message = `This UDP server sets no keepalive, so it neither pushes pings to clients nor notices dead ones: ${why}, and clients behind it stop receiving. Add "${f.recText}" (it also pushes the settings to clients).`;
  } else if (f.isClient) {
    severity = f.behind ? 'warning' : 'info';
    message = `This UDP client sets no keepalive or ping; it relies on the server pushing one. If the server does not, ${why} and the tunnel goes quiet. Add "${f.recText}".`;
  } else if (remote) {
    severity = 'warning';
    message = `This UDP peer sets no keepalive or ping: ${why}, and nothing notices. Add "${f.recText}".`;
  } else {
    return;
  }
  const target: SourceLine = anchor.inline?.close ?? anchor.line;
  ctx.sink.add(anchor.nameToken.range, severity, 'openvpn/missing-keepalive', message, {
    title: `Add "${f.recText}"`,
    edits: [ctx.source.insertLineAfter(target, f.recText)],
    preferred: true,
  });
}
