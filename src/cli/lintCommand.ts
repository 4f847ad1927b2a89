// nat-doctor lint FILE... [--report REPORT.json] [--json] (README "Quick start"): compiler-style
// lines, or one JSON array of findings. Exit 0 when no file has errors, 1 when one has (or could not
// be read), 2 for usage — a report that cannot be read or is not a report included. With
// `--report`, messages and fixes use that diagnosis's measurements, converted exactly as the
// editor converts its newest report (`measuredFromReport`).
import { open, stat } from 'node:fs/promises';
import { detectLanguage, explainIpsecDialect, hasErrors, lint, measuredFromReport, toFindingJson, checkText, MAX_LINT_BYTES, type Finding, type MeasuredNat } from '../core';
import { describeFsError, readReportFile } from './reportFile';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError, type CliIo } from './usage';

type ReadResult = { ok: true; text: string; bytes: number } | { ok: true; tooLarge: number } | { ok: false; reason: string };

/** Reads at most MAX_LINT_BYTES + 1 bytes, so a huge file costs a stat and nothing more. */
async function readConfig(path: string): Promise<ReadResult> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { ok: false, reason: 'is a directory' };
    if (info.size > MAX_LINT_BYTES) return { ok: true, tooLarge: info.size };
    const handle = await open(path, 'r');
    try {
      const buf = Buffer.alloc(MAX_LINT_BYTES + 1);
      let bytes = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buf, bytes, buf.length - bytes, bytes);
        if (bytesRead === 0) break;
        bytes += bytesRead;
        if (bytes >= buf.length) return { ok: true, tooLarge: bytes };
      }
      // Keep a BOM in the text: the engine counts columns after it, as editors do.
      const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(buf.subarray(0, bytes));
      return { ok: true, text, bytes };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { ok: false, reason: describeFsError(err) };
  }
}

function unknownLanguage(file: string): Finding {
  return {
    file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'info', ruleId: 'general/unknown-language',
    message: 'Not recognised as a WireGuard, OpenVPN, strongSwan or libreswan config (by file name or content); not linted.',
  };
}

export async function lintFile(path: string, measured?: MeasuredNat): Promise<{ findings: Finding[]; dialect?: string } | { error: string }> {
  const read = await readConfig(path);
  if (!read.ok) return { error: read.reason };
  if ('tooLarge' in read) {
    // lint() turns an oversized input into its single "file too large" finding without parsing it.
    return { findings: lint('', { language: 'wireguard', fileName: path }, read.tooLarge) };
  }
  const language = detectLanguage(path, read.text);
  if (!language) {
    // A binary file gets its one "not a text file" finding rather than "unknown language".
    if (!checkText(read.text, read.bytes).ok) return { findings: lint(read.text, { language: 'wireguard', fileName: path }, read.bytes) };
    return { findings: [unknownLanguage(path)] };
  }
  const findings = lint(read.text, measured ? { language, fileName: path, measured } : { language, fileName: path }, read.bytes);
  // ipsec.conf has two readers (strongSwan, libreswan) whose verdicts differ: say which one we assumed.
  const dialect = explainIpsecDialect(path, read.text, language);
  return dialect === undefined ? { findings } : { findings, dialect };
}

/** The measurements of a saved report, or why it cannot be used. */
async function readMeasured(path: string): Promise<{ measured: MeasuredNat } | { error: string }> {
  const read = await readReportFile(path);
  return 'error' in read ? read : { measured: measuredFromReport(read.report) };
}

/** "NAT symmetric, idle mapping ~30 s, path MTU 1400 bytes (black hole)": what the lint will use. */
function describeMeasured(m: MeasuredNat): string {
  const parts: string[] = [];
  if (m.natType) parts.push(`NAT ${m.natType}`);
  if (m.bindingLifetimeSec !== undefined) parts.push(`idle mapping ~${m.bindingLifetimeSec} s${m.established ? ` (~${m.established.lifetimeSec} s established)` : ''}`);
  if (m.pathMtu) parts.push(`path MTU ${m.pathMtu.bytes} bytes over ${m.pathMtu.family}${m.pathMtu.blackHole ? ' (black hole)' : ''}`);
  return parts.length > 0 ? parts.join(', ') : 'nothing measured that the lint uses';
}

function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.ruleId}: ${f.message}`;
}

export async function runLintCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { json: { type: 'boolean' }, report: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('lint needs at least one FILE');
  let measured: MeasuredNat | undefined;
  if (values.report !== undefined) {
    const read = await readMeasured(values.report);
    if ('error' in read) {
      // One line saying what is wrong; the --help hint of other usage errors would not help here.
      io.stderr(`nat-doctor lint: --report ${values.report}: ${read.error}\n`);
      return EXIT_USAGE;
    }
    measured = read.measured;
    if (!values.json) io.stderr(`Using the measurements of ${values.report}: ${describeMeasured(measured)}\n`);
  }
  const all: Finding[] = [];
  let failed = false;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const path of positionals) {
    const result = await lintFile(path, measured);
    if ('error' in result) {
      failed = true;
      io.stderr(`nat-doctor lint: cannot read ${path}: ${result.error}\n`);
      continue;
    }
    for (const f of result.findings) counts[f.severity]++;
    if (hasErrors(result.findings)) failed = true;
    if (values.json) all.push(...result.findings);
    else {
      if (result.dialect) io.stdout(`${path}: ipsec.conf read as ${result.dialect}\n`);
      for (const f of result.findings) io.stdout(`${formatFinding(f)}\n`);
    }
  }
  if (values.json) io.stdout(`${JSON.stringify(all.map(toFindingJson), null, 2)}\n`);
  else {
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    io.stderr(`${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info in ${plural(positionals.length, 'file')}\n`);
  }
  return failed ? EXIT_FAILURE : EXIT_OK;
}
