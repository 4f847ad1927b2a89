import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../../src/core/lint';
import { lexLine } from '../../../src/core/config/openvpn/lexer';
import { run, summary } from './lintTestHelpers';

const CLIENT = 'client\ndev tun\nproto udp\nremote 198.51.100.1 1194\nkeepalive 10 60\n';

describe('OpenVPN lexer follows options.c parse_line', () => {
  const cases: { line: string; tokens: string[] | string }[] = [
    { line: 'remote host 1194 # x', tokens: ['remote', 'host', '1194'] },
    { line: 'remote host#1 1194', tokens: ['remote', 'host#1', '1194'] },
    { line: '  --verb 3   ; x', tokens: ['--verb', '3'] },
    { line: 'push "route 10.0.0.0 255.0.0.0"', tokens: ['push', 'route 10.0.0.0 255.0.0.0'] },
    { line: "setenv X 'a\\b'", tokens: ['setenv', 'X', 'a\\b'] },
    { line: 'up "a\\"b"', tokens: ['up', 'a"b'] },
    { line: 'cd a\\ b', tokens: ['cd', 'a b'] },
    { line: 'cd c:\\dir', tokens: 'bad-backslash' },
    { line: 'push "route', tokens: 'unterminated-quote' },
    { line: '; all comment', tokens: [] },
    { line: 'setenv FOO a\\', tokens: ['setenv', 'FOO', 'a'] },
    { line: '"keepalive" 10\t60', tokens: ['keepalive', '10', '60'] },
  ];
  for (const c of cases) {
    it(`lexes ${JSON.stringify(c.line)}`, () => {
      const r = lexLine(c.line, 1);
      if (typeof c.tokens === 'string') assert.equal(r.ok ? 'ok' : r.kind, c.tokens);
      else assert.deepEqual(r.ok ? r.tokens.map((t) => t.value) : r.kind, c.tokens);
    });
  }
  it('token ranges point at the source text', () => {
    const r = lexLine('remote  "my host" 1194', 4);
    assert.ok(r.ok);
    assert.deepEqual(r.tokens.map((t) => [t.range.column, t.range.endColumn]), [[1, 7], [9, 18], [19, 23]]);
  });
});

