// The uplink: which interface, local address and gateway carry traffic to the internet, and the
// machine's own addresses beside it (the ICE host candidates). The CGNAT verdict, the router
// port-mapping probes and the report's candidates start from it. Read with the operating system's own
// tools rather than a package (`default-gateway` shells out to the same tools through execa): on
// Linux `ip route get` (policy routing aware) or /proc/net/route, on macOS `route -n get`, on
// Windows `route print`. None of them sends a packet.
import { runTool } from './systemTool';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { networkInterfaces, platform, type NetworkInterfaceInfo } from 'node:os';

/** One IPv4 address of this machine: what an ICE agent offers as a host candidate (RFC 8445 §5.1.1.1). */
export interface HostAddress {
  interface: string;
  address: string;
  /** The interface belongs to a VPN or overlay. */
  overlay: boolean;
}

export interface Uplink {
  interface: string | null;
  /** Our IPv4 address on that interface. */
  address: string | null;
  gateway: string | null;
  /** The default route goes through a VPN or tunnel: results describe the tunnel, not the LAN. */
  overlay: boolean;
  /** How it was found, for the report's evidence. */
  source: string;
  error?: string;
  /** This machine's IPv4 addresses, read when the uplink was found (the uplink's among them). */
  hostAddresses: HostAddress[];
}

/** The uplink as the routing table gives it, before the interface addresses are added. */
export type UplinkRoute = Omit<Uplink, 'hostAddresses'>;

/**
 * Interfaces of VPNs and overlays. Their addresses (Tailscale uses 100.64.0.0/10) must never be
 * read as the ISP's, and a default route through one means we are measuring the tunnel.
 */
const OVERLAY_INTERFACE = /^(tailscale|wg|utun|tun|tap|zt|ppp|ipsec|vti|nordlynx|proton|mullvad|gpd|cscotun|wireguard|openvpn)|vpn/i;

export function isOverlayInterface(name: string): boolean {
  return OVERLAY_INTERFACE.test(name);
}

/** Finds the uplink used to reach `target` (an IPv4 literal we are about to talk to anyway). */
export async function findUplink(target: string | undefined, signal: AbortSignal): Promise<Uplink> {
  const route = await findRoute(target, signal);
  return { ...route, hostAddresses: hostAddresses(networkInterfaces()) };
}

/**
 * The addresses an ICE agent would gather as host candidates: IPv4, not loopback, not link-local
 * (169.254.0.0/16 is never reachable from outside the link).
 */
export function hostAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): HostAddress[] {
  const found: HostAddress[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal || info.family !== 'IPv4' || info.address.startsWith('169.254.')) continue;
      found.push({ interface: name, address: info.address, overlay: isOverlayInterface(name) });
    }
  }
  return found;
}

async function findRoute(target: string | undefined, signal: AbortSignal): Promise<UplinkRoute> {
  try {
    switch (platform()) {
      case 'linux':
        return (target && (await fromIpRouteGet(target, signal))) || (await fromProcNetRoute());
      case 'darwin':
        return await fromBsdRoute(signal);
      case 'win32':
        return await fromWindowsRoutePrint(signal);
      default:
        return unknownUplink(`not supported on ${platform()}`);
    }
  } catch (err) {
    return unknownUplink((err as Error).message);
  }
}

function unknownUplink(error: string): UplinkRoute {
  return { interface: null, address: null, gateway: null, overlay: false, source: 'none', error };
}

/** Runs a system tool (bounded in time and output) and resolves with its stdout once it exits 0. */
async function run(command: string, args: string[], signal: AbortSignal): Promise<string> {
  return (await runTool(command, args, { timeoutMs: 2000, maxBytes: 256 * 1024, signal })).stdout;
}

/** What the routing table says about the packet size towards `target` (Linux). */
export interface RouteMtu {
  /** The outgoing interface. */
  interface: string | null;
  /** A path MTU the kernel learnt from an ICMP "too big" (it expires after 10 min), else the route's own MTU. */
  cachedMtu: number | null;
  /** The interface's MTU: the largest packet this machine sends unfragmented. */
  interfaceMtu: number | null;
}

/**
 * `ip route get` towards `target` and the interface's MTU from sysfs. Nothing is sent. Null where
 * iproute2 or sysfs is missing (not Linux).
 */
export async function routeMtu(target: string, signal: AbortSignal): Promise<RouteMtu | null> {
  const family = isIP(target);
  if (family === 0) return null;
  try {
    const parsed: unknown = JSON.parse(await run('ip', ['-j', family === 6 ? '-6' : '-4', 'route', 'get', target], signal));
    return parseRouteMtu(parsed, async (dev) => Number((await readFile(`/sys/class/net/${dev}/mtu`, 'utf8')).trim()));
  } catch {
    return null;
  }
}

