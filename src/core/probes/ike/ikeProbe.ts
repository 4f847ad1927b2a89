// ike / ike-natt: an IKEv2 IKE_SA_INIT to UDP 500, or to UDP 4500 behind the non-ESP marker.
// Any IKE answer, NO_PROPOSAL_CHOSEN included, means an IKEv2 responder is there (`open`). A full
// answer carries NAT_DETECTION hashes that tell whether a NAT rewrote our address (RFC 7296 §2.23).
import { createHash, randomBytes } from 'node:crypto';
import type { ProbeContext, ProbeFinding } from '../probeContext';
import { failureOutcome, formatSeconds, roundRtt } from '../outcome';
import { probeSchedule } from '../../net/retransmission';
import { UdpTransactions } from '../../net/udpTransactions';
import { sharedIkeLimiter } from './ikeRateLimiter';
import {
  NON_ESP_MARKER,
  NotifyType,
  buildIkeSaInit,
  describeTransforms,
  ipBytes,
  natDetectionHash,
  notifyName,
  parseIkeSaInitResponse,
  stripNonEspMarker,
  type IkeSaInitResponse,
} from './ikeSaInit';
import { makeKeyShare, supportsDhGroup } from './keyShare';

const FIRST_GROUP = 19; // ECP256: strongSwan and libreswan both prefer ECC (see OFFERED_DH_GROUPS)
/** A responder may ask for a cookie more than once only if it restarted; two rounds are plenty. */
const MAX_COOKIE_ROUNDS = 2;

function randomSpi(): Buffer {
  for (;;) {
    const spi = randomBytes(8);
    if (!spi.equals(Buffer.alloc(8))) return spi; // RFC 7296 §3.1: SPIi must not be zero
  }
}

interface NatVerdict {
  clientBehindNat: boolean;
  serverBehindNat: boolean;
  mappedPort?: number;
}

/** RFC 7296 §2.23, hashed with the responder's SPIr as its answer's header carries it. */
export async function natVerdict(
  response: IkeSaInitResponse,
  local: { address: string; port: number },
  server: { address: string; port: number },
  publicAddress?: string,
): Promise<NatVerdict | undefined> {
  const destination = response.notifies.filter((n) => n.type === NotifyType.natDetectionDestinationIp);
  const source = response.notifies.filter((n) => n.type === NotifyType.natDetectionSourceIp);
  if (destination.length === 0 || source.length === 0) return undefined;
  const { spiI, spiR } = response;
  const ours = natDetectionHash(spiI, spiR, local.address, local.port);
  const clientBehindNat = !destination.some((n) => n.data.equals(ours));
  const theirs = natDetectionHash(spiI, spiR, server.address, server.port);
  const serverBehindNat = !source.some((n) => n.data.equals(theirs));
  const verdict: NatVerdict = { clientBehindNat, serverBehindNat };
  if (clientBehindNat && publicAddress) {
    const port = await recoverMappedPort(spiI, spiR, publicAddress, destination.map((n) => n.data));
    if (port !== undefined) verdict.mappedPort = port;
  }
  return verdict;
}

/**
 * The server hashed the address:port it saw. With the public IP known (STUN), 65 536 SHA-1s
 * recover the NAT's port: only the port is unknown. One buffer is reused and the
 * search yields to the event loop between slices, so parallel probes keep measuring true RTTs.
 */
