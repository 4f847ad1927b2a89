// What to set in a tunnel's config for the network a diagnosis measured, and how to say what was
// measured. One module, so that for one network the report's recommendations
// (report/recommendations.ts) and the editor's lint messages and quick fixes (lint/*/rules.ts)
// name the same numbers: both call the functions below and write no number of their own.
//
// One section per setting: keepalive (from the binding lifetimes), MTU (from the path MTU).
import { isIP } from 'node:net';
import { parseHostPort, isParseError } from '../net/endpoint';
import type { Report } from '../report/types';

export type IpFamily = 'IPv4' | 'IPv6';

/** A measured path MTU, as the advice needs it (Report.pathMtu with a number). */
export interface MeasuredPath {
  /** The largest IP packet, header included, proven to cross the path (Report.pathMtu.bytes). */
  bytes: number;
  /** Larger packets vanish and no ICMP "fragmentation needed" / "packet too big" comes back. */
  blackHole: boolean | null;
  /** The IP family the path was measured over: the outer header of a tunnel unless it says otherwise. */
  family: IpFamily;
}

/** What a diagnosis measured on the user's own network, to make advice concrete. */
export interface MeasuredNat {
  /** Seconds an idle UDP mapping survived after one request and one answer (Report.bindingLifetime.seconds). */
  bindingLifetimeSec?: number;
  /**
   * Measured beside it: how long a mapping that carried packets both ways for a few seconds — as a
   * tunnel's does — survives idle (Report.bindingLifetime.established; present only where it
   * differs from the one-shot lifetime beyond the measurement's resolution), and the longest idle
   * gap a brand-new mapping was proven to survive (the one-shot lifetime's lower bound), which the
   * first keepalive of a new mapping has to beat.
   */
  established?: { lifetimeSec: number; firstGapSec: number };
  /** Report.nat.type, e.g. "symmetric"; "open-internet" means no NAT. */
  natType?: string;
  /** Report.pathMtu, when it holds a number. */
  pathMtu?: MeasuredPath;
}

type SavedFields = Pick<Report, 'nat' | 'publicAddress' | 'bindingLifetime'> & Partial<Pick<Report, 'pathMtu' | 'servers'>>;

const positive = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;

/**
 * What the lint may say about the network, from saved reports newest first (the CLI's `--report`
 * passes one; the editor its history): the NAT type of the newest report, and the binding lifetime
 * and path MTU of the newest report that measured them on the same network (same public address),
 * so that a quick check after a full diagnosis does not make them disappear. The one conversion
 * from a Report to measured values.
 */
export function measuredFromReports(reportsNewestFirst: readonly SavedFields[]): MeasuredNat | undefined {
  const latest = reportsNewestFirst[0];
  if (!latest) return undefined;
  const measured: MeasuredNat = {};
  if (latest.nat.type !== 'unknown') measured.natType = latest.nat.type;
  const address = latest.publicAddress?.address;
  const sameNetwork = (r: SavedFields): boolean => r === latest || (address !== undefined && r.publicAddress?.address === address);

  const withLifetime = reportsNewestFirst.find((r) => positive(r.bindingLifetime?.seconds) && sameNetwork(r));
  const lifetime = withLifetime?.bindingLifetime;
  if (lifetime && positive(lifetime.seconds)) {
    measured.bindingLifetimeSec = lifetime.seconds;
    // The established lifetime counts only where it is proven to differ: brackets that do not
    // overlap. Two equal timers measured a grid step apart (20 s: one died at 20, the other lived
    // to 20) are one lifetime. "At least N s" (it outlived every trial) counts as N.
    const established = lifetime.established;
    const establishedSec = established ? (established.seconds ?? established.lowerSec) : undefined;
    if (established && (established.lowerSec > lifetime.upperSec || established.upperSec < lifetime.lowerSec) && positive(establishedSec)) {
      measured.established = { lifetimeSec: establishedSec, firstGapSec: Math.max(0, lifetime.lowerSec) };
    }
  }

  const withPath = reportsNewestFirst.find((r) => positive(r.pathMtu?.bytes) && sameNetwork(r));
  const path = withPath?.pathMtu;
  if (withPath && path && positive(path.bytes)) {
    measured.pathMtu = { bytes: path.bytes, blackHole: path.blackHole, family: pathFamily(path.target, withPath.servers ?? []) };
  }
  return Object.keys(measured).length > 0 ? measured : undefined;
}

