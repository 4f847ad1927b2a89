// `nat-doctor pair …` without a network: usage errors (exit 2, one line, no stack), and `pair
// predict` on saved reports — the current shape, an old one without portAllocation, files that
// are not reports (exit 1).
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { savedReport } from '../report/reportFixture';
import { run } from './runCli';

const dir = mkdtempSync(join(tmpdir(), 'nat-doctor-pair-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function reportFile(name: string, nat: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(savedReport({ nat, publicAddress: null })));
  return path;
}

const PORT_RESTRICTED = { udp: 'ok', mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', type: 'port-restricted-cone', portPreservation: true, hairpinning: null, alg: null, portAllocation: { pattern: 'preserving', delta: null, samples: 4 } };
const SEQUENTIAL = { udp: 'ok', mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', type: 'symmetric', portPreservation: false, hairpinning: null, alg: null, portAllocation: { pattern: 'sequential', delta: 1, samples: 4 } };

describe('nat-doctor pair: usage errors', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['no pair command', ['pair'], /which pair command/],
    ['an unknown pair command', ['pair', 'connect'], /unknown pair command "connect"/],
    ['predict with one report', ['pair', 'predict', 'a.json'], /takes two report files/],
    ['answer without a token', ['pair', 'answer'], /takes the offer token/],
    ['answer with something that is no token', ['pair', 'answer', 'hello'], /no ndpair1: token found/],
    ['answer with a token of another version', ['pair', 'answer', 'ndpair1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'], /version 0 token/],
    ['answer with a damaged token', ['pair', 'answer', 'ndpair1:AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'], /damaged or incomplete/],
    ['offer given a token', ['pair', 'offer', 'ndpair1:abc'], /takes no token/],
    ['a --port out of range', ['pair', 'offer', '--port', '0'], /--port must be between 1 and 65535/],
    ['a bad --stun', ['pair', 'offer', '--stun', 'nowhere'], /not HOST:PORT/],
  ];
  for (const [name, argv, message] of cases) {
    it(`rejects ${name}`, async () => {
      const r = await run(...argv);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(r.stdout, '');
    });
  }
});

describe('nat-doctor pair predict', () => {
  it('prints the verdict, the confidence and the reason for two reports', async () => {
    const r = await run('pair', 'predict', reportFile('home.json', PORT_RESTRICTED), reportFile('office.json', SEQUENTIAL));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Prediction: direct with port prediction \(confidence \d+ %\)\n/);
    assert.match(r.stdout, /home\.json: Port-restricted cone NAT.*office\.json: Symmetric NAT, ports sequential \(\+1 per new mapping\)/);
  });
  it('--json prints exactly the prediction document', async () => {
    const r = await run('pair', 'predict', reportFile('a.json', PORT_RESTRICTED), reportFile('b.json', SEQUENTIAL), '--json');
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout) as { verdict: string; confidence: number; reason: string };
    assert.equal(p.verdict, 'direct-with-port-prediction');
    assert.ok(p.confidence > 0 && p.confidence <= 1);
    assert.equal(typeof p.reason, 'string');
  });
  it('an old report without portAllocation still predicts, and says what it lacks', async () => {
    const { portAllocation: _dropped, ...old } = SEQUENTIAL;
    void _dropped;
    const r = await run('pair', 'predict', reportFile('new.json', PORT_RESTRICTED), reportFile('old.json', old), '--json');
    assert.equal(r.code, 0, r.stderr);
    const p = JSON.parse(r.stdout) as { verdict: string; reason: string };
    assert.equal(p.verdict, 'relay');
    assert.match(p.reason, /old\.json's port allocation \(not in that report\)/);
  });
  it('a missing file or one that is not a report: exit 1, one line each', async () => {
    const notReport = join(dir, 'notes.json');
    writeFileSync(notReport, '{"hello": 1}');
    const r = await run('pair', 'predict', join(dir, 'missing.json'), notReport);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /missing\.json: no such file/);
    assert.match(r.stderr, /notes\.json: not a nat-doctor report/);
    assert.equal(r.stdout, '');
  });
});
