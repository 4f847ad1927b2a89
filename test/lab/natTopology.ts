// The NAT lab topology (shared/LAB.md): client ns → router ns (nftables NAT) → public ns, where the
// STUN servers live. The router's behaviour is a parameter; a carrier router can be put between
// the home router and the internet for double NAT / CGNAT (home WAN in 100.64.0.0/10).
//
// Addresses are documentation ranges only (RFC 5737, RFC 6598):
//   LAN       192.0.2.0/24     client 192.0.2.2, router 192.0.2.1
//   no-NAT    198.51.100.0/24  client 198.51.100.2 (a "public" address), router 198.51.100.1
//   carrier   100.64.0.0/10    home router WAN 100.64.0.2, carrier router 100.64.0.1
//   internet  203.0.113.0/24   router (or carrier) WAN 203.0.113.1, STUN servers .10 and .11
// With `ipv6` (RFC 3849 documentation prefix, never NATted, as at home):
//   LAN       2001:db8:1::/64  client ::2, router ::1
//   internet  2001:db8:2::/64  router ::1, STUN servers ::10 and ::11
import type { Lab, Netns } from './netns';

/** Every router behaviour the lab builds (a list, so tests can cover each one). */
export const NAT_BEHAVIORS = [
  'none', // the client has a public address, nothing filters
  'firewall', // public client address behind a stateful firewall (established/related only)
  'full-cone', // EIM + EIF
  'restricted-cone', // EIM + ADF
  'port-restricted-cone', // EIM + APDF
  'symmetric', // APDM + APDF (masquerade random)
  'symmetric-sequential', // APDM + APDF, each new UDP mapping on the next port (20000, 20001, …)
  'udp-blocked', // NAT, but every UDP packet is dropped
] as const;
export type NatBehavior = (typeof NAT_BEHAVIORS)[number];

export type NattingBehavior = Exclude<NatBehavior, 'none' | 'firewall'>;

export interface NatTopologyOptions {
  behavior: NatBehavior;
  /** Drop this percentage of forwarded UDP packets (each direction), via nftables numgen. */
  udpLossPercent?: number;
  /** Double NAT / CGNAT: a carrier router with this behaviour between the home router and the internet. */
  carrier?: { behavior: NattingBehavior };
  /** STUN server addresses in the public ns (default 203.0.113.10 and .11). */
  serverAddresses?: readonly string[];
  /** nf_conntrack_udp_timeout(_stream) in the NAT router(s), for binding-lifetime tests. */
  udpTimeoutSec?: number;
  /**
   * nf_conntrack_udp_timeout_stream alone (a flow that went both ways), when it should differ from
   * `udpTimeoutSec` as on real Linux routers (30 s and 120 s by default).
   */
  udpStreamTimeoutSec?: number;
  /**
   * Dual stack: IPv6 is routed without NAT. Its router filtering follows the IPv4 behaviour the
   * way home routers do: `none` lets everything in, `udp-blocked` drops all UDP, every other
   * behaviour is a stateful firewall (established/related in, nothing new). Not with `carrier`.
   */
  ipv6?: boolean;
  /**
   * RFC 5780 §4.5 / RFC 4787 REQ-9: the (home) router loops packets the client sends to the
   * router's own public address back to the client, source rewritten to the public address.
   * Only for NATting behaviours without a carrier.
   */
  hairpinning?: boolean;
  /** The MTU of the link between the (outermost) router and the internet: a smaller path MTU. */
  wanMtu?: number;
  /**
   * A PMTU black hole: the router's ICMP "fragmentation needed" (and ICMPv6 "packet too big") never
   * leave it — dropped in its output chain, counted (LAB.md). Needs `wanMtu`.
   */
  pmtuBlackHole?: boolean;
}

