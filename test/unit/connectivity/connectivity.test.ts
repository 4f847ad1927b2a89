// The connectivity verdict from the evidence a run gathered: UDP blocked only with proof that the
// network works, offline when nothing answered, and the NAT verdict adjusted to match.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { validateCaptivePortalUrl } from '../../../src/core/connectivity/captivePortal';
import { applyConnectivity, decideConnectivity, type ConnectivityInputs, type TcpProof } from '../../../src/core/connectivity/connectivity';
import type { NatResult } from '../../../src/core/report/types';

const answered: TcpProof = { address: '203.0.113.10', outcome: 'answered', rttMs: 3, detail: 'TCP 203.0.113.10:443 answered with a reset' };
const silent: TcpProof = { address: '203.0.113.10', outcome: 'no-answer', rttMs: null, detail: 'TCP 203.0.113.10:443 did not answer within 1.5 s' };
const unfinished: TcpProof = { address: '203.0.113.10', outcome: 'not-finished', rttMs: null, detail: 'not needed' };
const base: ConnectivityInputs = { names: 0, resolvedNames: 0, unresolved: [], udpAnswered: false, udpWaitedOut: true, tcp: [], captivePortal: null };

describe('connectivity verdict', () => {
  const cases: Array<[string, Partial<ConnectivityInputs>, { state: string; dns: string; tcp: string }]> = [
    ['a STUN answer: online, whatever TCP did', { udpAnswered: true, tcp: [unfinished] }, { state: 'online', dns: 'not-needed', tcp: 'not-tested' }],
    ['UDP silent, TCP answered: UDP blocked', { tcp: [answered] }, { state: 'udp-blocked', dns: 'not-needed', tcp: 'ok' }],
    ['UDP silent, a name resolved, TCP silent: UDP blocked (DNS proves the network)', { names: 1, resolvedNames: 1, tcp: [silent] }, { state: 'udp-blocked', dns: 'ok', tcp: 'blocked' }],
    ['UDP could not even be sent, a name resolved: offline, not UDP blocked', { names: 1, resolvedNames: 1, udpWaitedOut: false, tcp: [silent] }, { state: 'offline', dns: 'ok', tcp: 'blocked' }],
    ['nothing resolved, nothing answered: offline', { names: 2, unresolved: ['a:3478', 'b:3478'], udpWaitedOut: false }, { state: 'offline', dns: 'failed', tcp: 'not-tested' }],
    ['IP literals, TCP and UDP silent: offline', { tcp: [silent] }, { state: 'offline', dns: 'not-needed', tcp: 'blocked' }],
    ['TCP answered but the run stopped before UDP was judged: online, UDP undecided, never a guessed "UDP blocked"', { udpWaitedOut: false, udpCutShort: true, tcp: [answered] }, { state: 'online', dns: 'not-needed', tcp: 'ok' }],
    ['a name failed, a literal answered: online with DNS failed', { names: 1, unresolved: ['stun.example.invalid:3478'], udpAnswered: true, tcp: [answered] }, { state: 'online', dns: 'failed', tcp: 'ok' }],
  ];
  for (const [name, inputs, expected] of cases) {
    it(name, () => {
      const { connectivity } = decideConnectivity({ ...base, ...inputs });
      assert.deepEqual({ state: connectivity.state, dns: connectivity.dns, tcp: connectivity.tcp }, expected);
    });
  }

  it('says which names failed when servers given by address still answered', () => {
    const { notes } = decideConnectivity({ ...base, names: 1, unresolved: ['stun.example.invalid:3478'], udpAnswered: true });
    assert.match(notes.join('\n'), /DNS does not work here \(stun\.example\.invalid:3478 did not resolve\)/);
  });

  it('names the proof behind "UDP blocked"', () => {
    const { notes } = decideConnectivity({ ...base, tcp: [answered] });
    assert.match(notes.join('\n'), /the network works \(TCP 203\.0\.113\.10:443 answered with a reset \(3 ms\)\)/);
  });
});

describe('the NAT verdict in the light of connectivity', () => {
  const nat: NatResult = { udp: 'blocked', mapping: 'unknown', filtering: 'unknown', type: 'udp-blocked', portPreservation: null, hairpinning: null, alg: null, notes: ['no STUN server answered: outgoing UDP looks blocked'] };
  it('offline: the type is unknown, never "UDP blocked", and the note says offline', () => {
    const decided = decideConnectivity({ ...base, tcp: [silent] });
    const adjusted = applyConnectivity(nat, decided.connectivity, decided.notes);
    assert.equal(adjusted.type, 'unknown');
    assert.equal(adjusted.udp, 'blocked');
    assert.ok(!adjusted.notes?.some((n) => /UDP looks blocked/.test(n)));
    assert.match(adjusted.notes?.join('\n') ?? '', /looks offline/);
  });
  it('UDP blocked with proof keeps the type and adds the proof', () => {
    const decided = decideConnectivity({ ...base, tcp: [answered] });
    const adjusted = applyConnectivity(nat, decided.connectivity, decided.notes);
    assert.equal(adjusted.type, 'udp-blocked');
    assert.match(adjusted.notes?.join('\n') ?? '', /outgoing UDP is blocked/);
  });
  it('online leaves the NAT verdict alone', () => {
    const online: NatResult = { ...nat, udp: 'ok', type: 'full-cone', mapping: 'endpoint-independent', filtering: 'endpoint-independent', notes: ['mapping: compared across 2 servers'] };
    const decided = decideConnectivity({ ...base, udpAnswered: true });
    assert.deepEqual(applyConnectivity(online, decided.connectivity, decided.notes), online);
  });
});

describe('captive portal URL', () => {
  it('accepts plain http URLs only, without credentials', () => {
    assert.ok('url' in validateCaptivePortalUrl('http://detectportal.firefox.com/success.txt'));
    assert.ok('url' in validateCaptivePortalUrl('http://203.0.113.80:8080/x'));
    assert.match((validateCaptivePortalUrl('https://example.org/') as { error: string }).error, /plain http/);
    assert.match((validateCaptivePortalUrl('not a url') as { error: string }).error, /not a URL/);
    assert.match((validateCaptivePortalUrl('http://u:p@example.org/') as { error: string }).error, /user name or password/);
  });
});