describe('OpenVPN rules follow what OpenVPN 2.6.14 accepts', () => {
  const cases: { name: string; text: string; expect: string[] }[] = [
    { name: 'a clean UDP client has no findings', text: CLIENT, expect: [] },
    { name: 'option names are case-sensitive', text: CLIENT.replace('keepalive', 'Keepalive'), expect: ['error openvpn/option-case@5'] },
    { name: 'a leading "--" is accepted', text: CLIENT.replace('keepalive', '--keepalive'), expect: [] },
    { name: 'an unknown option is fatal', text: `${CLIENT}frobnicate\n`, expect: ['error openvpn/unknown-option@6'] },
    { name: 'ignore-unknown-option downgrades it to nothing', text: `${CLIENT}ignore-unknown-option frobnicate\nfrobnicate\n`, expect: [] },
    { name: 'a Windows-only option is a warning', text: `${CLIENT}block-outside-dns\n`, expect: ['warning openvpn/windows-only-option@6'] },
    { name: 'setenv opt hides an unknown option', text: `${CLIENT}setenv opt block-outside-dns\n`, expect: [] },
    { name: 'a removed option is fatal', text: `${CLIENT}ncp-disable\n`, expect: ['error openvpn/removed-option@6'] },
    { name: 'client-cert-not-required is removed', text: `${CLIENT}client-cert-not-required\n`, expect: ['error openvpn/removed-option@6'] },
    { name: 'a deprecated option is a warning', text: `${CLIENT}comp-lzo\n`, expect: ['warning openvpn/deprecated-option@6'] },
    { name: 'keepalive with a restart under twice the ping is fatal', text: CLIENT.replace('keepalive 10 60', 'keepalive 10 15'), expect: ['error openvpn/invalid-keepalive@5'] },
    { name: 'keepalive with a zero parameter is fatal', text: CLIENT.replace('keepalive 10 60', 'keepalive 0 60'), expect: ['error openvpn/invalid-keepalive@5'] },
    { name: 'keepalive 0 0 is accepted (and means no keepalive)', text: CLIENT.replace('keepalive 10 60', 'keepalive 0 0'), expect: [] },
    { name: 'keepalive with three parameters is fatal', text: CLIENT.replace('keepalive 10 60', 'keepalive 10 60 5'), expect: ['error openvpn/wrong-argument-count@5'] },
    { name: 'keepalive with ping-restart is fatal', text: `${CLIENT}ping-restart 30\n`, expect: ['error openvpn/keepalive-conflict@5'] },
    { name: 'keepalive with "ping 0" is accepted', text: `${CLIENT}ping 0\n`, expect: [] },
    { name: 'ping-exit with ping-restart: the last one wins', text: 'client\ndev tun\nremote 198.51.100.1 1194\nping 10\nping-exit 30\nping-restart 60\n', expect: ['warning openvpn/ping-exit-restart-conflict@5'] },
    { name: 'fragment with proto tcp is fatal', text: 'client\ndev tun\nproto tcp\nremote 198.51.100.1 443\nfragment 1300\n', expect: ['error openvpn/fragment-with-tcp@5'] },
    { name: 'fragment with a TCP remote is fatal', text: `${CLIENT}remote 198.51.100.2 443 tcp\nfragment 1300\n`, expect: ['error openvpn/fragment-with-tcp@7'] },
    { name: 'explicit-exit-notify over TCP is ignored', text: 'client\ndev tun\nproto tcp-client\nremote 198.51.100.1 443\nexplicit-exit-notify\n', expect: ['warning openvpn/explicit-exit-notify-tcp@5'] },
    { name: 'a UDP client without keepalive gets advice', text: 'client\ndev tun\nremote 198.51.100.1 1194\n', expect: ['info openvpn/missing-keepalive@3'] },
    { name: 'a TCP client needs no keepalive advice', text: 'client\ndev tun\nproto tcp\nremote 198.51.100.1 443\n', expect: [] },
    { name: 'a UDP server without keepalive is a warning', text: 'port 1194\nproto udp\ndev tun\nserver 10.8.0.0 255.255.255.0\n', expect: ['warning openvpn/missing-keepalive@4'] },
    { name: 'remote with [brackets] fails to resolve', text: CLIENT.replace('198.51.100.1', '[2001:db8::1]'), expect: ['error openvpn/invalid-remote@4'] },
    { name: 'remote with a bad protocol is fatal', text: CLIENT.replace('1194', '1194 udp7'), expect: ['error openvpn/invalid-value@4'] },
    { name: 'a port above 65535 wraps', text: CLIENT.replace('1194', '70000'), expect: ['warning openvpn/port-wraps@4'] },
    { name: 'resolv-retry forever is silently 0', text: `${CLIENT}resolv-retry forever\n`, expect: ['warning openvpn/invalid-value@6'] },
    { name: 'a cipher outside data-ciphers is ignored', text: `${CLIENT}cipher AES-256-CBC\n`, expect: ['warning openvpn/cipher-ignored@6'] },
    { name: 'a cipher inside data-ciphers is fine', text: `${CLIENT}data-ciphers AES-256-GCM:AES-256-CBC\ncipher AES-256-CBC\n`, expect: [] },
    { name: 'in peer-to-peer mode OpenVPN 2.6 uses --cipher: no cipher-ignored', text: 'dev tun\nremote 198.51.100.1 1194\nifconfig 10.8.0.1 10.8.0.2\ntls-client\nkeepalive 10 60\ncipher AES-256-CBC\n', expect: [] },
    { name: 'a server negotiates, so cipher outside data-ciphers is ignored there too', text: 'server 10.8.0.0 255.255.255.0\ndev tun\nkeepalive 10 60\ncipher BF-CBC\n', expect: ['warning openvpn/cipher-ignored@4'] },
    { name: 'a remote whose third parameter is not a protocol falls back to proto tcp-client', text: 'client\ndev tun\nproto tcp-client\nremote vpn.example.net tcp-client 443\n', expect: ['info openvpn/invalid-value@4', 'error openvpn/invalid-value@4'] },
    { name: 'a tcp-client config is never called UDP', text: 'client\ndev tun\nproto tcp-client\nremote vpn.example.net 443 udp7\nfragment 1300\n', expect: ['error openvpn/invalid-value@4', 'error openvpn/fragment-with-tcp@5'] },
    { name: 'a remote in a <connection> block takes that block\'s proto', text: 'client\ndev tun\n<connection>\nremote 198.51.100.1 443\nproto tcp-client\n</connection>\nexplicit-exit-notify\n', expect: ['warning openvpn/explicit-exit-notify-tcp@7'] },
    { name: 'lport with nobind is fatal', text: `${CLIENT}nobind\nlport 1194\n`, expect: ['error openvpn/nobind-conflict@7'] },
    { name: 'an unclosed inline block is fatal', text: `${CLIENT}<ca>\nMIIB\n`, expect: ['error openvpn/missing-end-tag@6'] },
    { name: 'an unknown inline block is fatal', text: `${CLIENT}<foo>\nx\n</foo>\n`, expect: ['error openvpn/invalid-inline-tag@6'] },
    { name: 'inline blocks may hold anything, including "#" lines and long lines', text: `${CLIENT}<ca>\n# x\n${'A'.repeat(300)}\n</ca>\n`, expect: [] },
    { name: 'a line of 255 bytes is too long', text: `${CLIENT}setenv XY ${'a'.repeat(245)}\n`, expect: ['error openvpn/line-too-long@6'] },
    { name: 'a line of 254 bytes is fine', text: `${CLIENT}setenv XY ${'a'.repeat(244)}\n`, expect: [] },
    { name: 'a CRLF line of 254 bytes plus \\r is too long', text: `${CLIENT}setenv XY ${'a'.repeat(244)}\r\n`, expect: ['error openvpn/line-too-long@6'] },
    { name: 'a one-character setenv name crashes OpenVPN 2.6', text: `${CLIENT}setenv X 1\n`, expect: ['error openvpn/invalid-value@6'] },
    { name: 'parameters from a fixed list are case-sensitive', text: `${CLIENT}comp-lzo YES\n`, expect: ['warning openvpn/deprecated-option@6', 'error openvpn/invalid-value@6'] },
    { name: 'the second parameter of mssfix is checked', text: `${CLIENT}mssfix 1300 x\n`, expect: ['error openvpn/invalid-value@6'] },
    { name: 'tls-version-min takes a TLS version', text: `${CLIENT}tls-version-min 1.4\n`, expect: ['error openvpn/invalid-value@6'] },
    { name: 'a wrong parameter count is measured per option', text: `${CLIENT}client-nat snat 192.0.2.0 255.255.255.0\n`, expect: ['error openvpn/wrong-argument-count@6'] },
    { name: 'an inline tls-auth without key-direction gets advice', text: `${CLIENT}<tls-auth>\nk\n</tls-auth>\n`, expect: ['info openvpn/tls-auth-direction@6'] },
    { name: 'an inline tls-auth with key-direction is fine', text: `${CLIENT}key-direction 1\n<tls-auth>\nk\n</tls-auth>\n`, expect: [] },
    { name: 'connection blocks are read as options', text: 'client\ndev tun\nkeepalive 10 60\n<connection>\nremote 198.51.100.1 1194\nfrobnicate\n</connection>\n', expect: ['error openvpn/unknown-option@6'] },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(summary(run('openvpn', c.text)), c.expect));
});

