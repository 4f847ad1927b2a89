// The pure half of the config-language adapters (src/vscode/configLanguages/configLanguageModel.ts)
// and the package.json wiring they rely on.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { measuredFromReports } from '../../../src/core/advice/tunnelAdvice';
import { lint, LANGUAGE_IDS, RULES } from '../../../src/core/lint';
import type { Report } from '../../../src/core/report/types';
import {
  completionStart, isConfigLanguage, mayRedetect, ruleHeadingLines, redetectedLanguage, toEngineColumn, toZeroBased, type ZeroBasedRange,
} from '../../../src/vscode/configLanguages/configLanguageModel';

const REPO = join(__dirname, '../../../..');
const packageJson = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  activationEvents: string[];
  contributes: { configuration: { properties: Record<string, { default?: unknown; items?: { enum?: string[] } }> } };
};

/** What VS Code's editor shows for a 0-based range: its lines split the way a TextDocument does. */
function slice(text: string, r: ZeroBasedRange): string {
  const lines = text.split(/\r?\n/);
  if (r.startLine === r.endLine) return (lines[r.startLine] ?? '').slice(r.startCharacter, r.endCharacter);
  const parts = [(lines[r.startLine] ?? '').slice(r.startCharacter)];
  for (let l = r.startLine + 1; l < r.endLine; l++) parts.push(lines[l] ?? '');
  parts.push((lines[r.endLine] ?? '').slice(0, r.endCharacter));
  return parts.join('\n');
}

const KEY = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';

describe('position mapping', () => {
  it('an engine range covers the same text in the editor, with CRLF and tabs', () => {
    const text = '[Interface]\r\n\tPrivateKey = notakey\r\n[Peer]\r\nPublicKey = ' + KEY + '\r\nEndpoint = 192.0.2.1:51820\r\n';
    const finding = lint(text, { language: 'wireguard' }).find((f) => f.ruleId === 'wireguard/invalid-key');
    assert.ok(finding, 'the invalid key is reported');
    assert.equal(slice(text, toZeroBased(finding, false)), 'notakey');
  });

  it('when the editor text keeps a BOM, first-line columns shift by one and later lines do not', () => {
    const text = '\uFEFF[Interfac]\nPrivateKey = notakey\n[Peer]\nPublicKey = notakey\n';
    const findings = lint(text, { language: 'wireguard' });
    const section = findings.find((f) => f.ruleId === 'wireguard/unknown-section');
    assert.ok(section, findings.map((f) => f.ruleId).join(', '));
    assert.match(slice(text, toZeroBased(section, true)), /Interfac/);
    assert.doesNotMatch(slice(text, toZeroBased(section, true)), /\uFEFF/);
    // Every finding covers in the BOM-carrying editor text what it covers in the engine's text.
    const withoutBom = text.slice(1);
    for (const f of findings) assert.equal(slice(text, toZeroBased(f, true)), slice(withoutBom, toZeroBased(f, false)), f.ruleId);
    assert.ok(findings.some((f) => f.line > 1 && f.column > 1), 'a finding past column 1 of a later line is checked too');
    assert.equal(toEngineColumn(0, 1, true), 1, 'the character after the BOM is engine column 1');
    assert.equal(toEngineColumn(1, 0, true), 1, 'other lines are not shifted');
  });

  it('an insertion after a final newline maps onto the editor\'s empty last line', () => {
    const r = toZeroBased({ line: 4, column: 1, endLine: 4, endColumn: 1 }, false);
    assert.deepEqual(r, { startLine: 3, startCharacter: 0, endLine: 3, endCharacter: 0 });
  });
});

function report(fields: { type: string; address?: string; lifetime?: number | null }): Report {
  return {
    nat: { type: fields.type },
    publicAddress: fields.address ? { address: fields.address, port: 1 } : null,
    bindingLifetime: fields.lifetime === undefined ? null : { seconds: fields.lifetime, lowerSec: 0, upperSec: 0 },
  } as unknown as Report;
}

describe('what the lint messages may say about the network', () => {
  it('no report, no measurement', () => {
    assert.equal(measuredFromReports([]), undefined);
    assert.equal(measuredFromReports([report({ type: 'unknown' })]), undefined);
  });

  it('the newest NAT type, and a lifetime measured earlier on the same public address', () => {
    const m = measuredFromReports([report({ type: 'symmetric', address: '198.51.100.7' }), report({ type: 'full-cone', address: '198.51.100.7', lifetime: 30 })]);
    assert.deepEqual(m, { natType: 'symmetric', bindingLifetimeSec: 30 });
  });

  it('a lifetime from another network is not used', () => {
    const m = measuredFromReports([report({ type: 'symmetric', address: '198.51.100.7' }), report({ type: 'full-cone', address: '203.0.113.9', lifetime: 30 })]);
    assert.deepEqual(m, { natType: 'symmetric' });
  });

  it('a lifetime the run could not measure (null) is not a lifetime', () => {
    assert.deepEqual(measuredFromReports([report({ type: 'restricted-cone', address: '198.51.100.7', lifetime: null })]), { natType: 'restricted-cone' });
  });
});

