// Where an OpenVPN client connects (options.c): each `remote HOST [PORT [PROTO]]`, with `proto`
// and `port`/`rport` as defaults; a remote inside a <connection> block takes that block's own
// proto and port first. Read once here for the "Probe endpoint" CodeLens and for the probe.
import type { OpenvpnDirective, OpenvpnDocument } from './lexer';

export type OpenvpnTransport = 'udp' | 'tcp';

export interface OpenvpnRemote {
  directive: OpenvpnDirective;
  host: string;
  /** From the remote line, else from its <connection> block. */
  port?: number;
  proto?: OpenvpnTransport;
}

export interface OpenvpnRemotes {
  remotes: OpenvpnRemote[];
  /** The top-level `proto` and `port`/`rport`, for remotes that say nothing themselves. */
  proto?: OpenvpnTransport;
  port?: number;
}

/** The protocol names OpenVPN knows (socket.c proto_names / ascii2proto), compared case-sensitively. */
export const OPENVPN_PROTO_NAMES: ReadonlySet<string> = new Set([
  'udp', 'tcp-server', 'tcp-client', 'tcp', 'udp4', 'tcp4-server', 'tcp4-client', 'tcp4', 'udp6', 'tcp6-server', 'tcp6-client', 'tcp6',
]);

/**
 * udp, udp4, udp6 → udp; tcp, tcp-client, tcp6-server… → tcp. Anything else ("UDP", "udp7", a
 * port written where the protocol goes) is not a protocol.
 */
export function transportOf(value: string | undefined): OpenvpnTransport | undefined {
  if (value === undefined || !OPENVPN_PROTO_NAMES.has(value)) return undefined;
  return value.startsWith('udp') ? 'udp' : 'tcp';
}

/** A decimal port from 1 to 65535 (service names and wrapping ports are the linter's business). */
export function portOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= 65535 ? n : undefined;
}

interface Defaults {
  proto?: OpenvpnTransport;
  port?: number;
}

/** The last valid `proto` and `port`/`rport` of one scope (top level, or one <connection> block). */
function defaultsOf(doc: OpenvpnDocument, connection: number | undefined): Defaults {
  const out: Defaults = {};
  for (const d of doc.directives) {
    if (d.connection !== connection || d.inline) continue;
    if (d.name === 'proto') {
      const proto = transportOf(d.args[0]?.value);
      if (proto) out.proto = proto;
    } else if (d.name === 'port' || d.name === 'rport') {
      const port = portOf(d.args[0]?.value);
      if (port !== undefined) out.port = port;
    }
  }
  return out;
}

/**
 * Every `remote` with a host. A remote whose own port is not a number OpenVPN could connect to is
 * left out (no default stands in for it); a protocol that is not one falls back to the defaults.
 */
export function openvpnRemotes(doc: OpenvpnDocument): OpenvpnRemotes {
  const top = defaultsOf(doc, undefined);
  const blocks = new Map<number, Defaults>();
  const remotes: OpenvpnRemote[] = [];
  for (const d of doc.directives) {
    const host = d.args[0]?.value;
    if (d.name !== 'remote' || d.inline || !host) continue;
    const portText = d.args[1]?.value;
    const explicitPort = portOf(portText);
    if (portText !== undefined && explicitPort === undefined) continue;
    let block: Defaults = {};
    if (d.connection !== undefined) {
      block = blocks.get(d.connection) ?? defaultsOf(doc, d.connection);
      blocks.set(d.connection, block);
    }
    const remote: OpenvpnRemote = { directive: d, host };
    const port = explicitPort ?? block.port;
    const proto = transportOf(d.args[2]?.value) ?? block.proto;
    if (port !== undefined) remote.port = port;
    if (proto) remote.proto = proto;
    remotes.push(remote);
  }
  const out: OpenvpnRemotes = { remotes };
  if (top.proto) out.proto = top.proto;
  if (top.port !== undefined) out.port = top.port;
  return out;
}

/**
 * The transport of every `remote` line (valid or not) and the global one, for rules that ask
 * "is this UDP?": a remote's third parameter counts only when it is a protocol; otherwise OpenVPN
 * uses its <connection> block's proto, else the top-level proto, else UDP (openvpn(8) --proto).
 */
export function remoteTransports(doc: OpenvpnDocument): { global: OpenvpnTransport; remotes: OpenvpnTransport[] } {
  const global = defaultsOf(doc, undefined).proto ?? 'udp';
  const blocks = new Map<number, Defaults>();
  const remotes: OpenvpnTransport[] = [];
  for (const d of doc.directives) {
    if (d.name !== 'remote' || d.inline) continue;
    let block: Defaults = {};
    if (d.connection !== undefined) {
      block = blocks.get(d.connection) ?? defaultsOf(doc, d.connection);
      blocks.set(d.connection, block);
    }
    remotes.push(transportOf(d.args[2]?.value) ?? block.proto ?? global);
  }
  return { global, remotes };
}