export interface NatTopology {
  behavior: NatBehavior;
  client: Netns;
  /** The home router (the only router without a carrier). */
  router: Netns;
  /** The carrier (CGNAT) router, when asked for. */
  carrier?: Netns;
  publicNs: Netns;
  /** The client's own address. */
  clientAddress: string;
  /** The address STUN servers should see for the client (WAN of the outermost NAT, or the client). */
  expectedPublicAddress: string;
  /** STUN server addresses configured in the public ns. */
  serverAddresses: readonly string[];
  /** Changes the emulated UDP loss (0 removes it). */
  setUdpLoss(percent: number): Promise<void>;
  /** Adds another address on the public side (e.g. for a hostile responder). */
  addPublicAddress(address: string): Promise<void>;
  /** With `ipv6`: the client's IPv6 address (also what servers see) and the servers' IPv6 addresses. */
  clientAddress6?: string;
  serverAddresses6?: readonly string[];
}

export const LAN = { client: '192.0.2.2', router: '192.0.2.1', prefix: 24 } as const;
export const PUBLIC_LAN = { client: '198.51.100.2', router: '198.51.100.1', prefix: 24 } as const;
export const CARRIER = { home: '100.64.0.2', carrier: '100.64.0.1', prefix: 10 } as const;
export const INTERNET = { router: '203.0.113.1', prefix: 24 } as const;
export const STUN_PRIMARY = '203.0.113.10';
export const STUN_ALTERNATE = '203.0.113.11';
export const LAN6 = { client: '2001:db8:1::2', router: '2001:db8:1::1', prefix: 64 } as const;
export const INTERNET6 = { router: '2001:db8:2::1', prefix: 64 } as const;
export const STUN6_PRIMARY = '2001:db8:2::10';
export const STUN6_ALTERNATE = '2001:db8:2::11';

const NAT_TABLE = 'labnat';
const LOSS_TABLE = 'labloss';
const FIREWALL6_TABLE = 'labfw6';
const BLACK_HOLE_TABLE = 'labpmtubh';

