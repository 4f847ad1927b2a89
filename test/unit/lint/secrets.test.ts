// Private keys must never appear in a message or a fix title, whatever is wrong around them. What is
// secret is decided by position (the values of key fields, inline key blocks); a complete key pasted
// anywhere else is still hidden, while ordinary words are quoted as written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getDocumentSymbols, getOptionDoc, lint } from '../../../src/core/lint';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('');
const b64 = fc.string({ unit: fc.constantFrom(...B64), minLength: 20, maxLength: 50 });
/** A string with the exact shape of a WireGuard key (what `wg genkey` prints). */
const wgKey = fc.tuple(fc.string({ unit: fc.constantFrom(...B64), minLength: 42, maxLength: 42 }), fc.constantFrom(...'AEIMQUYcgkosw048'.split('')))
  .map(([body, last]) => `${body}${last}=`);

function assertNoSecret(texts: string[], secret: string): void {
  // Any 16-character run of the secret would be a leak.
  for (const t of texts) {
    for (let i = 0; i + 16 <= secret.length; i++) assert.ok(!t.includes(secret.slice(i, i + 16)), `leaked key material in: ${t}`);
  }
}

describe('secrets never reach messages', () => {
  it('WireGuard private and preshared key values, valid or broken, under any key spelling', () => {
    fc.assert(
      fc.property(b64, fc.constantFrom('PrivateKey', 'PresharedKey', 'privatekey', 'Private Key', 'PrivKey'), fc.constantFrom('[Interface]\n', '[Peer]\n', '', '[Bogus]\n'), fc.constantFrom('=', ' = ', '=='), (secret, key, header, sep) => {
          const text = `${header}${key}${sep}${secret}\n`;
          const findings = lint(text, { language: 'wireguard', fileName: 'wg0.conf' });
          assertNoSecret(findings.flatMap((f) => [f.message, f.fix?.title ?? '']), secret);
        }),
      { numRuns: 300, seed: 7 },
    );
  });
  it('a whole WireGuard key pasted in the wrong place is not quoted either', () => {
    fc.assert(
      fc.property(wgKey, fc.constantFrom('[Interface]\n', '[Peer]\n', '', '[Bogus]\n'), (secret, header) => {
        const text = `${header}; ${secret}\n${secret}\nEndpoint = ${secret}\nAllowedIPs = ${secret}\nDNS = ${secret}\n${secret.slice(0, -1)} = x\n`;
        for (const language of ['wireguard', 'openvpn', 'strongswan', 'libreswan'] as const) {
          const findings = lint(text, { language, fileName: 'wg0.conf' });
          assertNoSecret(findings.flatMap((f) => [f.message, f.fix?.title ?? '']), secret);
        }
      }),
      { numRuns: 200, seed: 9 },
    );
  });
  it('ordinary words that merely look like base64 are quoted as written', () => {
    const wg = lint('PersistentKeepAlive = 25\n[Interface]\nAddress = "10.0.0.1/24"\n', { language: 'wireguard', fileName: 'wg0.conf' });
    assert.ok(wg.some((f) => f.message.includes('"PersistentKeepAlive"')), wg.map((f) => f.message).join(' | '));
    assert.ok(wg.some((f) => f.message.includes('wg-quick does not remove quotes')), 'quotes in a value are explained, not doubled');
    assert.ok(!wg.some((f) => f.message.includes('""')), 'no doubled quotes');
    const ovpn = lint('client\nremote DontLetTheFeelingFade 1194 udp7\n', { language: 'openvpn', fileName: 'c.ovpn' });
    assert.ok(ovpn.some((f) => f.message.includes('"udp7"')), ovpn.map((f) => f.message).join(' | '));
    const peer = lint('[Interface]\nDontLetTheFeelingFade = 1\n', { language: 'wireguard', fileName: 'wg0.conf' });
    assert.ok(peer.some((f) => f.message.includes('"DontLetTheFeelingFade"')), peer.map((f) => f.message).join(' | '));
  });
  it('OpenVPN inline keys and static keys', () => {
    fc.assert(
      fc.property(b64, fc.constantFrom('key', 'secret', 'tls-auth', 'tls-crypt', 'foo', 'Key'), (secret, tag) => {
        const text = `client\n<${tag}>\n${secret}\n${secret} x\n</${tag}>\n<${tag}>\n${secret}\n`;
        const findings = lint(text, { language: 'openvpn', fileName: 'c.ovpn' });
        assertNoSecret(findings.flatMap((f) => [f.message, f.fix?.title ?? '']), secret);
      }),
      { numRuns: 200, seed: 8 },
    );
  });
  it('the outline and hovers never show a private key', () => {
    const secret = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
    const symbols = getDocumentSymbols('wireguard', `[Interface]\nPrivateKey = ${secret}\n[Peer]\nPublicKey = ${secret}\n`);
    assertNoSecret(symbols.flatMap((s) => [s.name, s.detail]), secret);
    assert.ok(!JSON.stringify(getOptionDoc('wireguard', 'PrivateKey')).includes(secret));
  });
});
