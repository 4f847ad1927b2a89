// wireguard: WireGuard answers nobody it does not know, so without the user's keys the honest
// result of silence is `open|filtered` (only an ICMP error can say more). With a wg-quick config
// we send a real handshake initiation and verify the response (WireGuard whitepaper §5.4):
//   verified response   → open: the server accepted this key and PresharedKey
//   response, bad AEAD  → open: the server knows this key but the PresharedKey differs
//   cookie reply        → open: the server is under load; its mac1 check passed
//   silence             → open|filtered: unknown key, wrong server PublicKey, or a filter
// Never sent: data, or the confirming keepalive (it would move the server to the probe's keypair).
// Each retry is a fresh initiation (new ephemeral, newer timestamp) at least 1 s after the last:
// a replayed initiation is dropped, and one per 20 ms per peer is the server's flood limit.
import { randomBytes, type KeyObject } from 'node:crypto';
import type { ProbeContext, ProbeFinding } from '../probeContext';
import { failureOutcome, roundRtt } from '../outcome';
import { UdpTransactions } from '../../net/udpTransactions';
import { INITIATION_LENGTH, createInitiation, generateEphemeral, verifyResponse, type InitiationState, type ResponseVerdict, type WireGuardKeys } from './noiseHandshake';
import { keysForEndpoint } from './wireguardProbeConfig';

/** ≥ 1 s between initiations: a server drops an initiation whose TAI64N timestamp is not newer (whitepaper §5.1; Linux rounds it to 16.8 ms) and rate-limits each peer. */
export const WIREGUARD_RETRY_INTERVAL_MS = 1000;

export const WIREGUARD_ENDPOINT_WARNING =
  'a WireGuard server that accepts this handshake points its peer at the probe\'s address until your real client sends again (at most its PersistentKeepalive interval): traffic to that client may pause briefly';

const SILENCE_WITHOUT_KEYS =
  'WireGuard never answers a peer it does not know, so silence cannot tell open from filtered; give --config with your wg-quick file for a real handshake';

/** Times of fresh initiations within the budget: 0, 1 s, 2 s… (at least one). */
export function initiationTimes(timeoutMs: number): number[] {
  const times = [0];
  for (let t = WIREGUARD_RETRY_INTERVAL_MS; t < timeoutMs - 50 && times.length < 5; t += WIREGUARD_RETRY_INTERVAL_MS) times.push(t);
  return times;
}

export async function probeWireGuard(ctx: ProbeContext): Promise<ProbeFinding> {
  const { address, target, timeoutMs, options } = ctx;
  const what = `UDP ${target.port}`;
  const config = options.config?.wireguard;
  let keys: WireGuardKeys | undefined;
  const notes: string[] = [...(config?.notes ?? [])];
  if (config) {
    const picked = keysForEndpoint(config, target.host, target.port);
    if ('error' in picked) notes.push(picked.error);
    else {
      keys = picked.keys;
      notes.push(...picked.notes);
    }
  }
  const noteText = notes.length > 0 ? ` (config: ${notes.join('; ')})` : '';
  const opened = await UdpTransactions.connect(address, target.port);
  if (!(opened instanceof UdpTransactions)) return { ...failureOutcome(opened, what, '', timeoutMs), rttMs: null };
  const socket = opened;
  try {
    if (!keys) {
      // A well-formed initiation from a throwaway identity: the server drops it (invalid mac1),
      // but a closed port answers with ICMP, which is all this probe can learn.
      const outcome = await socket.request<never>({
        packet: throwawayInitiation,
        match: () => undefined,
        schedule: { sendAtMs: [0, Math.min(500, timeoutMs / 2)], silenceAtMs: timeoutMs },
        signal: options.signal,
      });
      if (outcome.kind === 'answer') throw new Error('unreachable: no answer is ever accepted');
      const base = failureOutcome(outcome, what, SILENCE_WITHOUT_KEYS, timeoutMs);
      return { ...base, rttMs: null, detail: base.detail + noteText };
    }
    const withKeys = keys;
    const states: InitiationState[] = [];
    let staticKeyObject: KeyObject | undefined; // imported once, reused by retries
    const packet = (transmission: number): Buffer => {
      const init = createInitiation({
        keys: withKeys,
        senderIndex: randomBytes(4).readUInt32LE(0),
        ephemeral: generateEphemeral(),
        nowMs: Date.now(),
        ...(staticKeyObject ? { staticKeyObject } : {}),
      });
      if (!init) throw new Error('the server PublicKey is not a usable X25519 key');
      staticKeyObject = init.state.staticPrivate;
      states[transmission] = init.state;
      return init.packet;
    };
    const accept = (msg: Buffer): { value: ResponseVerdict; transmission: number } | undefined => {
      for (let i = 0; i < states.length; i++) {
        const state = states[i];
        const verdict = state ? verifyResponse(msg, state) : undefined;
        if (verdict) return { value: verdict, transmission: i };
      }
      return undefined;
    };
    const outcome = await socket.request({ packet, match: accept, schedule: { sendAtMs: initiationTimes(timeoutMs), silenceAtMs: timeoutMs }, signal: options.signal });
    const warnings = [WIREGUARD_ENDPOINT_WARNING];
    if (outcome.kind === 'answer') {
      const rttMs = roundRtt(outcome.rttMs);
      const verdict = outcome.value;
      const detail =
        verdict.kind === 'verified'
          ? 'WireGuard handshake completed: the server accepted this PrivateKey and PresharedKey (response verified; no data or keepalive sent)'
          : verdict.kind === 'psk-mismatch'
            ? 'WireGuard server answered the handshake for this key, but the response does not verify: the PresharedKey differs from the server\'s'
            : 'WireGuard server is under load and answered with a cookie reply: the server PublicKey is right; try again later for a full handshake';
      return { state: 'open', rttMs, detail: `${detail}${noteText}. Note: ${WIREGUARD_ENDPOINT_WARNING}`, warnings };
    }
    const silence =
      'no handshake response: the server does not know this PrivateKey\'s public key, the Peer PublicKey is not the server\'s, or a filter drops UDP';
    const base = failureOutcome(outcome, what, silence, timeoutMs);
    // Silence may hide an accepted initiation whose response was lost; an ICMP error cannot.
    return { ...base, rttMs: null, detail: base.detail + noteText, ...(outcome.kind === 'silence' ? { warnings } : {}) };
  } finally {
    await socket.close();
  }
}

function throwawayInitiation(): Buffer {
  const a = generateEphemeral();
  const b = generateEphemeral();
  const init = createInitiation({ keys: { privateKey: a.privateKey, peerPublicKey: b.publicKey }, senderIndex: randomBytes(4).readUInt32LE(0), ephemeral: generateEphemeral(), nowMs: Date.now() });
  return init?.packet ?? Buffer.alloc(INITIATION_LENGTH);
}
