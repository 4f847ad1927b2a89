// Lab networks for the UI end-to-end test and the README's screenshots: each scenario builds a real
// topology with real servers (test/lab) and says what NAT Doctor, run inside its client namespace,
// must show. scripts/code-server-screenshots.mjs photographs every scenario listed in
// LAB_SCENARIOS, so a new network is one more entry here and its pictures follow.
import { startCoturn } from '../lab/coturn';
import { startMiniupnpd } from '../lab/miniupnpd';
import { buildNatTopology, LAN, STUN_ALTERNATE, STUN_PRIMARY } from '../lab/natTopology';
import type { Lab, Netns } from '../lab/netns';
import { makeCertificates, startOpenVpn, startWireGuard } from '../lab/probeServers';

export type Verdict = 'ok' | 'warning' | 'blocking' | 'unknown';

export interface ScenarioSetup {
  /** The namespace code-server, its extension host and the browser run in. */
  client: Netns;
  /** User settings that point NAT Doctor at this lab's servers. */
  settings: Record<string, unknown>;
  /** The path's hops as the panel must name them, in order, with their verdicts. */
  hops: Array<{ name: string; verdict: Verdict }>;
  /** Then what was reached: STUN servers and probed endpoints, in order. */
  destinations: Array<{ name: string; verdict: Verdict }>;
  /** The small pictures the panel must draw, by kind. */
  figures: string[];
  /**
   * A WireGuard config for the quick-fix pictures. Its fix (`Add PersistentKeepalive = N`) must
   * use the binding lifetime measured here: N = min(25, ⌊lifetime / 2⌋) (src/core/advice).
   */
  quickFix?: { fileName: string; text: string };
}

export interface LabScenario {
  /** File-name part of its pictures: report-<name>-<theme>.png. */
  name: string;
  /** What the network is, for the README and the test names. */
  title: string;
  /** Binaries the scenario's servers need (labGate). */
  binaries: string[];
  build(lab: Lab): Promise<ScenarioSetup>;
}

const VPN_SERVER = '203.0.113.20';
/** Known-answer WireGuard keys (test/fixtures/probes/kat-client.conf; test keys only). */
const WG_SERVER_PRIVATE = 'oK/KSSAUGeO+iYwey90tOch4zRUZwgmaDTIchh+i+k4=';
const WG_SERVER_PUBLIC = 'yMPV+o35GDflJpPiR9u+PJXpRBUIi41C9emGFWU7zlk=';
const WG_CLIENT_PRIVATE = 'uL14uGAGRLDCP1D0a7p0iUMPvhIPFo4NidmJ8gM4QWU=';
const WG_CLIENT_PUBLIC = 'qHwXsTsQz+kC1sntBm28nbbm4AKBN4r3UmUYprgD7Fo=';
/** Both NATs forget idle UDP after this long, so the lifetime measurement ends within the test. */
const NAT_UDP_TIMEOUT_SEC = 20;

/**
 * A home router (miniupnpd: UPnP, NAT-PMP, PCP) behind the ISP's carrier-grade NAT, both
 * port-restricted cones forgetting idle UDP after 20 s, with an OpenVPN server (answers), a
 * WireGuard server (silent without the right keys) and a TCP port nothing listens on.
 */
