// Which addresses belong to this machine: a STUN-mapped address equal to one of them means no NAT.
import { networkInterfaces } from 'node:os';
import { normalizeIp } from './endpoint';

export function localAddresses(): Set<string> {
  const result = new Set<string>();
  for (const infos of Object.values(networkInterfaces())) {
    for (const info of infos ?? []) result.add(normalizeIp(info.address));
  }
  return result;
}

export function isLocalAddress(ip: string): boolean {
  return localAddresses().has(normalizeIp(ip));
}
