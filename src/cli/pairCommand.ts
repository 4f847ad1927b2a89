// nat-doctor pair predict|offer|answer (README "Direct connections between two networks"):
// the two-end question. `predict` compares two saved reports; `offer` and `answer` run the live
// hole-punching test with copy-paste tokens. The token is the first line of stdout; progress and
// instructions go to stderr; with --json the result is one JSON document after the token line.
import {
  ANSWER_TIMEOUT_MS, decodePairToken, diagnose, DiagnosisCancelled, DEFAULT_TIMEOUT_MS, OFFER_TIMEOUT_MS, PAIR_VERDICT_LABEL, PairSide, predictPair, summarizeReport, validateServerList,
  type PairPrediction, type PairResult, type PairToken, type PeerNatSummary, type ProgressEvent, type Report,
} from '../core';
import { readReportFile } from './reportFile';
import { EXIT_FAILURE, EXIT_OK, UsageError, parseCommandLine, parseIntegerFlag, type CliIo } from './usage';

const PAIR_USAGE =
  'nat-doctor pair predict REPORT_A.json REPORT_B.json [--json]\n' +
  'nat-doctor pair offer  [--stun HOST:PORT]... [--timeout MS] [--port PORT] [--json]\n' +
  'nat-doctor pair answer TOKEN [--stun HOST:PORT]... [--timeout MS] [--port PORT] [--json]\n';


export async function runPairCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'predict':
      return runPredict(rest, io);
    case 'offer':
    case 'answer':
      return runLive(sub, rest, io);
    case '--help':
    case '-h':
    case 'help':
      io.stdout(PAIR_USAGE);
      return EXIT_OK;
    case undefined:
      throw new UsageError('which pair command? predict, offer or answer');
    default:
      throw new UsageError(`unknown pair command "${sub}": use predict, offer or answer`);
  }
}

async function readReport(path: string): Promise<{ summary: PeerNatSummary } | { error: string }> {
  const read = await readReportFile(path);
  return 'error' in read ? { error: `${path}: ${read.error}` } : { summary: summarizeReport(read.report) };
}

async function runPredict(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(PAIR_USAGE);
    return EXIT_OK;
  }
  if (positionals.length !== 2) throw new UsageError(`pair predict takes two report files (exported JSON), got ${positionals.length}`);
  const [a, b] = await Promise.all(positionals.map(readReport));
  const failed = [a, b].filter((r): r is { error: string } => r !== undefined && 'error' in r);
  if (failed.length > 0) {
    for (const f of failed) io.stderr(`nat-doctor pair predict: ${f.error}\n`);
    return EXIT_FAILURE;
  }
  const names = positionals.map((p) => p.replace(/^.*[\\/]/, '')) as [string, string];
  const prediction = predictPair((a as { summary: PeerNatSummary }).summary, (b as { summary: PeerNatSummary }).summary, names[0] === names[1] ? ['A', 'B'] : names);
  io.stdout(values.json ? JSON.stringify(prediction, null, 2) + '\n' : formatPrediction(prediction));
  return EXIT_OK;
}

export function formatPrediction(p: PairPrediction): string {
  return `Prediction: ${PAIR_VERDICT_LABEL[p.verdict]} (confidence ${Math.round(p.confidence * 100)} %)\n${p.reason}\n`;
}

function formatResult(r: PairResult): string {
  const head =
    r.result === 'direct' && r.path
      ? `Result: direct — your peer at ${r.path.remote} answered in ${r.rttMs ?? '?'} ms (it sees you at ${r.path.local})\n`
      : 'Result: failed — no direct path\n';
  return `${head}${r.detail}\n${formatPrediction(r.prediction)}`;
}

