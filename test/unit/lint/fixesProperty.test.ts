// Property: applying any fix changes only the lines it targets. Every other byte — line endings
// (LF/CRLF), a BOM, tabs, comments, secrets — stays identical.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyEdits, fixAllEdits, lint, type Finding, type LanguageId } from '../../../src/core/lint';
import { PRIV, PUB, PUB2 } from './lintTestHelpers';

const ws = fc.constantFrom('', ' ', '\t', '  ', ' \t');
const eol = fc.constantFrom('\n', '\r\n');

const wgLine = fc.oneof(
  fc.constantFrom('[Interface]', '[Peer]', '[peer]', '# a comment', '', '; old comment'),
  fc.tuple(
    fc.constantFrom('PrivateKey', 'PublicKey', 'Endpoint', 'AllowedIPs', 'PersistentKeepalive', 'ListenPort', 'DNS', 'Address', 'persistentkeepalive', 'Frobnicate', 'MTU'),
    fc.constantFrom(PRIV, PUB, PUB2, '203.0.113.1:51820', '2001:db8::1:51820', '10.0.0.1/24', '10.0.0.0/8,', '25', '45', 'off', '70000', '', 'x', '1420'),
    ws, ws,
  ).map(([k, v, a, b]) => `${a}${k}${b}=${b}${v}`),
);

const ovpnLine = fc.oneof(
  fc.constantFrom('client', 'dev tun', 'proto udp', 'proto tcp', 'remote 198.51.100.1 1194', 'remote [2001:db8::1] 1194', 'keepalive 10 15',
    'keepalive 10 60', 'Keepalive 10 60', 'ping-restart 30', 'ping-exit 20', 'ncp-disable', 'ns-cert-type server', 'comp-lzo', 'fragment 1300',
    'explicit-exit-notify', 'resolv-retry forever', 'client-cert-not-required', 'mtu-dynamic 1400', '# comment', '; comment', '', 'server 10.8.0.0 255.255.255.0',
    '<ca>', '</ca>', 'cipher AES-256-CBC', 'mssfix 1450', 'mssfix', 'mssfix 0', 'tun-mtu 1500', 'dev tap'),
  fc.tuple(ws, fc.constantFrom('verb 3', 'persist-tun')).map(([a, l]) => `${a}${l}`),
);

const ipsecLine = fc.oneof(
  fc.constantFrom('config setup', 'conn office', 'conn %default', '# c', ''),
  fc.tuple(fc.constantFrom('\t', '  '), fc.constantFrom('nat_traversal=yes', 'keep_alive=20s', 'forceencaps=yes', 'dpdaction=none', 'dpddelay=0', 'auto=start', 'right=203.0.113.5', 'dpdaction=restart', 'mobike=yes', 'nat-traversal=yes', 'keep-alive=20'))
    .map(([a, l]) => `${a}${l}`),
);

function file(lines: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(fc.array(lines, { maxLength: 24 }), eol, fc.boolean(), fc.boolean()).map(([ls, e, bom, trailing]) => {
    const body = ls.join(e) + (trailing ? e : '');
    return (bom ? '\uFEFF' : '') + body;
  });
}

/** The lines a fix may touch: its edits' lines, and the line after a deletion that joins them. */
function checkFixIsLocal(text: string, f: Finding): void {
  const fix = f.fix;
  if (!fix) return;
  const after = applyEdits(text, fix.edits);
  const bom = text.startsWith('\uFEFF');
  assert.equal(after.startsWith('\uFEFF'), bom, 'the BOM is kept');
  const split = (s: string): string[] => (bom ? s.slice(1) : s).split(/(?<=\n)/);
  const before = split(text);
  const result = split(after);
  const first = Math.min(...fix.edits.map((e) => e.line)) - 1;
  const last = Math.max(...fix.edits.map((e) => e.endLine)) - 1;
  // Everything above the first edited line is byte-identical…
  assert.deepEqual(result.slice(0, first), before.slice(0, first), `${f.ruleId}: lines above the fix changed`);
  // …and so is everything below the last edited line, counted from the end.
  const tailCount = before.length - (last + 1);
  if (tailCount > 0) assert.deepEqual(result.slice(result.length - tailCount), before.slice(before.length - tailCount), `${f.ruleId}: lines below the fix changed`);
  // New lines use the file's line ending.
  const inserted = fix.edits.map((e) => e.text).join('');
  if (text.includes('\r\n')) assert.ok(!/(?<!\r)\n/.test(inserted), `${f.ruleId}: inserted a bare LF into a CRLF file`);
}

const LANGS: { language: LanguageId; gen: fc.Arbitrary<string>; fileName: string }[] = [
  { language: 'wireguard', gen: file(wgLine), fileName: 'wg0.conf' },
  { language: 'openvpn', gen: file(ovpnLine), fileName: 'client.ovpn' },
  { language: 'strongswan', gen: file(ipsecLine), fileName: 'ipsec.conf' },
  { language: 'libreswan', gen: file(ipsecLine), fileName: 'ipsec.conf' },
];

describe('every fix edits only its target lines', () => {
  for (const { language, gen, fileName } of LANGS) {
    it(`${language}: fixes keep all other bytes identical (CRLF, BOM, tabs)`, () => {
      let fixesChecked = 0;
      let mtuFixes = 0;
      fc.assert(
        fc.property(gen, fc.option(fc.integer({ min: 4, max: 300 }), { nil: undefined }), fc.option(fc.tuple(fc.integer({ min: 1280, max: 1500 }), fc.boolean()), { nil: undefined }), (text, life, path) => {
          const measured = {
            ...(life === undefined ? {} : { bindingLifetimeSec: life }),
            ...(path === undefined ? {} : { pathMtu: { bytes: path[0], blackHole: path[1], family: 'IPv4' as const } }),
          };
          const findings = lint(text, { language, fileName, measured });
          for (const f of findings) {
            if (!f.fix) continue;
            fixesChecked++;
            if (f.ruleId.endsWith('/mtu-too-large')) mtuFixes++;
            checkFixIsLocal(text, f);
          }
          // Fix-all never produces overlapping edits (applyEdits throws on overlap) and keeps the BOM.
          const all = applyEdits(text, fixAllEdits(findings));
          assert.equal(all.startsWith('\uFEFF'), text.startsWith('\uFEFF'));
        }),
        { numRuns: 400, seed: 20261124 },
      );
      assert.ok(fixesChecked > 50, `only ${fixesChecked} fixes were exercised`);
      if (language === 'wireguard' || language === 'openvpn') assert.ok(mtuFixes > 0, `no MTU fix was exercised`);
    });
  }
});
