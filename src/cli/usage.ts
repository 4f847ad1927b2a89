// Shared by every subcommand: a user mistake is a UsageError (exit 2, one clear line on stderr),
// never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
/** Lint found errors, or the diagnosis could not run at all. */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM so every socket and timer closes before exit. */
  signal: AbortSignal;
  /** The next line of standard input; `undefined` at its end or after `timeoutMs` (pair offer). */
  readLine?: (timeoutMs: number) => Promise<string | undefined>;
  /** stdout is a terminal (not a pipe or file): the text report may use colour. */
  stdoutIsTTY?: boolean;
}

/**
 * Colour only for a terminal, and never when NO_COLOR is set to anything but "" (no-color.org) or
 * the terminal says it cannot (TERM=dumb).
 */
export function useColor(io: Pick<CliIo, 'env' | 'stdoutIsTTY'>): boolean {
  return io.stdoutIsTTY === true && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '') && io.env.TERM !== 'dumb';
}

export type ParsedOptions<T extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/** `util.parseArgs` with its errors turned into UsageErrors that name the flag. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
): ParsedOptions<T> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/\. To specify.*$/s, '') : String(err));
  }
}

/** Parses a non-negative integer flag value, or throws a UsageError naming the flag. */
export function parseIntegerFlag(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} expects a whole number, got "${value}"`);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${n}`);
  return n;
}
