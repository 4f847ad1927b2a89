// What to set in a tunnel's config for the network a diagnosis measured, and how to say what was
// measured. One module, so that for one network the report's recommendations
// (report/recommendations.ts) and the editor's lint messages and quick fixes (lint/*/rules.ts)
// name the same numbers: both call the functions below and write no number of their own.
//
// One section per setting. Keepalive is here, and the packet sizes tunnels use by default (the
// report's path-MTU picture draws the measured path against them); path-MTU advice (Report.pathMtu
// → WireGuard `MTU =`, OpenVPN `tun-mtu`/`mssfix`) belongs beside them, reading a measured path
// MTU that would join MeasuredNat.
import type { Report } from '../report/types';

/** What a diagnosis measured on the user's own network, to make advice concrete. */
export interface MeasuredNat {
  /** Seconds an idle UDP mapping survived (Report.bindingLifetime.seconds). */
  bindingLifetimeSec?: number;
  /** Report.nat.type, e.g. "symmetric"; "open-internet" means no NAT. */
  natType?: string;
}

/** The measurement one report holds (what the lint reads after that diagnosis). */
export function measuredFromReport(report: Pick<Report, 'bindingLifetime' | 'nat'>): MeasuredNat {
  const measured: MeasuredNat = {};
  if (report.nat.type !== 'unknown') measured.natType = report.nat.type;
  const seconds = report.bindingLifetime?.seconds;
  if (typeof seconds === 'number') measured.bindingLifetimeSec = seconds;
  return measured;
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

export interface KeepaliveAdvice {
  /** The binding lifetime the numbers rest on; undefined: nothing measured, the tools' defaults. */
  lifetimeSec: number | undefined;
  wireguard: {
    persistentKeepalive: number;
    /** The config line, e.g. `PersistentKeepalive = 25`. */
    line: string;
  };
  openvpn: {
    ping: number;
    restart: number;
    /** The config line, e.g. `keepalive 10 60`. */
    line: string;
  };
  /** NAT-T keepalive (RFC 3948 §4): libreswan `keep-alive=`, strongSwan `charon.keep_alive`. */
  ipsec: { natKeepaliveSec: number };
}

/**
 * An interval that keeps a mapping with this lifetime alive: ⌊lifetime/2⌋, so that one lost
 * keepalive still leaves the next one inside the lifetime; never above the tool's own default
 * (which is what works without a measurement) and never below 1 s (the tools count whole seconds).
 */
function intervalWithin(lifetimeSec: number | undefined, toolDefault: number): number {
  if (lifetimeSec === undefined) return toolDefault;
  return Math.max(1, Math.min(toolDefault, Math.floor(lifetimeSec / 2)));
}

/** The keepalive settings for each tunnel type on the measured network. */
export function keepaliveAdvice(m: MeasuredNat | undefined): KeepaliveAdvice {
  const life = measuredLifetime(m);
  const persistentKeepalive = intervalWithin(life, WIREGUARD_KEEPALIVE_DEFAULT_SEC);
  // OpenVPN `keepalive PING RESTART`: PING is what crosses the NAT, so it follows the lifetime like
  // the other tunnels do, capped at OpenVPN's own 10. RESTART is a dead-peer timer — how long the
  // peer may stay silent before the tunnel is torn down and rebuilt — and the NAT's idle lifetime
  // says nothing about it: it stays at OpenVPN's 60 s whatever the NAT. A restart that shrank with
  // the ping (6 × ping would give `keepalive 2 12` under a 5 s NAT) would turn a brief outage
  // (a Wi-Fi roam, a burst of loss) into a full reconnect. With PING ≤ 10, RESTART = 60 always
  // meets helper.c's rule that RESTART be at least twice PING.
  const ping = intervalWithin(life, OPENVPN_KEEPALIVE_DEFAULT.ping);
  const restart = OPENVPN_KEEPALIVE_DEFAULT.restart;
  return {
    lifetimeSec: life,
    wireguard: { persistentKeepalive, line: `PersistentKeepalive = ${persistentKeepalive}` },
    openvpn: { ping, restart, line: `keepalive ${ping} ${restart}` },
    ipsec: { natKeepaliveSec: intervalWithin(life, IPSEC_NAT_KEEPALIVE_DEFAULT_SEC) },
  };
}

/**
 * Whether a configured keepalive interval lets the mapping expire between two keepalives. An
 * interval no longer than the advised one is never flagged, so a fix never draws the finding again
 * (a 1 s lifetime cannot be beaten with whole seconds).
 */
export function keepaliveOutlivesNat(intervalSec: number, advisedSec: number, m: MeasuredNat | undefined): boolean {
  const life = measuredLifetime(m);
  return life !== undefined && intervalSec >= life && intervalSec > advisedSec;
}

// ── Path MTU: what a tunnel's packets need ──────────────────────────────────────────────────

/** wg-quick's interface MTU when the config sets none (wg-quick(8): 1420 unless the route says less). */
export const WIREGUARD_DEFAULT_MTU = 1420;
/**
 * Bytes WireGuard adds to each inner packet: outer IP header (20 or 40) + UDP 8 + WireGuard data
 * header 16 + Poly1305 tag 16 (WireGuard whitepaper §5.4.6): 60 over IPv4, 80 over IPv6.
 */
export const WIREGUARD_OVERHEAD_BYTES = { ipv4: 60, ipv6: 80 } as const;
/** OpenVPN 2.6 keeps its encapsulated UDP packets to 1492 bytes by default (`mssfix 1492 mtu`). */
export const OPENVPN_DEFAULT_PACKET_BYTES = 1492;

/** The size of the outer packet a WireGuard tunnel with interface MTU `mtu` sends. */
export function wireguardPacketBytes(mtu: number, outer: 'ipv4' | 'ipv6'): number {
  return mtu + WIREGUARD_OVERHEAD_BYTES[outer];
}

// ── How to name the measured NAT in messages ─────────────────────────────────────────────────

/** "drops idle UDP mappings after ~30 s": the lifetime in the words every message uses. */
export function idleLifetimeWords(lifetimeSec: number): string {
  return `drops idle UDP mappings after ~${Math.round(lifetimeSec)} s`;
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
  if (life !== undefined) return `${who} ${idleLifetimeWords(life)}`;
  if (type && type !== 'open-internet' && type !== 'udp-blocked') return `a diagnosis found ${who.replace('your ', 'a ')} on this network`;
  return undefined;
}
