// The TextMate grammars, run through the same engine VS Code uses (vscode-textmate with the
// Oniguruma regex library), on representative lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

const ROOT = join(__dirname, '..', '..', '..', '..');
let registry: vsctm.Registry;

before(async () => {
  const wasm = readFileSync(join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      const name = scopeName.replace(/^source\./, '');
      const path = join(ROOT, 'syntaxes', `${name}.tmLanguage.json`);
      return vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path);
    },
  });
});

/** Scopes of the token covering `needle` on each line of `text`. */
async function scopesOf(scope: string, text: string, needle: string): Promise<string[]> {
  const grammar = await registry.loadGrammar(scope);
  assert.ok(grammar, `${scope} loads`);
  let state = vsctm.INITIAL;
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    const at = line.indexOf(needle);
    if (at < 0) continue;
    const tok = r.tokens.find((t) => t.startIndex <= at && at < t.endIndex);
    return tok?.scopes ?? [];
  }
  return [];
}

describe('TextMate grammars tokenize real configs', () => {
  const cases: { scope: string; text: string; needle: string; expect: string }[] = [
    { scope: 'source.wireguard', text: '[Interface]', needle: 'Interface', expect: 'entity.name.section.wireguard' },
    { scope: 'source.wireguard', text: '[peer]', needle: 'peer', expect: 'entity.name.section.wireguard' },
    { scope: 'source.wireguard', text: 'PersistentKeepalive = 25 # NAT', needle: 'PersistentKeepalive', expect: 'keyword.other.definition.wireguard' },
    { scope: 'source.wireguard', text: 'PersistentKeepalive = 25 # NAT', needle: '# NAT', expect: 'comment.line.number-sign.wireguard' },
    { scope: 'source.wireguard', text: 'PersistentKeepalive = 25', needle: '25', expect: 'constant.numeric.wireguard' },
    { scope: 'source.wireguard', text: 'Table = off', needle: 'off', expect: 'constant.language.wireguard' },
    { scope: 'source.openvpn', text: 'keepalive 10 60', needle: 'keepalive', expect: 'keyword.other.option.openvpn' },
    { scope: 'source.openvpn', text: 'remote 198.51.100.1 1194 udp', needle: 'udp', expect: 'constant.language.openvpn' },
    { scope: 'source.openvpn', text: 'remote host 1194 # x', needle: '# x', expect: 'comment.line.openvpn' },
    { scope: 'source.openvpn', text: '; whole-line comment', needle: 'whole', expect: 'comment.line.openvpn' },
    { scope: 'source.openvpn', text: 'push "route 10.0.0.0 255.0.0.0"', needle: 'route', expect: 'string.quoted.double.openvpn' },
    { scope: 'source.openvpn', text: '<ca>\nMIIB # not a comment\n</ca>', needle: 'MIIB', expect: 'string.unquoted.inline.openvpn' },
    { scope: 'source.openvpn', text: '<ca>\nx\n</ca>', needle: '</ca>', expect: 'punctuation.definition.tag.begin.openvpn' },
    { scope: 'source.strongswan', text: 'conn office', needle: 'office', expect: 'entity.name.section.strongswan' },
    { scope: 'source.strongswan', text: 'conn a\n\tdpdaction=restart', needle: 'dpdaction', expect: 'keyword.other.definition.strongswan' },
    { scope: 'source.strongswan', text: 'conn a\n\tdpdaction=restart', needle: 'restart', expect: 'constant.language.strongswan' },
    { scope: 'source.strongswan', text: 'connections {', needle: 'connections', expect: 'entity.name.section.strongswan' },
    { scope: 'source.libreswan', text: 'conn a\n\tencapsulation=yes # forced', needle: '# forced', expect: 'comment.line.number-sign.libreswan' },
  ];
  for (const c of cases) {
    it(`${c.scope}: "${c.needle}" in ${JSON.stringify(c.text)} is ${c.expect}`, async () => {
      assert.ok((await scopesOf(c.scope, c.text, c.needle)).includes(c.expect));
    });
  }
});