/** Reads `ip -j route get` output: `metrics: [{ mtu }]` holds a cached or configured path MTU. */
export async function parseRouteMtu(parsed: unknown, interfaceMtuOf: (dev: string) => Promise<number>): Promise<RouteMtu | null> {
  const route = Array.isArray(parsed) ? (parsed[0] as { dev?: unknown; metrics?: unknown }) : undefined;
  if (!route) return null;
  const dev = typeof route.dev === 'string' && /^[\w.@:-]{1,32}$/.test(route.dev) ? route.dev : null;
  const metrics = Array.isArray(route.metrics) ? (route.metrics as Array<Record<string, unknown>>) : [];
  const mtu = metrics.map((m) => m.mtu).find((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 68 && v <= 65535);
  let interfaceMtu: number | null = null;
  if (dev) {
    try {
      const n = await interfaceMtuOf(dev);
      interfaceMtu = Number.isInteger(n) && n >= 68 && n <= 65535 ? n : null;
    } catch {
      interfaceMtu = null;
    }
  }
  return { interface: dev, cachedMtu: mtu ?? null, interfaceMtu };
}

function ipv4Of(interfaceName: string): string | null {
  return networkInterfaces()[interfaceName]?.find((i) => i.family === 'IPv4' && !i.internal)?.address ?? null;
}

function uplinkFrom(iface: string | null, gateway: string | null, address: string | null, source: string): UplinkRoute {
  return {
    interface: iface,
    address: address ?? (iface ? ipv4Of(iface) : null),
    gateway: gateway && isIP(gateway) === 4 ? gateway : null,
    overlay: iface !== null && isOverlayInterface(iface),
    source,
  };
}

async function fromIpRouteGet(target: string, signal: AbortSignal): Promise<UplinkRoute | null> {
  if (isIP(target) !== 4) return null;
  try {
    const parsed: unknown = JSON.parse(await run('ip', ['-j', '-4', 'route', 'get', target], signal));
    const route = Array.isArray(parsed) ? (parsed[0] as { dev?: unknown; gateway?: unknown; prefsrc?: unknown }) : undefined;
    if (!route || typeof route.dev !== 'string') return null;
    const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    return uplinkFrom(route.dev, str(route.gateway), str(route.prefsrc), 'ip route get');
  } catch {
    return null; // no iproute2, or no JSON support: fall back to /proc
  }
}

/** /proc/net/route: hex little-endian IPv4 fields; the default route has destination and mask 0. */
export function parseProcNetRoute(text: string): { iface: string; gateway: string } | null {
  let best: { iface: string; gateway: string; metric: number } | null = null;
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[1] !== '00000000' || f[7] !== '00000000') continue;
    const flags = parseInt(f[3] ?? '0', 16);
    if ((flags & 0x1) === 0) continue; // RTF_UP
    const hex = f[2] ?? '00000000';
    const gateway = [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
    const metric = Number(f[6] ?? 0);
    if (!best || metric < best.metric) best = { iface: f[0] ?? '', gateway, metric };
  }
  return best ? { iface: best.iface, gateway: best.gateway } : null;
}

async function fromProcNetRoute(): Promise<UplinkRoute> {
  const route = parseProcNetRoute(await readFile('/proc/net/route', 'utf8'));
  if (!route) return unknownUplink('no IPv4 default route');
  return uplinkFrom(route.iface, route.gateway === '0.0.0.0' ? null : route.gateway, null, '/proc/net/route');
}

/** `route -n get default` on macOS/BSD: "gateway: 192.0.2.1" and "interface: en0" lines. */
export function parseBsdRouteGet(text: string): { iface: string | null; gateway: string | null } {
  const field = (name: string): string | null => new RegExp(`^\\s*${name}:\\s*(\\S+)`, 'm').exec(text)?.[1] ?? null;
  return { iface: field('interface'), gateway: field('gateway') };
}

async function fromBsdRoute(signal: AbortSignal): Promise<UplinkRoute> {
  const { iface, gateway } = parseBsdRouteGet(await run('route', ['-n', 'get', 'default'], signal));
  if (!iface) return unknownUplink('no IPv4 default route');
  return uplinkFrom(iface, gateway, null, 'route -n get default');
}

/** `route print -4 0.0.0.0`: rows "0.0.0.0 0.0.0.0 <gateway> <interface address> <metric>". */
export function parseWindowsRoutePrint(text: string): { gateway: string; address: string } | null {
  let best: { gateway: string; address: string; metric: number } | null = null;
  for (const m of text.matchAll(/^\s*0\.0\.0\.0\s+0\.0\.0\.0\s+(\d+\.\d+\.\d+\.\d+)\s+(\d+\.\d+\.\d+\.\d+)\s+(\d+)/gm)) {
    const metric = Number(m[3]);
    if (!best || metric < best.metric) best = { gateway: m[1] ?? '', address: m[2] ?? '', metric };
  }
  return best ? { gateway: best.gateway, address: best.address } : null;
}

async function fromWindowsRoutePrint(signal: AbortSignal): Promise<UplinkRoute> {
  const route = parseWindowsRoutePrint(await run('route', ['print', '-4', '0.0.0.0'], signal));
  if (!route) return unknownUplink('no IPv4 default route');
  const iface = Object.entries(networkInterfaces()).find(([, infos]) => infos?.some((i) => i.address === route.address))?.[0] ?? null;
  return uplinkFrom(iface, route.gateway, route.address, 'route print');
}