/** The measurement one report holds (what `nat-doctor lint --report` lints with). */
export function measuredFromReport(report: SavedFields): MeasuredNat {
  return measuredFromReports([report]) ?? {};
}

/** Whether two measurements would give the same lint messages (the editor re-lints only on a change). */
export function sameMeasured(a: MeasuredNat | undefined, b: MeasuredNat | undefined): boolean {
  return a?.natType === b?.natType && a?.bindingLifetimeSec === b?.bindingLifetimeSec
    && a?.established?.lifetimeSec === b?.established?.lifetimeSec && a?.established?.firstGapSec === b?.established?.firstGapSec
    && a?.pathMtu?.bytes === b?.pathMtu?.bytes && a?.pathMtu?.blackHole === b?.pathMtu?.blackHole && a?.pathMtu?.family === b?.pathMtu?.family;
}

/**
 * The family of the path MTU's target: its literal address, else the address the report's server
 * of that name resolved to, else IPv4 (the family every default STUN server is reached over).
 */
function pathFamily(target: string, servers: readonly { server: string; address: string }[]): IpFamily {
  const parsed = parseHostPort(target);
  const host = isParseError(parsed) ? target : parsed.host;
  const address = isIP(host) !== 0 ? host : servers.find((s) => s.server === target)?.address ?? '';
  return isIP(address) === 6 ? 'IPv6' : 'IPv4';
}

/** The measured binding lifetime in seconds, when there is a usable one. */
export function measuredLifetime(m: MeasuredNat | undefined): number | undefined {
  const s = m?.bindingLifetimeSec;
  return s !== undefined && Number.isFinite(s) && s > 0 ? s : undefined;
}

// ── Keepalive ────────────────────────────────────────────────────────────────────────────────

/** wg(8): "a sensible interval that works with a wide variety of firewalls is 25 seconds". */
export const WIREGUARD_KEEPALIVE_DEFAULT_SEC = 25;
/** The shortest PersistentKeepalive the WireGuard author recommends without a reason to go lower. */
export const WIREGUARD_KEEPALIVE_SHORTEST_SEC = 10;
/**
 * OpenVPN's own advice: helper.c (helper_keepalive) ends its ratio error with "Recommended setting
 * is --keepalive 10 60", and openvpn(8) gives the same example.
 */
export const OPENVPN_KEEPALIVE_DEFAULT = { ping: 10, restart: 60 } as const;
/**
 * NAT-T keepalive interval when nothing was measured: libreswan's `keep-alive` (ipsec.conf(5),
 * config setup) and strongSwan's `charon.keep_alive` (strongswan.conf(5)) both default to 20 s.
 */
export const IPSEC_NAT_KEEPALIVE_DEFAULT_SEC = 20;

/**
 * Which measurement an interval rests on: none (the tool's own default), the lifetime of a mapping
 * that saw one request and one answer, or that of a mapping that carried a two-way flow.
 */
export type LifetimeBasis = 'default' | 'one-shot' | 'established';

export interface KeepaliveInterval {
  seconds: number;
  follows: LifetimeBasis;
  /** With an established lifetime: the interval an established tunnel alone would allow. */
  establishedSec?: number;
}

