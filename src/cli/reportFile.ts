// Files the CLI reads as a user named them: a saved report (`lint --report`, `pair predict`), with
// file-system errors in words. The report itself is checked by the engine's one reader of saved
// reports (parseSavedReport).
import { readFile, stat } from 'node:fs/promises';
import { parseSavedReport, type Report } from '../core';

/** A saved report is a few kilobytes; anything this big is not one. */
const MAX_REPORT_BYTES = 16 * 1024 * 1024;

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    default: return err instanceof Error ? err.message : String(err);
  }
}

/** The report saved in `path`, or why it cannot be used. */
export async function readReportFile(path: string): Promise<{ report: Report } | { error: string }> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.isDirectory()) return { error: 'is a directory' };
    if (info.size > MAX_REPORT_BYTES) return { error: `is ${info.size} bytes, too large for a report` };
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { error: describeFsError(err) };
  }
  return parseSavedReport(text);
}
