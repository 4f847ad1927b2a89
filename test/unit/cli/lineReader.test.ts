// Standard input, one line when asked: lines in order, `undefined` at the end, after the timeout
// and on cancel; nothing read until the first call.
import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { stdinLineReader } from '../../../src/cli/lineReader';

describe('stdin line reader', () => {
  it('gives lines in order, then undefined at the end of input', async () => {
    const input = new PassThrough();
    let opened = 0;
    const reader = stdinLineReader(() => (opened++, input), new AbortController().signal);
    assert.equal(opened, 0, 'stdin untouched until a line is asked for');
    const first = reader.next(5000);
    input.write('ndpair1:abc\nsecond line\n');
    assert.equal(await first, 'ndpair1:abc');
    assert.equal(await reader.next(5000), 'second line');
    const third = reader.next(5000);
    input.end();
    assert.equal(await third, undefined);
    reader.close();
    assert.equal(opened, 1);
  });
  it('gives undefined after the timeout and when cancelled', async () => {
    const input = new PassThrough();
    const controller = new AbortController();
    const reader = stdinLineReader(() => input, controller.signal);
    assert.equal(await reader.next(20), undefined);
    const pending = reader.next(60_000);
    controller.abort();
    assert.equal(await pending, undefined);
    reader.close();
    input.destroy();
  });
});
