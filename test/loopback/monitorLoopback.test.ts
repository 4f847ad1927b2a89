// `nat-doctor monitor` in this process against a STUN "server" on 127.0.0.1 that never answers:
// one line per run on stdout, and the end on SIGINT/SIGTERM (the CLI's signal aborts io.signal)
// with a diagnosis in flight cancelled and every socket and timer closed. The lab suite
// (test/lab/fleet*.test.ts) runs the built CLI behind real NATs with node_exporter.
import { strict as assert } from 'node:assert';
import { createSocket, type Socket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli';
import type { CliIo } from '../../src/cli/usage';
import { settledUdpAndTimerCount } from './activeResources';

/** Runs `nat-doctor ARGS` in-process; `stop()` is what SIGTERM does to the real CLI. */
function startCli(args: string[]): { done: Promise<number>; stdout: () => string; stderr: () => string; nextStdoutLine: Promise<string>; stop: () => void } {
  const controller = new AbortController();
  let out = '';
  let err = '';
  let resolveLine: (line: string) => void = () => undefined;
  const nextStdoutLine = new Promise<string>((resolve) => (resolveLine = resolve));
  const io: CliIo = {
    stdout: (t) => {
      out += t;
      if (out.includes('\n')) resolveLine(out.slice(0, out.indexOf('\n')));
    },
    stderr: (t) => void (err += t),
    env: {},
    signal: controller.signal,
  };
  return { done: main(args, io), stdout: () => out, stderr: () => err, nextStdoutLine, stop: () => controller.abort(new Error('interrupted')) };
}

describe('nat-doctor monitor on loopback', () => {
  let silent: Socket;
  let server = '';
  let requests = 0;
  let onRequest: () => void = () => undefined;
  before(async () => {
    silent = createSocket('udp4');
    silent.on('message', () => {
      requests += 1;
      onRequest();
    });
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    server = `127.0.0.1:${silent.address().port}`;
  });
  after(() => silent.close());

  it('prints one line per run on stdout, with no address of this machine, and exits 0 when stopped', async () => {
    const baseline = await settledUdpAndTimerCount();
    const cli = startCli(['monitor', '--no-captive-portal', '--stun', server, '--timeout', '300', '--every', '1h']);
    const line = await cli.nextStdoutLine;
    assert.match(line, /^time=\S+ nat_type=\S+ mapping=\S+ filtering=\S+ cgnat=\S+ udp=blocked .* reason=startup$/);
    assert.doesNotMatch(line, /127\.0\.0\.1(?!:\d)/, 'only the server as configured, never our own address');
    cli.stop();
    assert.equal(await cli.done, 0, cli.stderr());
    assert.equal(cli.stdout().split('\n').filter(Boolean).length, 1);
    assert.match(cli.stderr(), /diagnosing now, when the network changes and every 1h/);
    assert.equal(await settledUdpAndTimerCount(), baseline, 'every socket and timer closed');
  });

  it('cancels a diagnosis in flight when stopped: exit 0, nothing printed for it, every socket closed', async () => {
    const baseline = await settledUdpAndTimerCount();
    const before = requests;
    const inFlight = new Promise<void>((resolve) => (onRequest = resolve));
    // A 60 s deadline: only the signal can end this run before the test's own timeout.
    const cli = startCli(['monitor', '--no-captive-portal', '--stun', server, '--timeout', '60000', '--every', '1h']);
    await inFlight;
    assert.ok(requests > before);
    cli.stop();
    assert.equal(await cli.done, 0, cli.stderr());
    assert.equal(cli.stdout(), '', 'a cancelled run prints no result');
    assert.equal(await settledUdpAndTimerCount(), baseline, 'every socket and timer closed');
  });
});