describe('the path MTU and established lifetime the lint uses, from the history', () => {
  const full = (address: string): Report => ({
    ...report({ type: 'port-restricted-cone', address }),
    servers: [{ server: '203.0.113.10:3478', address: '203.0.113.10', rttMs: 1, rfc5780: true }],
    bindingLifetime: { seconds: 32, lowerSec: 30, upperSec: 35, established: { seconds: 122, lowerSec: 120, upperSec: 125 } },
    pathMtu: { target: '203.0.113.10:3478', bytes: 1400, blackHole: true, detail: 'x' },
  } as unknown as Report);

  it('a quick check after a full diagnosis on the same network keeps its path MTU and both lifetimes', () => {
    const m = measuredFromReports([report({ type: 'symmetric', address: '198.51.100.7' }), full('198.51.100.7')]);
    assert.deepEqual(m, {
      natType: 'symmetric',
      bindingLifetimeSec: 32,
      established: { lifetimeSec: 122, firstGapSec: 30 },
      pathMtu: { bytes: 1400, blackHole: true, family: 'IPv4' },
    });
  });

  it('another network\'s path MTU is not used', () => {
    assert.deepEqual(measuredFromReports([report({ type: 'symmetric', address: '198.51.100.7' }), full('203.0.113.9')]), { natType: 'symmetric' });
  });

  it('a path the run could not measure (bytes null) is not a path MTU', () => {
    const unmeasured = { ...full('198.51.100.7'), pathMtu: { target: '203.0.113.10:3478', bytes: null, blackHole: null, detail: 'no PADDING' } } as Report;
    assert.equal(measuredFromReports([unmeasured])?.pathMtu, undefined);
  });
});

describe('language re-detection', () => {
  it('a .conf opened as properties or plain text becomes what the sniff is sure of', () => {
    assert.equal(redetectedLanguage('properties', '/etc/tunnel.conf', 'wireguard'), 'wireguard');
    assert.equal(redetectedLanguage('plaintext', '/home/me/office.conf', 'openvpn'), 'openvpn');
    assert.equal(redetectedLanguage('properties', '/etc/app.conf', undefined), undefined, 'not sure: left alone');
  });

  it('ipsec.conf moves between strongSwan and libreswan; other languages the user chose stay', () => {
    assert.equal(redetectedLanguage('strongswan', '/etc/ipsec.conf', 'libreswan'), 'libreswan');
    assert.equal(redetectedLanguage('strongswan', '/etc/strongswan/other.conf', 'libreswan'), undefined);
    assert.equal(redetectedLanguage('shellscript', '/etc/tunnel.conf', 'wireguard'), undefined);
    assert.equal(redetectedLanguage('wireguard', '/etc/wg0.conf', 'wireguard'), undefined);
  });

  it('only generic documents and ipsec.conf are sniffed at all', () => {
    assert.equal(mayRedetect('properties', '/etc/tunnel.conf'), true);
    assert.equal(mayRedetect('plaintext', 'Untitled-1'), true);
    assert.equal(mayRedetect('plaintext', '/src/notes.md'), false);
    assert.equal(mayRedetect('typescript', '/src/a.conf'), false);
    assert.equal(mayRedetect('strongswan', '/etc/ipsec.conf'), true);
    assert.equal(mayRedetect('strongswan', '/etc/swanctl/swanctl.conf'), false);
  });
});

describe('completion start', () => {
  it('keys and sections at the start of a line, never inside a value', () => {
    assert.equal(completionStart('wireguard', 'Persis'), 0);
    assert.equal(completionStart('wireguard', '  ['), 2);
    assert.equal(completionStart('wireguard', 'Endpoint = vpn'), undefined);
    assert.equal(completionStart('openvpn', 'keep'), 0);
    assert.equal(completionStart('openvpn', 'remote vpn.example'), undefined);
    assert.equal(completionStart('strongswan', '\tleftsub'), 1);
    assert.equal(completionStart('strongswan', '\tleft=192'), undefined);
  });
});

describe('package.json wiring of the config languages', () => {
  it('natDoctor.lint.disabledRules offers exactly the engine\'s rule ids', () => {
    const property = packageJson.contributes.configuration.properties['natDoctor.lint.disabledRules'];
    assert.deepEqual([...(property?.items?.enum ?? [])].sort(), RULES.map((r) => r.id).sort());
  });

  it('opening any config language activates the extension', () => {
    for (const language of LANGUAGE_IDS) {
      assert.ok(isConfigLanguage(language));
      assert.ok(packageJson.activationEvents.includes(`onLanguage:${language}`), `onLanguage:${language}`);
    }
    assert.equal(isConfigLanguage('properties'), false);
  });

  it('every rule has a heading in docs/rules.md that a diagnostic can link to by line', () => {
    const markdown = readFileSync(join(REPO, 'docs', 'rules.md'), 'utf8');
    const headings = ruleHeadingLines(markdown);
    const lines = markdown.split('\n');
    for (const rule of RULES) {
      const line = headings.get(rule.id);
      assert.ok(line, `${rule.id} has a heading`);
      assert.equal(lines[line - 1], `### ${rule.id}`);
    }
  });

  it('the package carries docs/rules.md (the diagnostics link there) and the lint bundle', () => {
    const allow = readFileSync(join(REPO, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    assert.ok(allow.includes('!docs/rules.md'));
    assert.ok(allow.includes('!dist/lint.js'));
  });
});