const cgnatWithProbes: LabScenario = {
  name: 'cgnat',
  title: 'a home router behind carrier-grade NAT, with VPN probes',
  binaries: ['turnserver', 'miniupnpd', 'traceroute', 'openvpn', 'openssl', 'wireguard-go', 'wg', 'ss'],
  async build(lab) {
    const topology = await buildNatTopology(lab, {
      behavior: 'port-restricted-cone',
      carrier: { behavior: 'port-restricted-cone' },
      udpTimeoutSec: NAT_UDP_TIMEOUT_SEC,
    });
    await topology.addPublicAddress(VPN_SERVER);
    // The extension's background check and the full diagnosis trace the path seconds apart; Linux
    // rate-limits the routers' ICMP "time exceeded" per destination (icmp_ratelimit), and a hop
    // that stays silent would read as "the first router beyond the gateway is public". Real
    // carrier routers answer traceroutes from many customers; let the lab's do so too.
    for (const router of [topology.router, topology.carrier]) await router?.sysctl('net.ipv4.icmp_ratelimit', 0);
    const dir = lab.tempDir('scenario-cgnat');
    await Promise.all([
      startCoturn(topology.publicNs, { addresses: [STUN_PRIMARY, STUN_ALTERNATE] }),
      startMiniupnpd(topology.router, { wan: 'wan0', lan: 'lan0', lanSubnet: `${LAN.client}/24` }),
      startOpenVpn(topology.publicNs, { address: VPN_SERVER, port: 1194, proto: 'udp', subnet: '100.64.210.0', certs: makeCertificates(dir) }),
      startWireGuard(topology.publicNs, dir, {
        privateKey: WG_SERVER_PRIVATE, port: 51820, address: '100.64.211.1/24', peers: [{ publicKey: WG_CLIENT_PUBLIC, allowedIp: '100.64.211.2/32' }],
      }),
    ]);
    return {
      client: topology.client,
      settings: {
        'natDoctor.stunServers': [`${STUN_PRIMARY}:3478`],
        'natDoctor.probe.targets': [`${VPN_SERVER}:1194/openvpn`, `${VPN_SERVER}:51820/wireguard`, `${VPN_SERVER}:8443/tcp`],
        'natDoctor.measureLifetimeAutomatically': true,
        'natDoctor.timeoutMs': 20_000,
      },
      hops: [
        { name: 'you', verdict: 'ok' },
        { name: 'router', verdict: 'ok' },
        { name: 'carrier NAT', verdict: 'warning' },
        { name: 'internet', verdict: 'ok' },
      ],
      destinations: [
        { name: 'STUN', verdict: 'ok' },
        { name: 'openvpn', verdict: 'ok' },
        { name: 'wireguard', verdict: 'warning' },
        { name: 'tcp', verdict: 'blocking' },
      ],
      // In section order: NAT behaviour, binding lifetime, VPN reachability, STUN servers (the
      // 1500-byte path needs no MTU picture).
      figures: ['access', 'lifetime', 'timing', 'timing'],
      quickFix: {
        fileName: 'wg0.conf',
        text: [
          '[Interface]',
          `PrivateKey = ${WG_CLIENT_PRIVATE}`,
          'Address = 100.64.211.2/32',
          '',
          '[Peer]',
          `PublicKey = ${WG_SERVER_PUBLIC}`,
          `Endpoint = ${VPN_SERVER}:51820`,
          'AllowedIPs = 100.64.211.0/24',
          '',
        ].join('\n'),
      },
    };
  },
};

/**
 * A home NAT whose internet link carries 1400-byte packets and whose router drops the ICMP
 * "fragmentation needed" that would say so (a path-MTU black hole): tunnels connect, then stall on
 * anything large.
 */
const mtuBlackHole: LabScenario = {
  name: 'mtu-black-hole',
  title: 'a path-MTU black hole behind a home NAT',
  binaries: ['turnserver', 'traceroute'],
  async build(lab) {
    const topology = await buildNatTopology(lab, { behavior: 'port-restricted-cone', wanMtu: 1400, pmtuBlackHole: true });
    await startCoturn(topology.publicNs, { addresses: [STUN_PRIMARY, STUN_ALTERNATE] });
    return {
      client: topology.client,
      settings: { 'natDoctor.stunServers': [`${STUN_PRIMARY}:3478`], 'natDoctor.timeoutMs': 20_000 },
      hops: [
        { name: 'you', verdict: 'ok' },
        { name: 'router', verdict: 'ok' },
        { name: 'internet', verdict: 'warning' },
      ],
      destinations: [{ name: 'STUN', verdict: 'ok' }],
      figures: ['access', 'mtu', 'timing'],
    };
  },
};

/** Every scenario the UI test checks and the screenshot script photographs. */
export const LAB_SCENARIOS: readonly LabScenario[] = [cgnatWithProbes, mtuBlackHole];