export async function recoverMappedPort(spiI: Uint8Array, spiR: Uint8Array, publicAddress: string, hashes: Buffer[]): Promise<number | undefined> {
  let ip: Buffer;
  try {
    ip = ipBytes(publicAddress);
  } catch {
    return undefined;
  }
  const input = Buffer.concat([Buffer.from(spiI), Buffer.from(spiR), ip, Buffer.alloc(2)]);
  const portAt = input.length - 2;
  const SLICE = 4096;
  for (let start = 0; start < 65536; start += SLICE) {
    for (let port = start; port < start + SLICE; port++) {
      input.writeUInt16BE(port, portAt);
      const h = createHash('sha1').update(input).digest();
      if (hashes.some((d) => d.equals(h))) return port;
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return undefined;
}

function natSentence(v: NatVerdict | undefined, localPort: number, publicAddress: string | undefined): string {
  if (!v) return '';
  const parts: string[] = [];
  if (v.clientBehindNat) {
    if (v.mappedPort !== undefined) {
      const preserved = v.mappedPort === localPort ? ', the NAT kept your source port' : `, your source port ${localPort} was changed`;
      parts.push(`a NAT sits between you and this server (your mapped port ${v.mappedPort}${preserved})`);
    } else if (publicAddress) {
      parts.push(`a NAT sits between you and this server (it did not see you as ${publicAddress}: another NAT or address further out)`);
    } else {
      parts.push('a NAT sits between you and this server');
    }
  } else {
    parts.push('no NAT between you and this server');
  }
  if (v.serverBehindNat) parts.push('the server itself is behind a NAT or forces UDP encapsulation');
  return `; ${parts.join('; ')}`;
}

export async function probeIke(ctx: ProbeContext): Promise<ProbeFinding> {
  const { address, target, timeoutMs, options } = ctx;
  const natt = target.protocol === 'ike-natt';
  const what = `UDP ${target.port}`;
  const limiter = options.ikeLimiter ?? sharedIkeLimiter;
  const wait = limiter.delayFor(address);
  if (wait > 0) options.onProgress?.(`${ctx.label}: waiting ${formatSeconds(wait)} (at most ${limiter.limit} IKE probes per server per ${limiter.windowMs / 1000} s)`);
  if (!(await limiter.acquire(address, options.signal))) {
    return { state: 'open|filtered', rttMs: null, detail: `not probed: cancelled while waiting for the IKE politeness limit (${limiter.limit} probes per ${limiter.windowMs / 1000} s)` };
  }
  const opened = await UdpTransactions.connect(address, target.port);
  if (!(opened instanceof UdpTransactions)) return { ...failureOutcome(opened, what, '', timeoutMs), rttMs: null };
  const socket = opened;
  try {
    const local = socket.local;
    const spiI = randomSpi();
    const nonce = randomBytes(32);
    const zero = Buffer.alloc(8);
    const natdS = natDetectionHash(spiI, zero, local.address, local.port);
    const natdD = natDetectionHash(spiI, zero, address, target.port);
    let group = FIRST_GROUP;
    let cookie: Buffer | undefined;
    let keRetried = false;
    let cookieRounds = 0;
    let firstRtt: number | undefined;
    const steps: string[] = [];

    const accept = (msg: Buffer): { value: IkeSaInitResponse } | undefined => {
      const ike = natt ? stripNonEspMarker(msg) : msg;
      const parsed = ike ? parseIkeSaInitResponse(ike, spiI) : undefined;
      if (!parsed) return undefined;
      // A late duplicate of an earlier round's answer (the responder answered a retransmission):
      // it asks for what we already did, so it is not the answer to this round.
      const ke = parsed.notifies.find((n) => n.type === NotifyType.invalidKePayload);
      if (ke?.data.length === 2 && ke.data.readUInt16BE(0) === group && keRetried) return undefined;
      const c = parsed.notifies.find((n) => n.type === NotifyType.cookie);
      if (c && cookie?.equals(c.data)) return undefined;
      return { value: parsed };
    };

    for (let round = 0; round < 4; round++) {
      const keyShare = makeKeyShare(group) as Buffer;
      const request = buildIkeSaInit({ spiI, dhGroup: group, keyShare, nonce, natDetectionSource: natdS, natDetectionDestination: natdD, ...(cookie ? { cookie } : {}) });
      const packet = natt ? Buffer.concat([NON_ESP_MARKER, request]) : request;
      // Identical retransmissions are fine: same SPIi, the responder resends its cached reply
      // (RFC 7296 §2.1).
      const outcome = await socket.request({ packet, match: accept, schedule: probeSchedule(timeoutMs), signal: options.signal });
      if (outcome.kind !== 'answer') {
        if (firstRtt === undefined) {
          return {
            ...failureOutcome(outcome, what, 'a firewall drops IKE, or no IKEv2 responder listens (UDP silence is ambiguous)', timeoutMs),
            rttMs: null,
          };
        }
        // It answered before and went quiet after our retry: still a responder.
        return { state: 'open', rttMs: roundRtt(firstRtt), detail: `IKEv2 responder answered (${steps.join(', ')}) but not our retry` };
      }
      firstRtt ??= outcome.rttMs;
      const response = outcome.value;
      const cookieNotify = response.notifies.find((n) => n.type === NotifyType.cookie);
      if (cookieNotify && cookieRounds < MAX_COOKIE_ROUNDS) {
        // RFC 7296 §2.6: the same request again, N(COOKIE) first.
        cookieRounds++;
        cookie = cookieNotify.data;
        steps.push('COOKIE');
        continue;
      }
      const invalidKe = response.notifies.find((n) => n.type === NotifyType.invalidKePayload);
      const wanted = invalidKe?.data.length === 2 ? invalidKe.data.readUInt16BE(0) : undefined;
      if (wanted !== undefined && !keRetried && wanted !== group && supportsDhGroup(wanted)) {
        // RFC 7296 §1.2: retry once with the group the responder asked for.
        keRetried = true;
        group = wanted;
        steps.push(`INVALID_KE_PAYLOAD → group ${wanted}`);
        continue;
      }
      const nat = await natVerdict(response, local, { address, port: target.port }, options.publicAddress);
      return { state: 'open', rttMs: roundRtt(firstRtt), detail: describeAnswer(response, steps, nat, local.port, options.publicAddress) };
    }
    return { state: 'open', rttMs: roundRtt(firstRtt ?? 0), detail: `IKEv2 responder answered (${steps.join(', ')}) but the exchange did not settle` };
  } finally {
    await socket.close();
  }
}

function describeAnswer(response: IkeSaInitResponse, steps: string[], nat: NatVerdict | undefined, localPort: number, publicAddress: string | undefined): string {
  const via = steps.length > 0 ? ` after ${steps.join(', ')}` : '';
  const error = response.notifies.find((n) => n.type < 16384);
  if (error) {
    let why = '';
    if (error.type === NotifyType.noProposalChosen) {
      why = response.spiR.equals(Buffer.alloc(8))
        ? ' (it has an IKE config for you but none of our proposals matched)'
        : ' (no IKE config matches this client address; normal for a server that expects known peers)';
    }
    if (error.type === NotifyType.invalidKePayload) why = ' (it insists on a key-exchange group we do not implement)';
    return `IKEv2 responder answered ${notifyName(error.type)}${why}${via}`;
  }
  const chosen = response.chosenTransforms.length > 0 ? `, chose ${describeTransforms(response.chosenTransforms)}` : '';
  return `IKEv2 responder accepted our IKE_SA_INIT${chosen}${via}${natSentence(nat, localPort, publicAddress)}`;
}
