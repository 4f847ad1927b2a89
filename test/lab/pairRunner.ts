// Runs the two ends of a pair test in a pair topology: the real CLI (`dist/cli.js pair offer` in
// side a's client, `pair answer TOKEN` in side b's, the answer token fed back to the offer's stdin
// as a person would paste it), and the same exchange with a standard ICE agent (aioice) for
// comparison. Every process is the lab's, so `Lab.close()` stops whatever is left.
import { resolve } from 'node:path';
import { CLI_PATH, REPO_ROOT, assertCliBuilt } from './cliRunner';
import type { LabProcess, Netns } from './netns';

export const ICE_AGENT = resolve(REPO_ROOT, 'test/lab/peers/iceAgent.py');
/** Debian's python3 (python3-aioice lives in its dist-packages, whatever else is on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

const TOKEN_LINE = /^(ndpair1:[A-Za-z0-9_-]+)$/m;

export interface PairSideRun {
  token: string;
  /** The result document (`--json`), or undefined when the output held none. */
  result: PairResultJson | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
  /** performance.now() when the token line appeared, and when the process exited. */
  tokenAt: number;
  exitedAt: number;
}

/** The pair result contract (docs/report-schema.md, "Pair test result"), as the tests read it. */
export interface PairResultJson {
  schemaVersion: number;
  result: 'direct' | 'failed';
  path: { local: string; remote: string } | null;
  rttMs: number | null;
  prediction: { verdict: 'direct' | 'direct-with-port-prediction' | 'relay'; confidence: number; reason: string };
  durationMs: number;
  detail: string;
  packetsSent?: number;
}

export interface PairRun {
  offer: PairSideRun;
  answer: PairSideRun;
  /** performance.now() when the answer line was written to the offer's stdin: both sides running. */
  bothStartedAt: number;
}

export interface PairRunOptions {
  stun: string;
  offerTimeoutMs: number;
  answerTimeoutMs: number;
  /** Extra flags per side (e.g. --port). */
  offerArgs?: readonly string[];
  answerArgs?: readonly string[];
  /** Called with both tokens as soon as both exist (the attacker starts spraying then). */
  onTokens?: (offer: string, answer: string) => void;
}

function cli(ns: Netns, args: readonly string[]): LabProcess {
  assertCliBuilt();
  return ns.spawn(process.execPath, [CLI_PATH, ...args], { cwd: REPO_ROOT });
}

function parseResult(stdout: string): PairResultJson | undefined {
  const afterToken = stdout.replace(TOKEN_LINE, '').trim();
  try {
    return JSON.parse(afterToken) as PairResultJson;
  } catch {
    return undefined;
  }
}

async function finished(proc: LabProcess, token: string, tokenAt: number, limitMs: number): Promise<PairSideRun> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((r) => {
    timer = setTimeout(() => r('timeout'), limitMs);
  });
  const outcome = await Promise.race([proc.exited, limit]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    await proc.stop();
    throw new Error(`${proc.description} did not finish within ${limitMs} ms:\n${proc.tail(40)}`);
  }
  return { token, result: parseResult(proc.stdout), code: outcome.code, stdout: proc.stdout, stderr: proc.stderr, tokenAt, exitedAt: performance.now() };
}

/** Offer in `a`, answer in `b`, the answer pasted back at once. */
export async function runPair(a: Netns, b: Netns, options: PairRunOptions): Promise<PairRun> {
  const common = ['--stun', options.stun, '--json'];
  const offer = cli(a, ['pair', 'offer', ...common, '--timeout', String(options.offerTimeoutMs), ...(options.offerArgs ?? [])]);
  const offerToken = (await offer.waitForOutput(TOKEN_LINE, 20_000))[1] as string;
  const offerTokenAt = performance.now();
  const answer = cli(b, ['pair', 'answer', offerToken, ...common, '--timeout', String(options.answerTimeoutMs), ...(options.answerArgs ?? [])]);
  const answerToken = (await answer.waitForOutput(TOKEN_LINE, 20_000))[1] as string;
  const answerTokenAt = performance.now();
  options.onTokens?.(offerToken, answerToken);
  offer.child.stdin?.write(`${answerToken}\n`);
  const bothStartedAt = performance.now();
  const [offerRun, answerRun] = await Promise.all([
    finished(offer, offerToken, offerTokenAt, options.offerTimeoutMs + 15_000),
    finished(answer, answerToken, answerTokenAt, options.answerTimeoutMs + 15_000),
  ]);
  return { offer: offerRun, answer: answerRun, bothStartedAt };
}

export interface IceRun {
  /** `ms`: how long the agent's connect() took, from the moment it had the peer's candidates. */
  controlling: { result: string; remote?: string; error?: string; ms?: number };
  controlled: { result: string; remote?: string; error?: string; ms?: number };
}

/** The same two namespaces with aioice: candidates exchanged through the test, checks for `timeoutS`. */
export async function runIce(a: Netns, b: Netns, stunIp: string, stunPort: number, timeoutS: number): Promise<IceRun> {
  const agent = (ns: Netns, role: string): LabProcess => ns.spawn(SYSTEM_PYTHON, [ICE_AGENT, role, stunIp, String(stunPort), String(timeoutS)]);
  const controlling = agent(a, 'controlling');
  const controlled = agent(b, 'controlled');
  const firstLine = async (proc: LabProcess): Promise<string> => (await proc.waitForOutput(/^(\{"ufrag".*\})$/m, 20_000))[1] as string;
  const [lineA, lineB] = await Promise.all([firstLine(controlling), firstLine(controlled)]);
  controlling.child.stdin?.write(`${lineB}\n`);
  controlled.child.stdin?.write(`${lineA}\n`);
  const result = async (proc: LabProcess): Promise<IceRun['controlling']> => {
    const line = (await proc.waitForOutput(/^(\{"result".*\})$/m, (timeoutS + 15) * 1000))[1] as string;
    await proc.exited;
    return JSON.parse(line) as IceRun['controlling'];
  };
  const [ra, rb] = await Promise.all([result(controlling), result(controlled)]);
  return { controlling: ra, controlled: rb };
}