async function runLive(role: 'offer' | 'answer', args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    stun: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    port: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(PAIR_USAGE);
    return EXIT_OK;
  }
  let offer: PairToken | undefined;
  if (role === 'answer') {
    if (positionals.length !== 1) throw new UsageError('pair answer takes the offer token your peer sent (one argument, starting with ndpair1:)');
    const decoded = decodePairToken(positionals[0] as string, { expect: 'offer' });
    if ('error' in decoded) {
      if (decoded.expired) {
        io.stderr(`nat-doctor pair answer: ${decoded.error}\n`);
        return EXIT_FAILURE;
      }
      throw new UsageError(decoded.error);
    }
    offer = decoded.token;
  } else if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}": pair offer takes no token (it prints one)`);
  }
  const stunServers = values.stun ?? [];
  const serverErrors = validateServerList(stunServers);
  if (serverErrors.length > 0) throw new UsageError(`--stun ${serverErrors[0]}`);
  const timeoutMs = values.timeout !== undefined ? parseIntegerFlag('--timeout', values.timeout, 100, 3_600_000) : role === 'offer' ? OFFER_TIMEOUT_MS : ANSWER_TIMEOUT_MS;
  const localPort = values.port !== undefined ? parseIntegerFlag('--port', values.port, 1, 65535) : undefined;

  const progress = (event: ProgressEvent): void => {
    if (event.phase !== 'done') io.stderr(`… ${event.message}\n`);
  };
  let report: Report;
  try {
    progress({ phase: 'resolve', message: 'Diagnosing this side’s NAT (the peer’s prediction needs it)' });
    report = await diagnose({ stunServers, timeoutMs: DEFAULT_TIMEOUT_MS, signal: io.signal, ranOn: 'local machine', mode: 'full', onProgress: progress });
  } catch (err) {
    if (err instanceof DiagnosisCancelled) {
      io.stderr(`nat-doctor pair ${role}: cancelled\n`);
      return 130;
    }
    throw err;
  }
  const opened = await PairSide.open(
    offer
      ? { role: 'answer', offer, report, signal: io.signal, onProgress: progress, ...(localPort !== undefined ? { localPort } : {}) }
      : { role: 'offer', report, signal: io.signal, onProgress: progress, ...(localPort !== undefined ? { localPort } : {}) },
  );
  if ('error' in opened) {
    io.stderr(`nat-doctor pair ${role}: ${opened.error}\n`);
    return EXIT_FAILURE;
  }
  const side = opened;
  try {
    io.stdout(`${side.token}\n`);
    let peer: PairToken;
    if (offer) {
      io.stderr(`Send the line above (${side.token.length} characters) back to your peer; trying to reach them for ${Math.round(timeoutMs / 1000)} s.\n`);
      peer = offer;
    } else {
      io.stderr(
        `Send the line above (${side.token.length} characters) to your peer. They run:\n  nat-doctor pair answer '${side.token}'\n` +
          'and send you the line it prints. Paste that line here and press Enter:\n',
      );
      const answer = await readAnswer(side, io);
      if ('error' in answer) {
        io.stderr(`nat-doctor pair offer: ${answer.error}\n`);
        return answer.cancelled ? 130 : EXIT_FAILURE;
      }
      peer = answer.token;
    }
    const result = await side.connect(peer, timeoutMs);
    if (io.signal.aborted) {
      io.stderr(`nat-doctor pair ${role}: cancelled\n`);
      return 130;
    }
    io.stdout(values.json ? JSON.stringify(result, null, 2) + '\n' : formatResult(result));
    return EXIT_OK;
  } finally {
    await side.close();
  }
}

/** Lines from stdin until one is a valid answer; none before end of input or expiry: an error. */
async function readAnswer(side: PairSide, io: CliIo): Promise<{ token: PairToken } | { error: string; cancelled?: boolean }> {
  if (!io.readLine) return { error: 'no input to read the answer from' };
  for (;;) {
    const left = side.expiresAt * 1000 - Date.now();
    const line = left > 0 ? await io.readLine(left) : undefined;
    if (io.signal.aborted) return { error: 'cancelled', cancelled: true };
    if (line === undefined) {
      return { error: left > 0 && Date.now() < side.expiresAt * 1000 ? 'no answer token arrived (end of input): run pair offer again when your peer is ready' : 'no answer token arrived before the offer expired: run pair offer again when your peer is ready' };
    }
    if (line.trim() === '') continue;
    const decoded = side.readAnswer(line);
    if ('token' in decoded) return { token: decoded.token };
    if (decoded.expired) return { error: decoded.error };
    io.stderr(`${decoded.error}\nPaste the answer line again:\n`);
  }
}
