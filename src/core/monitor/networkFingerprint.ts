// A cheap summary of the machine's network attachment, compared between polls to notice a network
// change (Wi-Fi switch, VPN up/down, cable, DHCP renew with a new address) without sending a packet.
// os.networkInterfaces() is a local syscall; nothing here touches the network.

/** The shape of os.networkInterfaces(), narrowed to what the fingerprint reads. */
export interface InterfaceAddress {
  address: string;
  family: string | number;
  internal: boolean;
  cidr?: string | null;
  mac?: string;
}
export type InterfaceTable = Readonly<Record<string, readonly InterfaceAddress[] | undefined>>;

export interface NetworkFingerprint {
  /** Stable text: equal strings mean "same network attachment as far as we can see". */
  key: string;
  /** False when no interface has a routable (non-loopback, non-link-local) address. */
  online: boolean;
  /** How many routable addresses were seen (for the log, not for the decision). */
  routableAddresses: number;
}

function familyName(family: string | number): string {
  // Node 18.0–18.3 reported the family as a number.
  return family === 4 || family === 'IPv4' ? 'IPv4' : 'IPv6';
}

/** fe80::/10 changes with nothing that matters to NAT and appears on every up interface. */
function isLinkLocal(address: string, family: string): boolean {
  if (family === 'IPv6') return /^fe[89ab]/i.test(address);
  return address.startsWith('169.254.');
}

export function networkFingerprint(table: InterfaceTable): NetworkFingerprint {
  const entries: string[] = [];
  let routable = 0;
  for (const [name, addresses] of Object.entries(table)) {
    for (const entry of addresses ?? []) {
      if (entry.internal) continue;
      const family = familyName(entry.family);
      if (isLinkLocal(entry.address, family)) continue;
      routable += 1;
      entries.push(`${name}|${family}|${entry.cidr ?? entry.address}`);
    }
  }
  // Interface enumeration order is not guaranteed between calls.
  entries.sort();
  return { key: entries.join(','), online: routable > 0, routableAddresses: routable };
}
