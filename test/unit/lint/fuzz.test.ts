// Random and mutated input: the parsers never throw, never loop, and stay bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { detectLanguage, getCompletions, getDocumentSymbols, getProbeTargets, lint, LANGUAGE_IDS, parseProbeableConfig, RULES } from '../../../src/core/lint';
import { MAX_FINDINGS_PER_FILE } from '../../../src/core/lint/findings';
import { PRIV, PUB } from './lintTestHelpers';

const KNOWN_RULES = new Set(RULES.map((r) => r.id));

const SEEDS: Record<string, string> = {
  wireguard: `[Interface]\nPrivateKey = ${PRIV}\nListenPort = 51820\n[Peer]\nPublicKey = ${PUB}\nEndpoint = [2001:db8::1]:51820\nAllowedIPs = 10.0.0.0/8\n`,
  openvpn: 'client\ndev tun\nremote 198.51.100.1 1194\n<connection>\nremote 198.51.100.2\n</connection>\n<ca>\nx\n</ca>\npush "a \\"b\\""\n',
  strongswan: 'config setup\n\tnat_traversal=yes\nconn a\n\tauto=start\n\talso=a\nconnections {\n rw {\n }\n}\n',
  libreswan: 'conn a\n\tauto=start\n\tdpddelay=30\n\tforceencaps=yes\n',
};

/** Mutations: insert, delete or replace a random span with interesting characters. */
const mutation = fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.string({ unit: fc.constantFrom('[', ']', '=', '#', ';', '"', "'", '\\', '<', '>', '/', '{', '}', '\r', '\n', '\t', ' ', ':', '\u0000', '\uFEFF', 'é', '𝄞', 'a', '0'), maxLength: 8 }));

function mutate(seed: string, muts: [number, number, string][]): string {
  let s = seed;
  for (const [at, del, ins] of muts) {
    const i = s.length === 0 ? 0 : at % (s.length + 1);
    s = s.slice(0, i) + ins + s.slice(i + del);
  }
  return s;
}

function exercise(text: string): void {
  for (const language of LANGUAGE_IDS) {
    const findings = lint(text, { language, fileName: 'x.conf', measured: { bindingLifetimeSec: 20 } });
    assert.ok(findings.length <= MAX_FINDINGS_PER_FILE + 1);
    for (const f of findings) assert.ok(KNOWN_RULES.has(f.ruleId), `${f.ruleId} is in the rule catalog`);
    for (const f of findings) assert.ok(f.line >= 1 && f.column >= 1 && (f.endLine > f.line || (f.endLine === f.line && f.endColumn >= f.column)), `bad range ${JSON.stringify(f)}`);
    getDocumentSymbols(language, text, 'x.conf');
    getProbeTargets(parseProbeableConfig(language, text));
    getCompletions(language, text, 3);
  }
  detectLanguage('x.conf', text);
}

describe('parsers survive random input', () => {
  it('mutated real configs', () => {
    fc.assert(fc.property(fc.constantFrom(...Object.values(SEEDS)), fc.array(mutation, { maxLength: 6 }), (seed, muts) => exercise(mutate(seed, muts))), { numRuns: 300, seed: 42 });
  });
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => exercise(s)), { numRuns: 300, seed: 43 });
  });
  it('a 10 MB input gets one "file too large" finding', () => {
    const big = 'remote 198.51.100.1 1194\n'.repeat(420_000);
    const findings = lint(big, { language: 'openvpn', fileName: 'big.ovpn' });
    assert.deepEqual(findings.map((f) => f.ruleId), ['general/file-too-large']);
  });
  it('a binary input gets one "not a text file" finding', () => {
    let bin = '';
    for (let i = 0; i < 5000; i++) bin += String.fromCharCode((i * 7919) % 256);
    assert.deepEqual(lint(bin, { language: 'wireguard' }).map((f) => f.ruleId), ['general/not-a-text-file']);
  });
  it('a UTF-16 file is recognised as such', () => {
    const utf16AsUtf8 = '[Interface]\nListenPort = 51820\n'.split('').map((c) => `${c}\u0000`).join('');
    const findings = lint(utf16AsUtf8, { language: 'wireguard' });
    assert.deepEqual(findings.map((f) => f.ruleId), ['general/not-a-text-file']);
    assert.match(findings[0]?.message ?? '', /UTF-16/);
  });
  it('a garbage file just under the size limit yields a capped list', () => {
    const junk = 'garbage line\n'.repeat(50_000);
    const findings = lint(junk, { language: 'wireguard' });
    assert.equal(findings.length, MAX_FINDINGS_PER_FILE + 1);
    assert.equal(findings[findings.length - 1]?.ruleId, 'general/too-many-findings');
  });
});