describe('OpenVPN fixes', () => {
  it('missing keepalive inserts "keepalive 10 60" after the remote line', () => {
    const text = 'client\ndev tun\nremote 198.51.100.1 1194\nverb 3\n';
    const [f] = run('openvpn', text);
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), 'client\ndev tun\nremote 198.51.100.1 1194\nkeepalive 10 60\nverb 3\n');
  });
  it('with a measured 12 s lifetime the message names it and the fix pings every 6 s, restarting after 60 s', () => {
    const text = 'client\ndev tun\nremote 198.51.100.1 1194\n';
    const [f] = run('openvpn', text, { bindingLifetimeSec: 12 });
    assert.equal(f?.severity, 'warning');
    assert.match(f?.message ?? '', /~12 s/);
    // The restart is a dead-peer timer, not tied to the NAT: OpenVPN's 60 s (tunnelAdvice.ts).
    assert.match(applyEdits(text, f?.fix?.edits ?? []), /\nkeepalive 6 60\n/);
  });
  it('a keepalive ping longer than the measured lifetime is flagged', () => {
    const [f] = run('openvpn', CLIENT, { bindingLifetimeSec: 8 });
    assert.equal(f?.ruleId, 'openvpn/keepalive-exceeds-nat-lifetime');
  });
  it('the case fix lowercases only the name', () => {
    const text = CLIENT.replace('keepalive', 'KeepAlive');
    const [f] = run('openvpn', text);
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), CLIENT);
  });
  it('ns-cert-type server becomes remote-cert-tls server', () => {
    const text = `${CLIENT}ns-cert-type server\n`;
    const [f] = run('openvpn', text);
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), `${CLIENT}remote-cert-tls server\n`);
  });
  it('the keepalive-ratio fix writes the recommended setting', () => {
    const text = CLIENT.replace('keepalive 10 60', 'keepalive 10 15');
    const [f] = run('openvpn', text);
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), CLIENT);
  });
});
