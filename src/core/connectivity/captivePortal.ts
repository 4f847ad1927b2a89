// Captive portal check: one plain-HTTP request to a URL whose answer is known. A hotel or airport
// network that holds traffic at a login page answers it itself — with a redirect or its own page —
// and every VPN and P2P test then describes the portal, not the network. Plain HTTP on purpose: a
// portal cannot intercept HTTPS without a certificate error, and nothing here follows a redirect or
// sends anything but the GET.
import { request } from 'node:http';

/**
 * Mozilla's detection URL (Firefox asks it on every network): answers `success` and nothing else.
 * A setting and a flag change or disable it (README, "What leaves the machine").
 */
export const DEFAULT_CAPTIVE_PORTAL_URL = 'http://detectportal.firefox.com/success.txt';
const TIMEOUT_MS = 2000;
const MAX_BODY_BYTES = 4096;

export interface CaptivePortalCheck {
  /** True: something answered in the URL's place. Null: the check could not run. */
  portal: boolean | null;
  detail: string;
}

/** A usable check URL (plain http, a host), or why not. */
export function validateCaptivePortalUrl(text: string): { url: URL } | { error: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { error: `"${text}" is not a URL` };
  }
  if (url.protocol !== 'http:') return { error: `"${text}" must be a plain http:// URL (a portal answers only those)` };
  if (url.username || url.password) return { error: `"${text}" must not carry a user name or password` };
  return { url };
}

/**
 * Fetches `url` once. A redirect, or an answer other than 204 or a body of "success", means a
 * portal answered; no answer at all means nothing (the other tests say whether the network works).
 */
export function checkCaptivePortal(url: URL, signal: AbortSignal): Promise<CaptivePortalCheck> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (check: CaptivePortalCheck): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(check);
    };
    const req = request(url, { method: 'GET', signal, headers: { 'user-agent': 'nat-doctor', accept: 'text/plain', connection: 'close' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        const location = res.headers.location ? ` to ${hostOf(res.headers.location, url)}` : '';
        return finish({ portal: true, detail: `${url.host} answered with a redirect (HTTP ${status})${location}: a login page holds this network` });
      }
      if (status === 204) return finish({ portal: false, detail: `${url.host} answered as expected (HTTP 204)` });
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        else finish({ portal: true, detail: `${url.host} answered with a page of its own (HTTP ${status}, more than ${MAX_BODY_BYTES} bytes): a login page holds this network` });
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').trim();
        if (status === 200 && body === 'success') finish({ portal: false, detail: `${url.host} answered as expected` });
        else finish({ portal: true, detail: `${url.host} answered with something else (HTTP ${status}): a login page holds this network` });
      });
      res.on('error', () => finish({ portal: null, detail: `the answer from ${url.host} broke off` }));
    });
    const timer = setTimeout(() => finish({ portal: null, detail: `${url.host} did not answer within ${TIMEOUT_MS / 1000} s` }), TIMEOUT_MS);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ portal: null, detail: `could not reach ${url.host} (${err.code ?? err.message})` }));
    req.end();
  });
}

/** The host a redirect points to (never the full URL: it may carry session tokens). */
function hostOf(location: string, base: URL): string {
  try {
    return new URL(location, base).host;
  } catch {
    return 'another page';
  }
}
