// The CLI run in-process with captured output, for the CLI's unit tests.
import { main } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/usage';

export async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, signal: new AbortController().signal };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