export interface KeepaliveAdvice {
  /** The one-shot binding lifetime the numbers rest on; undefined: nothing measured, the tools' defaults. */
  lifetimeSec: number | undefined;
  /** The established-flow lifetime, when it was measured too. */
  establishedSec: number | undefined;
  wireguard: {
    persistentKeepalive: number;
    /** The config line, e.g. `PersistentKeepalive = 25`. */
    line: string;
    interval: KeepaliveInterval;
  };
  openvpn: {
    ping: number;
    restart: number;
    /** The config line, e.g. `keepalive 10 60`. */
    line: string;
    interval: KeepaliveInterval;
  };
  /** NAT-T keepalive (RFC 3948 §4): libreswan `keep-alive=`, strongSwan `charon.keep_alive`. */
  ipsec: { natKeepaliveSec: number; interval: KeepaliveInterval };
}

/** ⌊lifetime/2⌋, never above the tool's own default and never below 1 s (the tools count whole seconds). */
function halfOf(lifetimeSec: number, toolDefault: number): number {
  return Math.max(1, Math.min(toolDefault, Math.floor(lifetimeSec / 2)));
}

/**
 * An interval that keeps a mapping alive: ⌊lifetime/2⌋, so that one lost keepalive still leaves
 * the next one inside the lifetime; never above the tool's own default (which is what works without
 * a measurement).
 *
 * Linux routers (nf_conntrack_proto_udp.c) give a mapping `nf_conntrack_udp_timeout` (30 s) until
 * it has seen an answer and, 2 s after its first packet, another packet; from then on
 * `nf_conntrack_udp_timeout_stream` (120 s). A tunnel's mapping is such a stream once it is up,
 * so the interval may follow the established lifetime — but the first keepalive after a new
 * mapping (the tunnel starting, or coming back after a quiet spell let the mapping lapse) still
 * meets the one-shot timer. A fixed interval therefore follows the established lifetime only when
 * it is no longer than the idle gap a new mapping was proven to survive; otherwise the shorter,
 * one-shot rule. (That first gap has no spare keepalive: if the first one is lost the mapping
 * lapses, and the next keepalive opens a new one that the peer learns from its authenticated
 * packets.)
 */
export function keepaliveInterval(m: MeasuredNat | undefined, toolDefault: number): KeepaliveInterval {
  const life = measuredLifetime(m);
  if (life === undefined) return { seconds: toolDefault, follows: 'default' };
  const oneShot = halfOf(life, toolDefault);
  const established = m?.established;
  if (!established || !positive(established.lifetimeSec)) return { seconds: oneShot, follows: 'one-shot' };
  const longer = halfOf(established.lifetimeSec, toolDefault);
  // A NAT that keeps two-way flows for less time than one-shot exchanges: the shorter one rules.
  if (longer < oneShot) return { seconds: longer, follows: 'established', establishedSec: longer };
  if (longer > oneShot && longer <= established.firstGapSec) return { seconds: longer, follows: 'established', establishedSec: longer };
  return { seconds: oneShot, follows: 'one-shot', establishedSec: longer };
}

/** The keepalive settings for each tunnel type on the measured network. */
export function keepaliveAdvice(m: MeasuredNat | undefined): KeepaliveAdvice {
  const wg = keepaliveInterval(m, WIREGUARD_KEEPALIVE_DEFAULT_SEC);
  // OpenVPN `keepalive PING RESTART`: PING is what crosses the NAT, so it follows the lifetime like
  // the other tunnels do, capped at OpenVPN's own 10. RESTART is a dead-peer timer — how long the
  // peer may stay silent before the tunnel is torn down and rebuilt — and the NAT's idle lifetime
  // says nothing about it: it stays at OpenVPN's 60 s whatever the NAT. A restart that shrank with
  // the ping (6 × ping would give `keepalive 2 12` under a 5 s NAT) would turn a brief outage
  // (a Wi-Fi roam, a burst of loss) into a full reconnect. With PING ≤ 10, RESTART = 60 always
  // meets helper.c's rule that RESTART be at least twice PING.
  const ovpn = keepaliveInterval(m, OPENVPN_KEEPALIVE_DEFAULT.ping);
  const restart = OPENVPN_KEEPALIVE_DEFAULT.restart;
  const ipsec = keepaliveInterval(m, IPSEC_NAT_KEEPALIVE_DEFAULT_SEC);
  return {
    lifetimeSec: measuredLifetime(m),
    establishedSec: measuredLifetime(m) !== undefined ? m?.established?.lifetimeSec : undefined,
    wireguard: { persistentKeepalive: wg.seconds, line: `PersistentKeepalive = ${wg.seconds}`, interval: wg },
    openvpn: { ping: ovpn.seconds, restart, line: `keepalive ${ovpn.seconds} ${restart}`, interval: ovpn },
    ipsec: { natKeepaliveSec: ipsec.seconds, interval: ipsec },
  };
}

