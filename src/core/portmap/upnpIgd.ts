// UPnP Internet Gateway Device: SSDP discovery (unicast to the gateway first, so host firewalls
// accept the reply — Tailscale's order — then multicast), the device description, and two read-only
// SOAP calls: GetExternalIPAddress and GetStatusInfo. Nothing is mapped. Only the gateway that
// answered SSDP is contacted over HTTP: a LOCATION pointing anywhere else is ignored.
import * as http from 'node:http';
import { isIP } from 'node:net';
import { abortableDelay } from '../net/abortableDelay';
import { UdpTransactions } from '../net/udpTransactions';

const SSDP_PORT = 1900;
const SSDP_MULTICAST = '239.255.255.250';
const SEARCH_TARGET = 'urn:schemas-upnp-org:device:InternetGatewayDevice:1';
const MAX_DESCRIPTION_BYTES = 128 * 1024;
const WAN_SERVICES = [
  'urn:schemas-upnp-org:service:WANIPConnection:2',
  'urn:schemas-upnp-org:service:WANIPConnection:1',
  'urn:schemas-upnp-org:service:WANPPPConnection:1',
];

export interface UpnpResult {
  answered: boolean;
  /** As the router reports it; `""` when it answered with an empty address. */
  externalAddress?: string;
  connectionStatus?: string;
  error?: string;
}

export function ssdpSearch(host: string): Buffer {
  return Buffer.from(
    `M-SEARCH * HTTP/1.1\r\nHOST: ${host}:${SSDP_PORT}\r\nST: ${SEARCH_TARGET}\r\nMAN: "ssdp:discover"\r\nMX: 1\r\n\r\n`,
  );
}

/** The LOCATION of an SSDP answer that names an Internet Gateway Device, or null. */
export function parseSsdpResponse(text: string): string | null {
  if (!/^HTTP\/1\.[01] 200/i.test(text)) return null;
  if (!/InternetGatewayDevice|WANIPConnection|WANPPPConnection/i.test(text)) return null;
  return /^location:\s*(\S+)\s*$/im.exec(text)?.[1] ?? null;
}

/**
 * Waits for the first IGD answer from `gateway` within the window, through the one transaction
 * engine: the unicast search is the transaction (any source port of the gateway may answer it),
 * the multicast search a fifth of the window later is one more datagram its answer can come to.
 */
async function discover(gateway: string, windowMs: number, signal: AbortSignal): Promise<string | null> {
  let socket: UdpTransactions;
  try {
    socket = await UdpTransactions.open({ family: 'IPv4' });
  } catch {
    return null; // no IPv4 socket here: no SSDP either
  }
  const answered = new AbortController();
  try {
    const multicast = abortableDelay(Math.round(windowMs / 5), AbortSignal.any([signal, answered.signal])).then(async () => {
      if (!answered.signal.aborted && !signal.aborted) await socket.sendRaw(ssdpSearch(SSDP_MULTICAST), { address: SSDP_MULTICAST, port: SSDP_PORT });
    });
    const outcome = await socket.request({
      to: { address: gateway, port: SSDP_PORT },
      packet: ssdpSearch(gateway),
      expectFrom: null,
      match: (datagram, from) => {
        if (from.address !== gateway || datagram.length > 4096) return undefined;
        const location = parseSsdpResponse(datagram.toString('latin1'));
        return location ? { value: location } : undefined;
      },
      schedule: { sendAtMs: [0], silenceAtMs: windowMs },
      signal,
    });
    answered.abort();
    await multicast;
    return outcome.kind === 'answer' ? outcome.value : null;
  } finally {
    answered.abort();
    await socket.close();
  }
}

function httpRequest(
  url: URL,
  options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string },
  timeoutMs: number,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method, headers: { Connection: 'close', ...options.headers }, timeout: timeoutMs, signal, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_DESCRIPTION_BYTES) req.destroy(new Error('answer too large'));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The WAN connection service's type and absolute control URL from a device description. */
export function findWanService(description: string, location: URL): { serviceType: string; controlUrl: URL } | null {
  const base = /<URLBase>\s*([^<\s]+)\s*<\/URLBase>/i.exec(description)?.[1];
  const services = [...description.matchAll(/<service>([\s\S]*?)<\/service>/gi)].map((m) => m[1] ?? '');
  for (const wanted of WAN_SERVICES) {
    for (const service of services) {
      const type = /<serviceType>\s*([^<\s]+)\s*<\/serviceType>/i.exec(service)?.[1];
      const control = /<controlURL>\s*([^<\s]+)\s*<\/controlURL>/i.exec(service)?.[1];
      if (type !== wanted || !control) continue;
      try {
        return { serviceType: type, controlUrl: new URL(control, base ?? location) };
      } catch {
        return null;
      }
    }
  }
  return null;
}

function soapBody(serviceType: string, action: string): string {
  return (
    '<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" ' +
    's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>' +
    `<u:${action} xmlns:u="${serviceType}"></u:${action}></s:Body></s:Envelope>\r\n`
  );
}

/** The text of `<tag>` in a SOAP answer; `""` for an empty element, null when absent. */
export function soapValue(body: string, tag: string): string | null {
  const match = new RegExp(`<(?:\\w+:)?${tag}(?:\\s[^>]*)?(?:/>|>([^<]*)<)`, 'i').exec(body);
  if (!match) return null;
  return (match[1] ?? '').trim();
}

export async function probeUpnp(gateway: string, windowMs: number, httpTimeoutMs: number, signal: AbortSignal): Promise<UpnpResult> {
  const location = await discover(gateway, windowMs, signal);
  if (!location) return { answered: false, error: 'no UPnP IGD answered on the gateway' };
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return { answered: true, error: 'the router sent an invalid description URL' };
  }
  // Talk only to the gateway that answered: a LOCATION elsewhere could aim us at any host.
  if (url.protocol !== 'http:' || url.hostname !== gateway) {
    return { answered: true, error: 'the router’s description URL points to another host; not followed' };
  }
  try {
    const description = await httpRequest(url, { method: 'GET' }, httpTimeoutMs, signal);
    const service = findWanService(description.body, url);
    if (!service || service.controlUrl.hostname !== gateway) return { answered: true, error: 'the router describes no WAN connection service' };
    const call = async (action: string): Promise<string> => {
      const body = soapBody(service.serviceType, action);
      const res = await httpRequest(
        service.controlUrl,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'text/xml; charset="utf-8"',
            SOAPAction: `"${service.serviceType}#${action}"`,
            'Content-Length': String(Buffer.byteLength(body)),
          },
          body,
        },
        httpTimeoutMs,
        signal,
      );
      return res.body;
    };
    const [external, status] = await Promise.all([call('GetExternalIPAddress'), call('GetStatusInfo')]);
    const result: UpnpResult = { answered: true };
    const reported = soapValue(external, 'NewExternalIPAddress');
    // A router's string reaches the report: keep it only if it is an address.
    const address = reported !== null && (reported === '' || isIP(reported) === 4) ? reported : null;
    if (address !== null) result.externalAddress = address;
    const connection = soapValue(status, 'NewConnectionStatus');
    if (connection) result.connectionStatus = connection;
    if (!address) result.error = 'the router reports no external address';
    return result;
  } catch (err) {
    return { answered: true, error: `the router's UPnP service failed: ${(err as Error).message}` };
  }
}
