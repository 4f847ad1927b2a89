import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { runProbeCommand, TURN_PASSWORD_ENV } from '../../../src/cli/probeCommand';
import { EXIT_OK, UsageError, type CliIo } from '../../../src/cli/usage';
import { parseStaticKey } from '../../../src/core/probes/openvpn/staticKey';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifySocketError } from '../../../src/core/net/udpTransactions';
import { closedUdpPort, fakeIkeResponder, fakeOpenVpnServer, fakeTurnServer, fakeWireGuardServer } from './fakeResponders';
import { fixturePath, readFixture } from './fixtures';

interface Captured {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
}

function capture(env: NodeJS.ProcessEnv = {}): Captured {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t), env, signal: new AbortController().signal },
    stdout: () => out,
    stderr: () => err,
  };
}

// The secrets in the fixtures (the known-answer test keys), which must never be printed.
const WG_PRIVATE = 'uL14uGAGRLDCP1D0a7p0iUMPvhIPFo4NidmJ8gM4QWU=';
const WG_PSK = 'HZdtzF60pYqQXbbzNNMQa06bGDS6bYnchEZ5kdiqPLQ=';
const STATIC_KEY = (() => {
  const p = parseStaticKey(readFixture('kat.key'));
  if ('error' in p) throw new Error(p.error);
  return p.key;
})();

function assertNoSecrets(text: string, extra: string[] = []): void {
  for (const secret of [WG_PRIVATE, WG_PSK, Buffer.from(WG_PRIVATE, 'base64').toString('hex'), ...extra]) {
    assert.ok(!text.includes(secret), `output contains a secret: ${secret.slice(0, 6)}…`);
  }
  // Any 8-byte run of the OpenVPN static key, in hex or base64.
  for (let i = 0; i + 8 <= STATIC_KEY.length; i += 8) {
    const chunk = STATIC_KEY.subarray(i, i + 8);
    assert.ok(!text.includes(chunk.toString('hex')) && !text.includes(chunk.toString('base64').slice(0, 10)), `static key bytes ${i}.. printed`);
  }
}

