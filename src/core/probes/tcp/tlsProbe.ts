// tls: connect, then a TLS handshake that accepts any certificate, so a self-signed or expired one
// is reported rather than refused (the check behind TLS-on-443 VPNs). It reports the protocol
// version and the certificate's subject, issuer and expiry, and whether it would be trusted.
import { isIP } from 'node:net';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { ProbeContext, ProbeFinding } from '../probeContext';
import { formatSeconds } from '../outcome';
import { printable as printableText } from '../../net/printable';
import { tcpConnect } from './tcpConnect';

const DAY_MS = 86_400_000;

/** Certificate names come from the server: printable and bounded before they reach a report. */
function printable(text: string): string {
  return printableText(text, 80);
}

function subjectName(cert: PeerCertificate): string {
  const s = cert.subject as Record<string, string | string[] | undefined> | undefined;
  const cn = s?.CN;
  if (cn) return `CN=${printable(Array.isArray(cn) ? cn.join(',') : cn)}`;
  const o = s?.O;
  return o ? `O=${printable(Array.isArray(o) ? o.join(',') : o)}` : 'no subject';
}

function issuerName(cert: PeerCertificate): string {
  const i = cert.issuer as Record<string, string | string[] | undefined> | undefined;
  const cn = i?.CN ?? i?.O;
  return cn ? printable(Array.isArray(cn) ? cn.join(',') : cn) : 'unknown issuer';
}

export function describeCertificate(cert: PeerCertificate | undefined, authorizationError: string | undefined, nowMs: number): string {
  if (!cert || Object.keys(cert).length === 0) return 'no certificate was presented';
  const parts = [`certificate ${subjectName(cert)}`];
  const selfSigned = authorizationError === 'DEPTH_ZERO_SELF_SIGNED_CERT' || authorizationError === 'SELF_SIGNED_CERT_IN_CHAIN';
  parts.push(selfSigned ? 'self-signed' : `issued by ${issuerName(cert)}`);
  const expires = Date.parse(cert.valid_to);
  if (Number.isFinite(expires)) {
    const days = Math.floor((expires - nowMs) / DAY_MS);
    const date = new Date(expires).toISOString().slice(0, 10);
    parts.push(days < 0 ? `EXPIRED on ${date}` : `expires ${date} (in ${days} days)`);
  }
  if (authorizationError && !selfSigned) parts.push(`not trusted here (${authorizationError})`);
  else if (!authorizationError) parts.push('trusted by this machine');
  return parts.join(', ');
}

export async function probeTls(ctx: ProbeContext): Promise<ProbeFinding> {
  const { address, target, timeoutMs, options } = ctx;
  const tcp = await tcpConnect(address, target.port, timeoutMs, options.signal);
  if (tcp.kind === 'failed') return tcp.finding;
  const rttMs = tcp.rttMs;
  return new Promise<ProbeFinding>((resolve) => {
    let settled = false;
    const servername = isIP(target.host) === 0 ? target.host : undefined;
    const tls: TLSSocket = tlsConnect({ socket: tcp.socket, rejectUnauthorized: false, ...(servername ? { servername } : {}) });
    const finish = (f: ProbeFinding): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      tls.destroy();
      tcp.socket.destroy();
      resolve(f);
    };
    const onAbort = (): void => finish({ state: 'open', rttMs, detail: `TCP ${target.port} accepted the connection; the TLS handshake was cancelled` });
    const timer = setTimeout(
      () => finish({ state: 'open', rttMs, detail: `TCP ${target.port} accepted the connection but no TLS handshake completed within ${formatSeconds(timeoutMs)} (not TLS, or a server waiting for something else)` }),
      timeoutMs,
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    tls.once('secureConnect', () => {
      const version = tls.getProtocol() ?? 'unknown TLS version';
      const authError = tls.authorizationError ? String(tls.authorizationError) : undefined;
      const certText = describeCertificate(tls.getPeerCertificate(false), authError, Date.now());
      finish({ state: 'open', rttMs, detail: `${version.replace('TLSv', 'TLS ')} handshake completed; ${certText}` });
    });
    tls.once('error', (err: NodeJS.ErrnoException) =>
      finish({ state: 'open', rttMs, detail: `TCP ${target.port} accepted the connection but the TLS handshake failed (${err.code ?? err.message})` }),
    );
  });
}
