// The file `nat-doctor monitor --textfile` keeps for node_exporter's textfile collector
// (docs/fleet.md). The collector may read it at any moment: a file rewritten in place could be
// read empty or cut off, so each run writes a temporary file in the same folder and renames it
// over FILE (rename(2) replaces the name in one step within a file system). The temporary name
// starts with a dot and does not end in `.prom`, so the collector never reads it.
import { constants } from 'node:fs';
import { access, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from './usage';

/** rw-r--r--: node_exporter runs as another user and must read the file whatever the umask. */
export const TEXTFILE_MODE = 0o644;

/**
 * Checks FILE before the first run, so a typo fails at once (exit 2) instead of after a
 * diagnosis. Returns the absolute path and, when the name is one the collector ignores, a warning.
 */
export async function checkTextfilePath(path: string): Promise<{ path: string; warning?: string }> {
  const absolute = resolve(path);
  const folder = dirname(absolute);
  try {
    if (!(await stat(folder)).isDirectory()) throw new UsageError(`--textfile: ${folder} is not a folder`);
    await access(folder, constants.W_OK);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--textfile: cannot write in ${folder} (${code === 'ENOENT' ? 'no such folder' : (code ?? String(err))})`);
  }
  const existing = await stat(absolute).catch(() => undefined);
  if (existing?.isDirectory()) throw new UsageError(`--textfile: ${absolute} is a folder; name a file in it, e.g. ${absolute}/natdoctor.prom`);
  return absolute.endsWith('.prom')
    ? { path: absolute }
    : { path: absolute, warning: `${basename(absolute)} does not end in .prom: node_exporter's textfile collector reads only *.prom files` };
}

/** Replaces `path` with `text` in one step: temporary file in the same folder, fsync, rename. */
export async function writeFileAtomically(path: string, text: string, mode = TEXTFILE_MODE): Promise<void> {
  const temporary = resolve(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temporary, 'w', mode);
    await handle.writeFile(text, 'utf8');
    // open()'s mode passes through the umask; the collector's user must still be able to read.
    await handle.chmod(mode);
    // On disk before the rename, so a crash leaves the old file or the new one, never an empty one.
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw err;
  }
}