/**
 * Whether a configured keepalive interval lets the mapping expire between two keepalives. An
 * interval no longer than the advised one is never flagged, so a fix never draws the finding again
 * (a 1 s lifetime cannot be beaten with whole seconds). The one-shot lifetime is the limit: an
 * interval beyond it loses a new mapping before the flow is ever established.
 */
export function keepaliveOutlivesNat(intervalSec: number, advisedSec: number, m: MeasuredNat | undefined): boolean {
  const life = measuredLifetime(m);
  return life !== undefined && intervalSec >= life && intervalSec > advisedSec;
}

/**
 * The sentence that says which lifetime the keepalives follow, or undefined when only one lifetime
 * counts. It speaks of WireGuard's interval, the keepalive that matters most to a tunnel.
 */
export function keepaliveBasisWords(advice: KeepaliveAdvice): string | undefined {
  const one = advice.lifetimeSec;
  const est = advice.establishedSec;
  const wg = advice.wireguard.interval;
  // No second lifetime, or one that allows no other interval: nothing to explain.
  if (one === undefined || est === undefined || wg.establishedSec === undefined || wg.establishedSec === wg.seconds && wg.follows === 'one-shot') return undefined;
  if (wg.follows === 'established') {
    return est >= one
      ? `These follow the established-flow lifetime (~${Math.round(est)} s): a tunnel's packets go both ways. The first keepalive after the tunnel starts, or after a quiet spell, still meets the ~${Math.round(one)} s a new mapping gets, and ${wg.seconds} s arrives in time.`
      : `These follow the established-flow lifetime (~${Math.round(est)} s), which this NAT keeps shorter than a one-shot exchange.`;
  }
  return `Once established a tunnel would be safe with PersistentKeepalive = ${wg.establishedSec} (your NAT keeps a two-way flow ~${Math.round(est)} s), but the first keepalive after a new mapping must arrive within the ~${Math.round(one)} s a one-shot exchange gets, so these follow the shorter lifetime.`;
}

// ── MTU ──────────────────────────────────────────────────────────────────────────────────────

/** IP header without options: 20 bytes (RFC 791 §3.1), 40 for IPv6 (RFC 8200 §3). */
export const IP_HEADER_BYTES: Readonly<Record<IpFamily, number>> = { IPv4: 20, IPv6: 40 };
/** RFC 768. */
export const UDP_HEADER_BYTES = 8;
/**
 * A WireGuard data message (the WireGuard paper §5.4.6): type and reserved bytes (4), receiver
 * index (4), counter (8), then the ciphertext with its 16-byte Poly1305 tag. The plaintext is
 * padded to a multiple of 16 only up to the interface MTU, so a full-MTU packet grows by exactly 32.
 * With the headers: 60 bytes over IPv4, 80 over IPv6 — wg-quick subtracts 80 whatever the family.
 */