/** Builds the topology inside `lab` (namespaces are deleted by `lab.close()`). */
export async function buildNatTopology(lab: Lab, options: NatTopologyOptions): Promise<NatTopology> {
  const { behavior } = options;
  const serverAddresses = options.serverAddresses ?? [STUN_PRIMARY, STUN_ALTERNATE];
  const natted = behavior !== 'none' && behavior !== 'firewall';
  if (options.carrier && !natted) throw new Error('a carrier NAT needs a NATting home router');
  if (options.carrier && options.ipv6) throw new Error('ipv6 is not built for carrier topologies yet');
  if (options.hairpinning && (!natted || options.carrier)) throw new Error('hairpinning needs a NATting router and no carrier');

  const client = await lab.addNamespace('client');
  const router = await lab.addNamespace('router');
  const carrier = options.carrier ? await lab.addNamespace('carrier') : undefined;
  const publicNs = await lab.addNamespace('public');

  if (options.ipv6) {
    // Before any link exists: no duplicate address detection, so link-local and global IPv6
    // addresses are usable at once (a tentative address delays neighbour discovery by ~1 s).
    for (const ns of [client, router, publicNs]) {
      await ns.sysctl('net.ipv6.conf.all.accept_dad', 0);
      await ns.sysctl('net.ipv6.conf.default.accept_dad', 0);
    }
  }

  // client ↔ home router
  const lan = natted ? LAN : PUBLIC_LAN;
  await lab.link(client, 'eth0', router, 'lan0');
  await client.addAddress('eth0', `${lan.client}/${lan.prefix}`);
  await router.addAddress('lan0', `${lan.router}/${lan.prefix}`);
  await client.ip('route', 'add', 'default', 'via', lan.router);

  // home router ↔ (carrier router ↔) internet
  const edge = carrier ?? router;
  if (carrier) {
    await lab.link(router, 'wan0', carrier, 'lan0');
    await router.addAddress('wan0', `${CARRIER.home}/${CARRIER.prefix}`);
    await carrier.addAddress('lan0', `${CARRIER.carrier}/${CARRIER.prefix}`);
    await router.ip('route', 'add', 'default', 'via', CARRIER.carrier);
  }
  await lab.link(edge, 'wan0', publicNs, 'eth0');
  await edge.addAddress('wan0', `${INTERNET.router}/${INTERNET.prefix}`);
  for (const address of serverAddresses) await publicNs.addAddress('eth0', `${address}/${INTERNET.prefix}`);
  // Replies to a no-NAT client (198.51.100.0/24) go back through the router.
  await publicNs.ip('route', 'add', 'default', 'via', INTERNET.router);

  for (const r of carrier ? [router, carrier] : [router]) {
    await r.sysctl('net.ipv4.ip_forward', 1);
    // Source validation would drop legitimately asymmetric lab traffic; the NAT is what we test.
    await r.sysctl('net.ipv4.conf.all.rp_filter', 0);
    await r.sysctl('net.ipv4.conf.default.rp_filter', 0);
    if (options.udpTimeoutSec !== undefined) {
      await r.sysctl('net.netfilter.nf_conntrack_udp_timeout', options.udpTimeoutSec);
      await r.sysctl('net.netfilter.nf_conntrack_udp_timeout_stream', options.udpStreamTimeoutSec ?? options.udpTimeoutSec);
    }
  }

  if (options.ipv6) {
    // nodad: the addresses are usable at once (duplicate address detection would take ~1 s).
    const add6 = (ns: Netns, ifname: string, cidr: string): Promise<void> => ns.ip('-6', 'addr', 'add', cidr, 'dev', ifname, 'nodad');
    await add6(client, 'eth0', `${LAN6.client}/${LAN6.prefix}`);
    await add6(router, 'lan0', `${LAN6.router}/${LAN6.prefix}`);
    await add6(router, 'wan0', `${INTERNET6.router}/${INTERNET6.prefix}`);
    for (const address of [STUN6_PRIMARY, STUN6_ALTERNATE]) await add6(publicNs, 'eth0', `${address}/${INTERNET6.prefix}`);
    await client.ip('-6', 'route', 'add', 'default', 'via', LAN6.router);
    await publicNs.ip('-6', 'route', 'add', 'default', 'via', INTERNET6.router);
    await router.sysctl('net.ipv6.conf.all.forwarding', 1);
  }

  const hairpin = options.hairpinning ? { lan: 'lan0', publicAddress: INTERNET.router } : undefined;
  await router.nftReplace(natRules(behavior, 'wan0', lan.client, hairpin, { publicAddress: carrier ? CARRIER.home : INTERNET.router }) + (options.ipv6 ? firewall6Rules(behavior, 'wan0') : ''));
  if (carrier && options.carrier) await carrier.nftReplace(natRules(options.carrier.behavior, 'wan0', CARRIER.home, undefined, { publicAddress: INTERNET.router }));
  // After the NAT rules: nftReplace flushes the whole ruleset.
  if (options.wanMtu !== undefined) {
    await edge.ip('link', 'set', 'wan0', 'mtu', String(options.wanMtu));
    await publicNs.ip('link', 'set', 'eth0', 'mtu', String(options.wanMtu));
  }
  if (options.pmtuBlackHole) {
    if (options.wanMtu === undefined) throw new Error('a PMTU black hole needs a smaller wanMtu');
    // Every router on the way drops its own "too big" messages: the client never learns.
    for (const r of carrier ? [router, carrier] : [router]) {
      await r.nft(
        `table inet ${BLACK_HOLE_TABLE} {\n  chain out {\n    type filter hook output priority 0; policy accept;\n` +
          '    icmp type destination-unreachable icmp code frag-needed counter drop\n' +
          '    icmpv6 type packet-too-big counter drop\n  }\n}\n',
      );
    }
  }


  const setUdpLoss = async (percent: number): Promise<void> => {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new Error(`loss must be an integer 0..100: ${percent}`);
    // Create-then-delete makes the delete safe when the table does not exist yet.
    // inet: the loss applies to IPv4 and IPv6 alike.
    let script = `table inet ${LOSS_TABLE} {}\ndelete table inet ${LOSS_TABLE}\n`;
    if (percent > 0) {
      script +=
        `table inet ${LOSS_TABLE} {\n` +
        `  chain lossy {\n    type filter hook forward priority -10; policy accept;\n` +
        // numgen's range is 0..99, so "< 100" does not parse: 100 % is a plain drop.
        `    meta l4proto udp ${percent < 100 ? `numgen random mod 100 < ${percent} ` : ''}drop\n  }\n}\n`;
    }
    await router.nft(script);
  };
  if (options.udpLossPercent) await setUdpLoss(options.udpLossPercent);

  return {
    behavior,
    client,
    router,
    ...(carrier ? { carrier } : {}),
    publicNs,
    clientAddress: lan.client,
    expectedPublicAddress: natted ? INTERNET.router : lan.client,
    serverAddresses,
    setUdpLoss,
    addPublicAddress: (address: string) => publicNs.addAddress('eth0', `${address}/${INTERNET.prefix}`),
    ...(options.ipv6 ? { clientAddress6: LAN6.client, serverAddresses6: [STUN6_PRIMARY, STUN6_ALTERNATE] } : {}),
  };
}

