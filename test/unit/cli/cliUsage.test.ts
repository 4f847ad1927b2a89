import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseDuration } from '../../../src/cli/duration';
import { run } from './runCli';

/** The compiled CLI (tsc output beside this test), run as a program. */
const CLI = join(__dirname, '../../../src/cli.js');

/** Whether a network namespace of our own is available (root, or unprivileged user namespaces). */
const isolation = (() => {
  const probe = spawnSync('unshare', ['--net', '--map-root-user', 'true'], { stdio: 'ignore' });
  if (probe.status === 0) return { skip: false as const };
  if (process.env.CI === 'true') throw new Error('unshare --net is needed to run a diagnosis without touching the real network');
  return { skip: 'needs `unshare --net` (root or unprivileged user namespaces) to keep the diagnosis off the real network' };
})();

describe('nat-doctor usage errors exit 2 with one clear line and no stack trace', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no command', [], /Usage:/],
    ['an unknown command', ['diagnosis'], /unknown command "diagnosis"/],
    ['an unknown flag', ['diagnose', '--stunn', '127.0.0.1:3478'], /--stunn/],
    ['a --stun without a port', ['diagnose', '--stun', 'stun.example.org'], /not HOST:PORT/],
    ['a --stun with port 0', ['diagnose', '--stun', '127.0.0.1:0'], /port must be between 1 and 65535/],
    ['a --stun with a bracketed non-IPv6 host', ['diagnose', '--stun', '[example]:3478'], /not an IPv6 address/],
    ['--json with --markdown', ['diagnose', '--json', '--markdown'], /cannot be used together/],
    ['a --timeout that is not a number', ['diagnose', '--timeout', 'soon'], /--timeout expects a whole number/],
    ['a --probe with an unknown protocol', ['diagnose', '--probe', 'vpn.example.org:1194/pptp'], /unknown protocol "pptp"/],
    ['a --probe without a protocol', ['diagnose', '--probe', 'vpn.example.org:1194'], /HOST:PORT\/PROTOCOL/],
    ['a stray argument', ['diagnose', 'now'], /unexpected argument "now"/],
    ['--prometheus with --json', ['diagnose', '--prometheus', '--json'], /--json and --prometheus cannot be used together/],
    ['a monitor --every that is not a duration', ['monitor', '--every', '5x', '--stun', '127.0.0.1:3478'], /--every expects a duration such as 30s, 5m or 1h, got "5x"/],
    ['a monitor --every of zero', ['monitor', '--every', '0s', '--stun', '127.0.0.1:3478'], /--every must be between 1s and 24h, got 0s/],
    ['a monitor --every over a day', ['monitor', '--every', '25h', '--stun', '127.0.0.1:3478'], /--every must be between 1s and 24h/],
    ['a monitor --every under a minute against the public default STUN servers', ['monitor', '--every', '30s', '--no-captive-portal'], /at least 1m while public servers are asked/],
    ['a monitor --every under a minute against the public captive-portal URL', ['monitor', '--every', '30s', '--stun', '127.0.0.1:3478'], /at least 1m while public servers are asked/],
    ['a monitor with both --captive-portal and --no-captive-portal', ['monitor', '--captive-portal', 'http://192.0.2.1/', '--no-captive-portal'], /cannot be used together/],
    ['a monitor --textfile in a folder that does not exist', ['monitor', '--textfile', '/nonexistent-nat-doctor/natdoctor.prom', '--stun', '127.0.0.1:3478'], /--textfile: cannot write in \/nonexistent-nat-doctor \(no such folder\)/],
    ['a monitor --textfile that is a folder', ['monitor', '--textfile', tmpdir(), '--stun', '127.0.0.1:3478'], /is a folder; name a file in it/],
    ['a monitor --stun without a port', ['monitor', '--stun', 'stun.example.org'], /not HOST:PORT/],
    ['a monitor --probe with an unknown protocol', ['monitor', '--probe', 'vpn.example.org:1723/pptp'], /unknown protocol "pptp"/],
    ['an unknown monitor flag', ['monitor', '--interval', '5m'], /--interval/],
    ['a stray monitor argument', ['monitor', 'now'], /unexpected argument "now"/],
  ];
  for (const [name, argv, message] of cases) {
    it(`rejects ${name}`, async () => {
      const r = await run(...argv);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(r.stdout, '');
      // The problem on its first line (a pointer to --help may follow).
      if (argv.length > 0) assert.match(r.stderr.split('\n')[0] ?? '', message);
    });
  }

  it('prints the version', async () => {
    const r = await run('--version');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });

  it('accepts IPv6 STUN servers in brackets', { skip: isolation.skip }, () => {
    // Port 9 on ::1 (discard) with a tiny deadline: the point is that parsing succeeds (exit ≠ 2).
    // A whole diagnosis also asks the default gateway about port mapping: it runs in a network
    // namespace of its own (only loopback), so nothing leaves this machine.
    const r = spawnSync('unshare', ['--net', '--map-root-user', process.execPath, CLI, 'diagnose', '--stun', '[::1]:9', '--timeout', '300', '--json', '--no-captive-portal'], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(r.status, 2, r.stderr);
    assert.equal(JSON.parse(r.stdout).schemaVersion, 1);
  });
});

describe('monitor durations', () => {
  it('reads 30s, 5m, 1h and 1h30m the way Prometheus and systemd users write them', () => {
    const table: Array<[string, number | undefined]> = [
      ['30s', 30_000], ['5m', 300_000], ['1h', 3_600_000], ['1h30m', 5_400_000], ['2m5s', 125_000], ['0s', 0],
      ['', undefined], ['5', undefined], ['5x', undefined], ['-5m', undefined], ['1.5h', undefined], ['m', undefined], ['30m1h', undefined], [' 5m', undefined],
    ];
    for (const [text, ms] of table) assert.equal(parseDuration(text), ms, JSON.stringify(text));
  });
});