export const WIREGUARD_DATA_OVERHEAD = 32;
/**
 * OpenVPN 2.6's data channel with its negotiable ciphers (AES-GCM, ChaCha20-Poly1305: the default
 * `data-ciphers`) adds 24 bytes per packet: opcode and peer id (4, P_DATA_V2), packet id (4) and the
 * 16-byte AEAD tag. `--fragment` adds a 4-byte header and compression framing a byte, so the budget
 * is 32 — the same as WireGuard's, which gives both tunnels one inner MTU for one path. (A CBC
 * cipher, only reachable through `data-ciphers-fallback`, needs more; `mssfix … mtu` still gets TCP
 * right there, because OpenVPN works its overhead out from the cipher in use.)
 */
export const OPENVPN_DATA_OVERHEAD = 32;
/** A TAP device carries Ethernet frames: the 14-byte header travels inside the tunnel too. */
export const ETHERNET_HEADER_BYTES = 14;
/** wg-quick(8): without `MTU`, the route's MTU minus 80 — 1420 on the usual 1500-byte link. */
export const WG_QUICK_DEFAULT_MTU = 1420;
/** openvpn(8) `--mssfix`: "The default value is 1492 mtu" (OpenVPN 2.6). */
export const OPENVPN_MSSFIX_DEFAULT = 1492;
/** RFC 8200 §5: every IPv6 link carries 1280-byte packets; Linux takes IPv6 off a smaller interface. */
export const IPV6_MINIMUM_MTU = 1280;

export interface MtuAdvice {
  path: MeasuredPath;
  /** The outer header the numbers are for. */
  outerFamily: IpFamily;
  wireguard: {
    mtu: number;
    /** The config line, `MTU = 1340`. */
    line: string;
  };
  openvpn: {
    /** The TUN device MTU whose packets, encapsulated, still fit (UDP inside the tunnel needs it). */
    tunMtu: number;
    /** `mssfix N mtu`: N is the whole encapsulated packet, IP and UDP headers included — the path MTU itself. */
    mssfix: number;
    tunMtuLine: string;
    mssfixLine: string;
  };
  /** The fitting MTU is below IPv6's 1280: IPv6 inside the tunnel stops working (RFC 8200 §5). */
  belowIpv6Minimum: boolean;
}

/**
 * The tunnel settings that fit the measured path: every encapsulated packet, outer headers
 * included, no larger than the largest packet proven to get through. Undefined without a measured
 * path. `outerFamily` is the family the tunnel runs over when the config says (an IP-literal
 * endpoint, `proto udp6`); otherwise the family the path was measured over.
 */
export function mtuAdvice(m: MeasuredNat | undefined, outerFamily?: IpFamily, openvpnDevice: 'tun' | 'tap' = 'tun'): MtuAdvice | undefined {
  const path = m?.pathMtu;
  if (!path || !positive(path.bytes)) return undefined;
  const family = outerFamily ?? path.family;
  const outer = IP_HEADER_BYTES[family] + UDP_HEADER_BYTES;
  const mtu = path.bytes - outer - WIREGUARD_DATA_OVERHEAD;
  const tunMtu = path.bytes - outer - OPENVPN_DATA_OVERHEAD - (openvpnDevice === 'tap' ? ETHERNET_HEADER_BYTES : 0);
  // RFC 791 §3.1: 68 is the smallest MTU IPv4 allows; `ip link` refuses less. No tunnel fits here.
  if (Math.min(mtu, tunMtu) < 68) return undefined;
  // openvpn(8) --mssfix: "If the mtu parameter is specified the max value is interpreted as the
  // resulting packet size of VPN packets including the IP and UDP header" (OpenVPN 2.6.0 and
  // later). So `mssfix PATH mtu` says exactly "no encapsulated packet above the path MTU", for
  // either family and any cipher: OpenVPN subtracts its real overhead to get the TCP MSS. Without
  // `mtu` (the only form before 2.6) the number excludes the IP and UDP headers (28 bytes for IPv4,
  // 48 for IPv6), which makes the same limit a family-dependent number; 2.6's own default is the
  // `mtu` form, `mssfix 1492 mtu`, sized for a 1492-byte PPPoE link.
  const mssfix = path.bytes;
  return {
    path,
    outerFamily: family,
    wireguard: { mtu, line: `MTU = ${mtu}` },
    openvpn: { tunMtu, mssfix, tunMtuLine: `tun-mtu ${tunMtu}`, mssfixLine: `mssfix ${mssfix} mtu` },
    belowIpv6Minimum: Math.min(mtu, tunMtu) < IPV6_MINIMUM_MTU,
  };
}