export interface NatRuleOptions {
  /** The router's WAN address: `symmetric-sequential` maps to it explicitly. */
  publicAddress?: string;
  /**
   * Drop new flows addressed to the router itself from the WAN, as home routers do. Two NATs
   * facing each other need it (test/lab/README.md): otherwise a peer's early check leaves an UNREPLIED
   * conntrack entry on the router that makes masquerade move the client's port.
   */
  dropUnsolicitedInput?: boolean;
}

/** The first port `symmetric-sequential` hands out; it counts up by one per new UDP mapping. */
export const SEQUENTIAL_FIRST_PORT = 20000;
const SEQUENTIAL_PORTS = 1000;

/**
 * The nftables ruleset of one router. `inside` is the single host behind it (the client, or the
 * home router for a carrier NAT): cone NATs DNAT unsolicited packets to it.
 */
export function natRules(behavior: NatBehavior, wan: string, inside: string, hairpin?: { lan: string; publicAddress: string }, options: NatRuleOptions = {}): string {
  const prerouting: string[] = [];
  const postrouting: string[] = [];
  const forward: string[] = [];
  const input: string[] = options.dropUnsolicitedInput ? [`iifname "${wan}" ct state new drop`] : [];
  if (hairpin) {
    // A packet from the LAN to our own public address and a mapped port goes back in to the
    // client (the port is the client's own: masquerade keeps ports), and leaves the router with
    // the public address as its source, as a hairpinning NAT does.
    // (Port-preserving NATs only: a masquerade-random mapping does not lead back to the client's port.)
    // The first rule only counts STUN messages (magic cookie 0x2112A442 at byte 4 of the UDP
    // payload, i.e. bit 96 from the UDP header) so that a test can prove no STUN hairpin test ran
    // when it was not asked for.
    prerouting.push(
      `iifname "${hairpin.lan}" ip daddr ${hairpin.publicAddress} udp dport 1024-65535 @th,96,32 0x2112a442 counter`,
      `iifname "${hairpin.lan}" ip daddr ${hairpin.publicAddress} udp dport 1024-65535 dnat to ${inside}`,
    );
    postrouting.push(`oifname "${hairpin.lan}" ct status dnat ip saddr ${inside} snat to ${hairpin.publicAddress}`);
  }
  let sets = '';
  const masquerade = `oifname "${wan}" masquerade`;
  switch (behavior) {
    case 'none':
      break;
    case 'firewall':
      forward.push(`iifname "${wan}" ct state established,related accept`, `iifname "${wan}" drop`);
      break;
    case 'full-cone':
      // EIF: anything arriving at a mapped port goes in (masquerade keeps the client's port).
      prerouting.push(`iifname "${wan}" udp dport 1024-65535 dnat to ${inside}`);
      postrouting.push(masquerade);
      break;
    case 'restricted-cone':
      // ADF: let in new flows only from an address the client already sent to (from that port).
      sets = `  set contacted {\n    type ipv4_addr . inet_service\n    flags dynamic,timeout\n    timeout 120s\n  }\n`;
      forward.push(`oifname "${wan}" update @contacted { ip daddr . udp sport }`);
      prerouting.push(`iifname "${wan}" ip saddr . udp dport @contacted dnat to ${inside}`);
      postrouting.push(masquerade);
      break;
    case 'port-restricted-cone':
      postrouting.push(masquerade);
      break;
    case 'symmetric':
      postrouting.push(`${masquerade} random`);
      break;
    case 'symmetric-sequential': {
      // Not `snat to IP : numgen inc mod N offset P`: nftables loads that counter in host byte
      // order into the big-endian port (ports go +256). An inet_service map keeps the order
      // (test/lab/README.md).
      if (!options.publicAddress) throw new Error('symmetric-sequential needs the router\'s public address');
      const map = Array.from({ length: SEQUENTIAL_PORTS }, (_, i) => `${i} : ${SEQUENTIAL_FIRST_PORT + i}`).join(', ');
      postrouting.push(`oifname "${wan}" meta l4proto udp snat to ${options.publicAddress} : numgen inc mod ${SEQUENTIAL_PORTS} map { ${map} }`, masquerade);
      break;
    }
    case 'udp-blocked':
      forward.push('meta l4proto udp drop');
      postrouting.push(masquerade);
      break;
  }
  const chain = (name: string, hook: string, type: string, priority: string, rules: string[]): string =>
    `  chain ${name} {\n    type ${type} hook ${hook} priority ${priority}; policy accept;\n` +
    rules.map((r) => `    ${r}\n`).join('') +
    '  }\n';
  return (
    `table ip ${NAT_TABLE} {\n` +
    sets +
    chain('pre', 'prerouting', 'nat', 'dstnat', prerouting) +
    chain('post', 'postrouting', 'nat', 'srcnat', postrouting) +
    chain('forwarding', 'forward', 'filter', 'filter', forward) +
    (input.length > 0 ? chain('unsolicited', 'input', 'filter', 'filter', input) : '') +
    '}\n'
  );
}

