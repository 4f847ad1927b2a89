// Private keys must never appear in a message or a fix title, whatever is wrong around them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getDocumentSymbols, getOptionDoc, lint } from '../../../src/core/lint';

const b64 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('')), minLength: 20, maxLength: 50 });

function assertNoSecret(texts: string[], secret: string): void {
  // Any 16-character run of the secret would be a leak.
  for (const t of texts) {
    for (let i = 0; i + 16 <= secret.length; i++) assert.ok(!t.includes(secret.slice(i, i + 16)), `leaked key material in: ${t}`);
  }
}

describe('secrets never reach messages', () => {
  it('WireGuard private and preshared keys, valid or broken, in any position', () => {
    fc.assert(
      fc.property(b64, fc.constantFrom('PrivateKey', 'PresharedKey', 'privatekey', 'Private Key', 'PrivKey'), fc.constantFrom('[Interface]\n', '[Peer]\n', '', '[Bogus]\n'), fc.constantFrom('=', ' = ', '==', ''), (secret, key, header, sep) => {
          const text = `${header}${key}${sep}${secret}\n; ${secret}\n${secret}\nEndpoint = ${secret}\nAllowedIPs = ${secret}\n`;
          const findings = lint(text, { language: 'wireguard', fileName: 'wg0.conf' });
          assertNoSecret(findings.flatMap((f) => [f.message, f.fix?.title ?? '']), secret);
        }),
      { numRuns: 300, seed: 7 },
    );
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