/** The encapsulated size of a full WireGuard packet with this interface MTU. */
export function wireguardPacketBytes(mtu: number, family: IpFamily): number {
  return mtu + WIREGUARD_DATA_OVERHEAD + UDP_HEADER_BYTES + IP_HEADER_BYTES[family];
}

/** The encapsulated size of a full OpenVPN packet from a TUN/TAP device with this MTU. */
export function openvpnTunPacketBytes(tunMtu: number, family: IpFamily, device: 'tun' | 'tap' = 'tun'): number {
  return tunMtu + (device === 'tap' ? ETHERNET_HEADER_BYTES : 0) + OPENVPN_DATA_OVERHEAD + UDP_HEADER_BYTES + IP_HEADER_BYTES[family];
}

/**
 * The largest encapsulated packet TCP inside the tunnel produces under `mssfix MAX [mtu|fixed]`
 * (openvpn(8) --mssfix): with `mtu`, MAX itself; without, MAX plus the IP and UDP headers
 * ("at most 28 bytes larger for IPv4 and 48 bytes for IPv6"); with `fixed`, MAX is the inner IP
 * packet, so the data-channel overhead comes on top.
 */
export function mssfixPacketBytes(max: number, mode: 'mtu' | 'fixed' | undefined, family: IpFamily): number {
  const headers = UDP_HEADER_BYTES + IP_HEADER_BYTES[family];
  if (mode === 'mtu') return max;
  if (mode === 'fixed') return max + OPENVPN_DATA_OVERHEAD + headers;
  return max + headers;
}

/** "the path carries packets of at most 1400 bytes…": the measured path in the words every MTU message uses. */
export function pathMtuWords(path: MeasuredPath): string {
  return `the path carries packets of at most ${path.bytes} bytes${path.blackHole ? ' and drops larger ones without the ICMP message that would tell the sender (a path-MTU black hole)' : ''}`;
}

// ── How to name the measured NAT in messages ─────────────────────────────────────────────────

/** "drops idle UDP mappings after ~30 s": the lifetime in the words every message uses. */
export function idleLifetimeWords(lifetimeSec: number, establishedSec?: number): string {
  const established = establishedSec !== undefined && Math.round(establishedSec) !== Math.round(lifetimeSec)
    ? ` (~${Math.round(establishedSec)} s once packets have gone both ways)`
    : '';
  return `drops idle UDP mappings after ~${Math.round(lifetimeSec)} s${established}`;
}

/** True when a diagnosis says there is a NAT (or a UDP firewall) in the way. */
export function measuredBehindNat(m: MeasuredNat | undefined): boolean {
  if (measuredLifetime(m) !== undefined) return true;
  const t = m?.natType;
  return t !== undefined && t !== 'open-internet' && t !== 'unknown' && t !== 'udp-blocked';
}

/** "your NAT (symmetric) drops idle UDP mappings after ~30 s", or undefined without a measurement. */
export function describeMeasuredNat(m: MeasuredNat | undefined): string | undefined {
  const life = measuredLifetime(m);
  const type = m?.natType && m.natType !== 'unknown' ? m.natType : undefined;
  const who = type && type !== 'open-internet' ? `your NAT (${type})` : 'your NAT';
  if (life !== undefined) return `${who} ${idleLifetimeWords(life, m?.established?.lifetimeSec)}`;
  if (type && type !== 'open-internet' && type !== 'udp-blocked') return `a diagnosis found ${who.replace('your ', 'a ')} on this network`;
  return undefined;
}
