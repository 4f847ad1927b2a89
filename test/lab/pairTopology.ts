// Two peers on two networks (the pair test's lab): each client behind its own router, both home
// LANs 192.168.1.0/24 with the client at 192.168.1.2 (so host candidates collide, as they do
// between two real homes), and one "internet" namespace between the routers: a bridge carrying
// the routers' WAN addresses, coturn on two addresses (RFC 5780), and optionally an attacker.
// The routers' NATs are natTopology.ts's `natRules`, with unsolicited WAN input dropped as home
// routers drop it (test/lab/README.md explains why two NATs facing each other need that).
//
//   clienta 192.168.1.2 ─ routera (LAN .1, WAN 203.0.113.1) ─┐
//                                                            br0: coturn 203.0.113.10/.11, attacker .66
//   clientb 192.168.1.2 ─ routerb (LAN .1, WAN 203.0.113.2) ─┘
import { INTERNET, STUN_ALTERNATE, STUN_PRIMARY, natRules, type NattingBehavior } from './natTopology';
import type { Lab, Netns } from './netns';

export const HOME_LAN = { client: '192.168.1.2', router: '192.168.1.1', prefix: 24 } as const;
export const WAN_A = '203.0.113.1';
export const WAN_B = '203.0.113.2';
export const ATTACKER = '203.0.113.66';

export interface PairSideTopology {
  behavior: NattingBehavior;
  client: Netns;
  router: Netns;
  /** The router's WAN address: what the other side and the STUN servers see. */
  publicAddress: string;
}

export interface PairTopology {
  a: PairSideTopology;
  b: PairSideTopology;
  internet: Netns;
  attacker?: Netns;
  serverAddresses: readonly string[];
}

/** Builds both sides (and an attacker on the internet bridge when asked) inside `lab`. */
export async function buildPairTopology(lab: Lab, options: { a: NattingBehavior; b: NattingBehavior; attacker?: boolean }): Promise<PairTopology> {
  const internet = await lab.addNamespace('inet');
  await internet.ip('link', 'add', 'br0', 'type', 'bridge');
  await internet.linkUp('br0');
  for (const address of [STUN_PRIMARY, STUN_ALTERNATE]) await internet.addAddress('br0', `${address}/${INTERNET.prefix}`);

  /** A veth from `ns` (as `ifname`) into the internet bridge. */
  const plugIn = async (ns: Netns, ifname: string, address: string): Promise<void> => {
    const port = `p${ns.label}`.slice(0, 15);
    await lab.link(ns, ifname, internet, port);
    await internet.ip('link', 'set', port, 'master', 'br0');
    await ns.addAddress(ifname, `${address}/${INTERNET.prefix}`);
  };

  const side = async (label: 'a' | 'b', behavior: NattingBehavior, wan: string): Promise<PairSideTopology> => {
    const client = await lab.addNamespace(`client${label}`);
    const router = await lab.addNamespace(`router${label}`);
    await lab.link(client, 'eth0', router, 'lan0');
    await client.addAddress('eth0', `${HOME_LAN.client}/${HOME_LAN.prefix}`);
    await router.addAddress('lan0', `${HOME_LAN.router}/${HOME_LAN.prefix}`);
    await client.ip('route', 'add', 'default', 'via', HOME_LAN.router);
    await plugIn(router, 'wan0', wan);
    await router.sysctl('net.ipv4.ip_forward', 1);
    await router.sysctl('net.ipv4.conf.all.rp_filter', 0);
    await router.sysctl('net.ipv4.conf.default.rp_filter', 0);
    await router.nftReplace(natRules(behavior, 'wan0', HOME_LAN.client, undefined, { publicAddress: wan, dropUnsolicitedInput: true }));
    return { behavior, client, router, publicAddress: wan };
  };

  const a = await side('a', options.a, WAN_A);
  const b = await side('b', options.b, WAN_B);
  let attacker: Netns | undefined;
  if (options.attacker) {
    attacker = await lab.addNamespace('attacker');
    await plugIn(attacker, 'eth0', ATTACKER);
  }
  return { a, b, internet, ...(attacker ? { attacker } : {}), serverAddresses: [STUN_PRIMARY, STUN_ALTERNATE] };
}
