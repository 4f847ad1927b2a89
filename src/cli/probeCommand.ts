// Placeholder until the probe engine lands (issue tracker); replaced by the real command.
import { EXIT_FAILURE, type CliIo } from './usage';

export async function runProbeCommand(_args: string[], io: CliIo): Promise<number> {
  io.stderr('nat-doctor probe: not available in this build yet\n');
  return EXIT_FAILURE;
}
