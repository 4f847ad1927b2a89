// The engine against a real coturn on loopback (no root needed): the RFC 5780 verdicts with and
// without a second address, the deadline, cancel, and that a finished run leaves no socket or timer.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diagnose, DiagnosisCancelled } from '../../src/core/diagnose';
import { findBinary, isCi } from '../lab/labEnv';
import { stunPing } from '../lab/stunPing';
import { settledUdpAndTimerCount } from './activeResources';

const turnserver = findBinary('turnserver');
const skip = turnserver || isCi() ? false : 'coturn (turnserver) is not installed: run scripts/setup.sh as root';

interface Coturn {
  primary: string;
  stop(): Promise<void>;
}

const started: Coturn[] = [];

/**
 * coturn on 127.0.0.1 (and 127.0.0.2 for RFC 5780) on a free port pair; ready once it answers.
 * Registered in `started` before it is ready, so `after()` stops it even if another one failed.
 */
async function startLoopbackCoturn(addresses: string[]): Promise<Coturn> {
  assert.ok(turnserver, 'turnserver must be installed (scripts/setup.sh)');
  const port = 20000 + Math.floor(Math.random() * 20000) * 2;
  const dir = mkdtempSync(join(tmpdir(), 'nat-doctor-loopback-'));
  const child: ChildProcess = spawn(
    turnserver,
    [
      '-n', ...addresses.flatMap((a) => ['--listening-ip', a]),
      '--listening-port', String(port), '--alt-listening-port', String(port + 1),
      '--no-tcp', '--no-tls', '--no-dtls', '--stun-only', '--no-cli', '--log-file=stdout', '--simple-log',
      '--pidfile', join(dir, 'pid'), '--userdb', join(dir, 'db'),
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const first = addresses[0] as string;
  const coturn = { primary: first.includes(':') ? `[${first}]:${port}` : `${first}:${port}`, stop };
  started.push(coturn);
  await Promise.race([
    Promise.all(addresses.map((a) => stunPing(a, port, { deadlineMs: 10_000 }))),
    exited.then(() => Promise.reject(new Error('turnserver exited before it answered'))),
  ]);
  return coturn;
}

describe('diagnose() against coturn on loopback', { skip }, () => {
  let rfc5780: Coturn;
  let single: Coturn;
  let ipv6: Coturn;
  let silent: Socket;
  let silentPort = 0;
  before(async () => {
    [rfc5780, single, ipv6] = await Promise.all([
      startLoopbackCoturn(['127.0.0.1', '127.0.0.2']),
      startLoopbackCoturn(['127.0.0.1']),
      startLoopbackCoturn(['::1']),
    ]);
    silent = createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    silentPort = silent.address().port;
  });
  after(async () => {
    silent?.close();
    await Promise.all(started.map((c) => c.stop()));
  });

  it('an RFC 5780 server on this host reports no NAT and endpoint-independent filtering', async () => {
    const report = await diagnose({ captivePortalUrl: false, stunServers: [rfc5780.primary] });
    assert.equal(report.nat.udp, 'ok');
    assert.equal(report.nat.mapping, 'none');
    assert.equal(report.nat.filtering, 'endpoint-independent');
    assert.equal(report.nat.type, 'open-internet');
    assert.equal(report.nat.portPreservation, true);
    assert.equal(report.publicAddress?.address, '127.0.0.1');
    assert.deepEqual(
      report.servers.map((s) => ({ server: s.server, rfc5780: s.rfc5780, rtt: typeof s.rttMs })),
      [{ server: rfc5780.primary, rfc5780: true, rtt: 'number' }],
    );
    assert.ok(report.recommendations.some((r) => r.id === 'p2p-easy'));
  });

  it('a server with one address leaves filtering unknown, never endpoint-independent', async () => {
    const report = await diagnose({ captivePortalUrl: false, stunServers: [single.primary] });
    assert.equal(report.nat.filtering, 'unknown');
    assert.equal(report.nat.type, 'unknown');
    assert.equal(report.servers[0]?.rfc5780, false);
    assert.match(report.servers[0]?.error ?? '', /OTHER-ADDRESS/);
    assert.ok(report.nat.notes?.some((n) => n.startsWith('filtering:')));
    assert.ok(report.recommendations.some((r) => r.id === 'rfc5780-server-needed'));
  });

  it('an IPv6 server works the same way: our own address, no NAT', async () => {
    const report = await diagnose({ captivePortalUrl: false, stunServers: [ipv6.primary] });
    assert.equal(report.nat.udp, 'ok');
    assert.equal(report.publicAddress?.address, '::1');
    assert.equal(report.nat.mapping, 'none');
    assert.equal(report.servers[0]?.address, '::1');
  });

  it('an RFC 5780 server is used for the behaviour tests even when listed after a silent one', async () => {
    const report = await diagnose({ captivePortalUrl: false, stunServers: [`127.0.0.1:${silentPort}`, rfc5780.primary] });
    assert.equal(report.nat.type, 'open-internet');
    assert.match(report.servers[0]?.error ?? '', /no answer/);
    assert.equal(report.servers[1]?.rfc5780, true);
  });

  it('a server that never answers gives udp-blocked, not a guess', async () => {
    const report = await diagnose({ captivePortalUrl: false, stunServers: [`127.0.0.1:${silentPort}`] });
    assert.equal(report.nat.udp, 'blocked');
    assert.equal(report.nat.type, 'udp-blocked');
    assert.equal(report.publicAddress, null);
    assert.ok(report.recommendations.some((r) => r.id === 'udp-blocked'));
  });

  it('the deadline stops a run early with an honest unknown', async () => {
    const report = await diagnose({ captivePortalUrl: false, stunServers: [`127.0.0.1:${silentPort}`], timeoutMs: 150 });
    assert.equal(report.nat.type, 'unknown');
    assert.ok(report.nat.notes?.some((n) => /stopped/.test(n)));
  });

  it('cancel rejects with DiagnosisCancelled, and nothing the run started outlives it', async () => {
    const baseline = await settledUdpAndTimerCount(true);
    const controller = new AbortController();
    const run = diagnose({ captivePortalUrl: false, stunServers: [`127.0.0.1:${silentPort}`], signal: controller.signal });
    // Cancel once the run is under way: the TCP proof, the uplink lookup and the traceroute have started.
    await new Promise<void>((resolve) => setImmediate(resolve));
    controller.abort();
    await assert.rejects(run, DiagnosisCancelled);
    assert.equal(await settledUdpAndTimerCount(true), baseline, `left running: ${process.getActiveResourcesInfo().join(', ')}`);
  });

  it('a finished run leaves no UDP socket and no timer behind', async () => {
    const baseline = await settledUdpAndTimerCount();
    await diagnose({ captivePortalUrl: false, stunServers: [rfc5780.primary, `127.0.0.1:${silentPort}`], hairpinning: true });
    assert.equal(await settledUdpAndTimerCount(), baseline);
  });

  it('a quick check skips hairpinning and the lifetime even when asked, but runs the probes it is given', async () => {
    const report = await diagnose({ captivePortalUrl: false,
      mode: 'quick',
      stunServers: [rfc5780.primary],
      hairpinning: true,
      measureLifetime: true,
      probes: [`${rfc5780.primary}/stun`],
    });
    assert.equal(report.nat.type, 'open-internet');
    assert.equal(report.nat.hairpinning, null);
    assert.equal(report.bindingLifetime, null);
    assert.deepEqual(report.probes.map((p) => [p.target, p.state]), [[`${rfc5780.primary}/stun`, 'open']]);
  });

  it('hairpinning is tested only when asked, and works on loopback', async () => {
    const plain = await diagnose({ captivePortalUrl: false, stunServers: [rfc5780.primary] });
    assert.equal(plain.nat.hairpinning, null);
    const asked = await diagnose({ captivePortalUrl: false, stunServers: [rfc5780.primary], hairpinning: true });
    assert.equal(asked.nat.hairpinning, true);
  });
});
