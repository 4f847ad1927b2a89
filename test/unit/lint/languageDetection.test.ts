import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectLanguage, LANGUAGE_FILE_PATTERNS, LANGUAGE_IDS } from '../../../src/core/lint';
import { PRIV } from './lintTestHelpers';

const WG = `[Interface]\nPrivateKey = ${PRIV}\n`;
const OVPN = 'client\ndev tun\nproto udp\nremote 198.51.100.1 1194\n';
const LIBRE = 'conn a\n\tikev2=insist\n\tencapsulation=yes\n\tleft=%defaultroute\n';
const STRONG = 'conn a\n\tkeyexchange=ikev2\n\tleftauth=psk\n\tleft=%defaultroute\n';

describe('language detection never hijacks unrelated .conf files', () => {
  const cases: { file: string; text: string; expect: string | undefined }[] = [
    { file: '/etc/wireguard/wg0.conf', text: '', expect: 'wireguard' },
    { file: 'wg12.conf', text: '', expect: 'wireguard' },
    { file: 'home/wireguard/site/office.conf', text: '', expect: 'wireguard' },
    { file: 'client.ovpn', text: '', expect: 'openvpn' },
    { file: '/etc/openvpn/server/server.conf', text: '', expect: 'openvpn' },
    { file: '/etc/swanctl/swanctl.conf', text: '', expect: 'strongswan' },
    { file: '/etc/ipsec.conf', text: STRONG, expect: 'strongswan' },
    { file: '/etc/ipsec.conf', text: LIBRE, expect: 'libreswan' },
    { file: '/etc/ipsec.d/office.conf', text: '', expect: 'libreswan' },
    // nat-keepalive is libreswan's alone; dpdaction both know, so it decides nothing.
    { file: '/etc/ipsec.conf', text: 'conn a\n  nat-keepalive=yes\n  dpdaction=clear\n', expect: 'libreswan' },
    // A folder named after one of them decides before the content.
    { file: '/etc/strongswan/ipsec.conf', text: LIBRE, expect: 'strongswan' },
    { file: 'office.conf', text: WG, expect: 'wireguard' },
    // wg cuts a comment at the first "#", headers included.
    { file: 'home.conf', text: `[Interface] # home\nPrivateKey = ${PRIV}\n[Peer] # office\n`, expect: 'wireguard' },
    { file: 'client.conf', text: OVPN, expect: 'openvpn' },
    { file: 'tunnels.conf', text: STRONG, expect: 'strongswan' },
    { file: 'nginx.conf', text: 'server {\n  listen 80;\n}\n', expect: undefined },
    { file: 'app.conf', text: '[Interface]\n', expect: undefined },
    { file: 'app.conf', text: 'remote origin\n', expect: undefined },
    { file: 'settings.json', text: WG, expect: undefined },
    { file: 'wgfoo.conf', text: '', expect: undefined },
  ];
  for (const c of cases) it(`${c.file} → ${c.expect ?? 'none'}`, () => assert.equal(detectLanguage(c.file, c.text), c.expect));
});

describe('package.json contributes the same languages and patterns', () => {
  interface Lang { id: string; extensions?: string[]; filenames?: string[]; filenamePatterns?: string[]; configuration?: string }
  interface Grammar { language: string; scopeName: string; path: string }
  const root = join(__dirname, '..', '..', '..', '..');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { languages?: Lang[]; grammars?: Grammar[] } };
  for (const id of LANGUAGE_IDS) {
    it(`${id} has patterns, a grammar and a language configuration that exist`, () => {
      const lang = pkg.contributes.languages?.find((l) => l.id === id);
      assert.ok(lang, `contributes.languages has ${id}`);
      const want = LANGUAGE_FILE_PATTERNS[id];
      assert.deepEqual(lang.extensions ?? [], want.extensions);
      assert.deepEqual(lang.filenames ?? [], want.filenames);
      assert.deepEqual(lang.filenamePatterns ?? [], want.filenamePatterns);
      assert.ok(lang.configuration);
      JSON.parse(readFileSync(join(root, lang.configuration), 'utf8'));
      const grammar = pkg.contributes.grammars?.find((g) => g.language === id);
      assert.ok(grammar, `contributes.grammars has ${id}`);
      const g = JSON.parse(readFileSync(join(root, grammar.path), 'utf8')) as { scopeName: string; patterns: unknown[] };
      assert.equal(g.scopeName, grammar.scopeName);
      assert.ok(g.patterns.length > 0);
    });
  }
  it('no pattern claims every .conf file', () => {
    for (const lang of pkg.contributes.languages ?? []) {
      assert.ok(!(lang.extensions ?? []).includes('.conf'), `${lang.id} must not claim .conf`);
      assert.ok(!(lang.filenamePatterns ?? []).some((p) => p === '*.conf' || p === '**/*.conf'));
    }
  });
});