describe('nat-doctor probe (CLI)', () => {
  it('rejects a bad target, a missing target and misplaced flags with a UsageError (exit 2)', async () => {
    await assert.rejects(runProbeCommand(['vpn.example.com'], capture().io), (e: unknown) => e instanceof UsageError && /HOST:PORT\/PROTOCOL/.test(e.message));
    await assert.rejects(runProbeCommand([], capture().io), UsageError);
    await assert.rejects(runProbeCommand(['h:1/tcp', 'h:2/tcp'], capture().io), UsageError);
    await assert.rejects(runProbeCommand(['h:1/tcp', '--config', fixturePath('kat-client.conf')], capture().io), /does not apply to tcp/);
    await assert.rejects(runProbeCommand(['h:1/openvpn', '--config', fixturePath('kat-client.conf')], capture().io), /is a wireguard file/);
    await assert.rejects(runProbeCommand(['h:1/wireguard', '--config', '/nonexistent/wg0.conf'], capture().io), /cannot read \/nonexistent\/wg0.conf \(ENOENT\)/);
    await assert.rejects(runProbeCommand(['h:1/turn', '--user', 'alice'], capture().io), new RegExp(TURN_PASSWORD_ENV));
    await assert.rejects(runProbeCommand(['h:1/turn', '--password', 'x'], capture().io), UsageError, 'no password flag exists');
    await assert.rejects(runProbeCommand(['h:1/tcp', '--timeout', 'soon'], capture().io), /--timeout expects a whole number/);
  });

  it('--json prints exactly one JSON ProbeResult on stdout; progress goes to stderr; exit 0', async () => {
    const port = await closedUdpPort();
    const c = capture();
    const code = await runProbeCommand([`127.0.0.1:${port}/stun`, '--json', '--timeout', '300'], c.io);
    assert.equal(code, EXIT_OK);
    const parsed = JSON.parse(c.stdout()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(parsed).sort(), ['detail', 'rttMs', 'state', 'target']);
    assert.equal(parsed.state, 'closed');
    assert.match(c.stderr(), /probing/);
  });

  it('a WireGuard probe with --config prints no key, and warns about the endpoint move', async () => {
    const serverPrivate = Buffer.from('oK/KSSAUGeO+iYwey90tOch4zRUZwgmaDTIchh+i+k4=', 'base64');
    const clientPublic = Buffer.from('qHwXsTsQz+kC1sntBm28nbbm4AKBN4r3UmUYprgD7Fo=', 'base64');
    const wg = await fakeWireGuardServer(serverPrivate, [{ publicKey: clientPublic, presharedKey: Buffer.from(WG_PSK, 'base64') }]);
    try {
      for (const json of [true, false]) {
        const c = capture();
        await runProbeCommand([`127.0.0.1:${wg.port}/wireguard`, '--config', fixturePath('kat-client.conf'), ...(json ? ['--json'] : [])], c.io);
        const all = c.stdout() + c.stderr();
        assert.match(all, /handshake completed/);
        assert.match(all, /points its peer at the probe/);
        assertNoSecrets(all);
      }
    } finally {
      await wg.close();
    }
  });

  it('an OpenVPN probe with a tls-auth config prints no key bytes', async () => {
    const server = await fakeOpenVpnServer({ kind: 'tls-auth', key: STATIC_KEY, direction: 1, digest: 'sha1' });
    try {
      const c = capture();
      await runProbeCommand([`127.0.0.1:${server.port}/openvpn`, '--config', fixturePath('tls-auth-by-path.ovpn'), '--json'], c.io);
      const result = JSON.parse(c.stdout()) as { state: string; detail: string };
      assert.equal(result.state, 'open');
      assertNoSecrets(c.stdout() + c.stderr());
    } finally {
      await server.close();
    }
  });

  it('TURN: the password comes only from the environment and is never printed', async () => {
    const password = 'env-only-s3cret';
    const turn = await fakeTurnServer('alice', password);
    try {
      const c = capture({ [TURN_PASSWORD_ENV]: password });
      await runProbeCommand([`127.0.0.1:${turn.port}/turn`, '--user', 'alice', '--json'], c.io);
      const result = JSON.parse(c.stdout()) as { detail: string };
      assert.match(result.detail, /relay allocated/);
      assertNoSecrets(c.stdout() + c.stderr(), [password]);
    } finally {
      await turn.close();
    }
  });

  it('keeps the IKE politeness budget across runs: the 4th run within 30 s waits (and can be cancelled)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nd-cli-state-'));
    const server = await fakeIkeResponder({ noConfig: true });
    try {
      const env = { NAT_DOCTOR_STATE_DIR: dir };
      for (let run = 0; run < 3; run++) {
        const c = capture(env);
        await runProbeCommand([`127.0.0.1:${server.port}/ike`, '--json'], c.io);
        assert.equal((JSON.parse(c.stdout()) as { state: string }).state, 'open');
      }
      assert.equal(server.received.length, 3);
      const controller = new AbortController();
      let err = '';
      const io: CliIo = {
        stdout: () => undefined,
        stderr: (text) => {
          err += text;
          if (/waiting/.test(text)) controller.abort();
        },
        env,
        signal: controller.signal,
      };
      assert.equal(await runProbeCommand([`127.0.0.1:${server.port}/ike`, '--json'], io), EXIT_OK);
      assert.match(err, /waiting \d+(\.\d)? s \(at most 3 IKE probes per server per 30 s\)/);
      assert.equal(server.received.length, 3, 'the 4th probe was not sent');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('socket errors → states', () => {
  it('maps ICMP-derived errnos: ECONNREFUSED closed, prohibited/unreachable filtered, others errors', () => {
    const e = (code: string): Error => Object.assign(new Error(code), { code });
    assert.deepEqual(classifySocketError(e('ECONNREFUSED')), { kind: 'refused' });
    for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPERM']) assert.deepEqual(classifySocketError(e(code)), { kind: 'unreachable', code });
    assert.equal(classifySocketError(e('EMSGSIZE')).kind, 'send-error');
  });
});