/** The router's IPv6 filter (no NAT66): see NatTopologyOptions.ipv6. */
export function firewall6Rules(behavior: NatBehavior, wan: string): string {
  const rules =
    behavior === 'none' ? []
    : behavior === 'udp-blocked' ? ['meta l4proto udp drop']
    : [`iifname "${wan}" ct state established,related accept`, `iifname "${wan}" drop`];
  return (
    `table ip6 ${FIREWALL6_TABLE} {\n  chain forwarding {\n    type filter hook forward priority filter; policy accept;\n` +
    rules.map((r) => `    ${r}\n`).join('') +
    '  }\n}\n'
  );
}

/**
 * Drops the first ARP reply `ns` receives: its first packet to a new neighbour then waits in the
 * kernel's neighbour queue until ARP retries (1 s), and every packet queued meanwhile leaves at
 * once — the first exchange on a path is held up the way a waking Wi-Fi or LTE radio holds it up.
 * (numgen inc counts packets from 0, so "< 1" matches the first one only.)
 */
export async function dropFirstArpReply(ns: Netns): Promise<void> {
  await ns.nft(
    'table arp labarp {\n  chain input {\n    type filter hook input priority 0; policy accept;\n' +
      '    arp operation reply numgen inc mod 1000000 < 1 drop\n  }\n}\n',
  );
}

/** STUN messages the router has hairpinned so far (see NatTopologyOptions.hairpinning). */
export async function hairpinnedStunMessages(router: Netns): Promise<number> {
  const listed = await router.check('nft', ['list', 'chain', 'ip', NAT_TABLE, 'pre']);
  const line = listed.stdout.split('\n').find((l) => l.includes('ip daddr') && l.includes('counter'));
  const match = line ? /counter packets (\d+)/.exec(line) : null;
  if (!match) throw new Error(`no hairpin counter in the router's rules:\n${listed.stdout}`);
  return Number(match[1]);
}
