import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { run } from './runCli';


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
  ];
  for (const [name, argv, message] of cases) {
    it(`rejects ${name}`, async () => {
      const r = await run(...argv);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(r.stdout, '');
    });
  }

  it('prints the version', async () => {
    const r = await run('--version');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
  });

  it('accepts IPv6 STUN servers in brackets', async () => {
    // Port 9 on ::1 (discard) with a tiny deadline: the point is that parsing succeeds (exit ≠ 2).
    const r = await run('diagnose', '--stun', '[::1]:9', '--timeout', '300', '--json');
    assert.notEqual(r.code, 2, r.stderr);
    assert.equal(JSON.parse(r.stdout).schemaVersion, 1);
  });
});
