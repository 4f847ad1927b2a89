// Turns a diagnosis (binding lifetime, NAT type) into keepalive numbers and words for messages.
import type { MeasuredNat } from './types';

/** wg(8): "a sensible interval that works with a wide variety of firewalls is 25 seconds". */
export const WIREGUARD_DEFAULT_KEEPALIVE = 25;

function usableLifetime(m: MeasuredNat | undefined): number | undefined {
  const s = m?.bindingLifetimeSec;
  return s !== undefined && Number.isFinite(s) && s > 0 ? s : undefined;
}

/** N = min(25, ⌊lifetime/2⌋) when a lifetime was measured (at least 1), else 25. */
export function recommendedWireguardKeepalive(m: MeasuredNat | undefined): number {
  const life = usableLifetime(m);
  if (life === undefined) return WIREGUARD_DEFAULT_KEEPALIVE;
  return Math.max(1, Math.min(WIREGUARD_DEFAULT_KEEPALIVE, Math.floor(life / 2)));
}

/** OpenVPN's own recommendation is `keepalive 10 60` (helper.c message); shorter under a fast NAT. */
export function recommendedOpenvpnKeepalive(m: MeasuredNat | undefined): { ping: number; restart: number } {
  const life = usableLifetime(m);
  const ping = life === undefined ? 10 : Math.max(1, Math.min(10, Math.floor(life / 2)));
  return { ping, restart: ping * 6 };
}

export function measuredLifetime(m: MeasuredNat | undefined): number | undefined {
  return usableLifetime(m);
}

/** True when a diagnosis says there is a NAT (or a UDP firewall) in the way. */
export function measuredBehindNat(m: MeasuredNat | undefined): boolean {
  if (usableLifetime(m) !== undefined) return true;
  const t = m?.natType;
  return t !== undefined && t !== 'open-internet' && t !== 'unknown' && t !== 'udp-blocked';
}

/** "your NAT (symmetric) drops idle UDP mappings after ~30 s", or undefined without a measurement. */
export function describeMeasuredNat(m: MeasuredNat | undefined): string | undefined {
  const life = usableLifetime(m);
  const type = m?.natType && m.natType !== 'unknown' ? m.natType : undefined;
  const who = type && type !== 'open-internet' ? `your NAT (${type})` : 'your NAT';
  if (life !== undefined) return `${who} drops idle UDP mappings after ~${Math.round(life)} s`;
  if (type && type !== 'open-internet' && type !== 'udp-blocked') return `a diagnosis found ${who.replace('your ', 'a ')} on this network`;
  return undefined;
}
