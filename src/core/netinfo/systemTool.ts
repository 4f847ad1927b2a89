// Runs one of the system's own tools (ip, route, traceroute, tracepath, tracert) with a bounded
// time and output, and settles only once the process has exited: a cancelled diagnosis must not
// leave a child running behind it (execFile reports an abort before the child is gone).
import { spawn } from 'node:child_process';

export interface ToolRun {
  stdout: string;
  /** Exit code, or null when a signal (timeout, cancel) ended it. */
  code: number | null;
}

export class ToolError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly stdout: string,
  ) {
    super(message);
  }
}

/**
 * Resolves with the tool's stdout when it exits 0 — or, with `acceptFailure`, whatever it printed
 * before a non-zero exit. Rejects with a ToolError (code ENOENT when the tool is missing, ETIMEDOUT,
 * ABORT_ERR, or the exit status) once the process is gone.
 */
export function runTool(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; maxBytes: number; signal: AbortSignal; acceptFailure?: boolean },
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(new ToolError(`${command}: cancelled`, 'ABORT_ERR', ''));
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true });
    let stdout = '';
    let ended: string | undefined;
    const stop = (why: string): void => {
      ended ??= why;
      child.kill('SIGKILL');
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length + chunk.length > options.maxBytes) stop('EMAXBUFFER');
      else stdout += chunk;
    });
    const timer = setTimeout(() => stop('ETIMEDOUT'), options.timeoutMs);
    const onAbort = (): void => stop('ABORT_ERR');
    options.signal.addEventListener('abort', onAbort, { once: true });
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      if (spawnError) return reject(new ToolError(`${command}: ${spawnError.message}`, spawnError.code ?? 'ESPAWN', stdout));
      if (ended) return reject(new ToolError(`${command}: ${ended}`, ended, stdout));
      if (code === 0 || options.acceptFailure) return resolve({ stdout, code });
      reject(new ToolError(`${command} exited with ${code}`, `EXIT_${code}`, stdout));
    });
  });
}
