// A saved report is untrusted input: every way it can be wrong gets one sentence, and reports
// written before this version's extra fields still read.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseSavedReport } from '../../../src/core/report/savedReport';
import { savedReport } from './reportFixture';

describe('reading a saved report', () => {
  it('a report from before pathMtu, connectivity and established lifetimes reads', () => {
    const parsed = parseSavedReport(JSON.stringify(savedReport({ bindingLifetime: { seconds: 30, lowerSec: 25, upperSec: 35 } })));
    assert.ok('report' in parsed, JSON.stringify(parsed));
    assert.equal(parsed.report.bindingLifetime?.seconds, 30);
  });

  it('this round\'s fields read too, and a UTF-8 BOM is no problem', () => {
    const text = '\uFEFF' + JSON.stringify(savedReport({
      bindingLifetime: { seconds: 32, lowerSec: 30, upperSec: 35, established: { seconds: null, lowerSec: 300, upperSec: 300 } },
      pathMtu: { target: '203.0.113.10:3478', bytes: 1400, blackHole: true, detail: 'x' },
      connectivity: { state: 'online', dns: 'ok', tcp: 'ok', captivePortal: false },
    }));
    assert.ok('report' in parseSavedReport(text));
  });

  const bad: Array<[string, string, RegExp]> = [
    ['not JSON', 'PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=', /^not JSON/],
    ['a JSON array', '[]', /not a JSON object/],
    ['another schema version', JSON.stringify(savedReport({ schemaVersion: 2 })), /schemaVersion is 2, not 1/],
    ['another tool', JSON.stringify(savedReport({ tool: { name: 'stun' } })), /tool\.name/],
    ['no nat', JSON.stringify(savedReport({ nat: undefined })), /nat is missing/],
    ['a made-up NAT type', JSON.stringify(savedReport({ nat: { udp: 'ok', mapping: 'none', filtering: 'endpoint-independent', type: 'cone-ish' } })), /nat\.type "cone-ish"/],
    ['a lifetime of words', JSON.stringify(savedReport({ bindingLifetime: { seconds: 'thirty', lowerSec: 25, upperSec: 35 } })), /bindingLifetime needs numbers/],
    ['a broken established lifetime', JSON.stringify(savedReport({ bindingLifetime: { seconds: 30, lowerSec: 25, upperSec: 35, established: 120 } })), /bindingLifetime\.established is not an object/],
    ['a path MTU in words', JSON.stringify(savedReport({ pathMtu: { target: 'x:1', bytes: 'big', blackHole: true, detail: '' } })), /pathMtu is not/],
    ['servers that are not a list', JSON.stringify(savedReport({ servers: {} })), /servers is not a list/],
  ];
  for (const [name, text, message] of bad) {
    it(`${name}: one sentence saying what is wrong`, () => {
      const parsed = parseSavedReport(text);
      assert.ok('error' in parsed);
      assert.match(parsed.error, message);
      assert.doesNotMatch(parsed.error, /\n/);
      assert.doesNotMatch(parsed.error, /yAnz5TF/, 'the text of a file given by mistake is never echoed');
    });
  }
});
