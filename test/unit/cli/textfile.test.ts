import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { checkTextfilePath, writeFileAtomically } from '../../../src/cli/textfile';

describe('the textfile for node_exporter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nat-doctor-textfile-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is replaced by a rename (a new inode), readable by every user whatever the umask, with no temporary file left', async () => {
    const file = join(dir, 'natdoctor.prom');
    writeFileSync(file, 'old\n');
    const before = statSync(file).ino;
    const umask = process.umask(0o077);
    try {
      await writeFileAtomically(file, 'natdoctor_udp_ok 1\n');
    } finally {
      process.umask(umask);
    }
    const after = statSync(file);
    assert.notEqual(after.ino, before, 'renamed over, not rewritten in place');
    assert.equal(after.mode & 0o777, 0o644);
    assert.equal(readFileSync(file, 'utf8'), 'natdoctor_udp_ok 1\n');
    assert.deepEqual(readdirSync(dir), ['natdoctor.prom']);
  });

  it('leaves the old file and no temporary file when the write fails', async () => {
    const file = join(dir, 'kept.prom');
    writeFileSync(file, 'kept\n');
    // Renaming a file over a non-empty folder fails after the temporary file was written.
    const blocked = join(dir, 'blocked.prom');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    await assert.rejects(writeFileAtomically(blocked, 'new\n'), /EISDIR|ENOTEMPTY|EEXIST/);
    assert.equal(readFileSync(file, 'utf8'), 'kept\n');
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  });

  it('is checked before the first run: its folder must exist, and a name without .prom gets a warning', async () => {
    assert.deepEqual(await checkTextfilePath(join(dir, 'a.prom')), { path: join(dir, 'a.prom') });
    const unread = await checkTextfilePath(join(dir, 'a.txt'));
    assert.match(unread.warning ?? '', /reads only \*\.prom files/);
    await assert.rejects(checkTextfilePath(join(dir, 'missing', 'a.prom')), /no such folder/);
    await assert.rejects(checkTextfilePath(dir), /is a folder/);
  });
});
