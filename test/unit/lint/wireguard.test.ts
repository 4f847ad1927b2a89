import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits } from '../../../src/core/lint';
import { PRIV, PUB, PUB2, run, summary } from './lintTestHelpers';

const peer = (extra: string): string => `[Interface]\nPrivateKey = ${PRIV}\n\n[Peer]\nPublicKey = ${PUB}\nAllowedIPs = 10.0.0.0/24\n${extra}`;

describe('WireGuard rules follow wg\'s own parser (wireguard-tools config.c)', () => {
  const cases: { name: string; text: string; expect: string[] }[] = [
    { name: 'a clean client with keepalive has no findings', text: peer('Endpoint = 203.0.113.1:51820\nPersistentKeepalive = 25\n'), expect: [] },
    { name: 'keys are case-insensitive and whitespace inside values is removed', text: `[INTERFACE]\nprivatekey=${PRIV}\n[ peer ]\npublickey = ${PUB}\npersistentkeepalive = 2 5\n`, expect: [] },
    { name: '"#" starts a comment anywhere, even inside a value', text: peer('PersistentKeepalive = OFF # c\n'), expect: [] },
    { name: 'a ";" comment is rejected', text: peer('; note\n'), expect: ['error wireguard/semicolon-comment@7'] },
    { name: 'an empty value is rejected', text: peer('AllowedIPs =\n'), expect: ['error wireguard/empty-value@7'] },
    { name: 'a key before any section is rejected', text: `ListenPort = 51820\n[Interface]\nPrivateKey = ${PRIV}\n`, expect: ['error wireguard/key-outside-section@1'] },
    { name: 'an unknown section is rejected', text: `[Interface]\nPrivateKey = ${PRIV}\n[Peers]\n`, expect: ['error wireguard/unknown-section@3'] },
    { name: 'an unknown key is rejected', text: peer('Frobnicate = 1\n'), expect: ['error wireguard/unknown-key@7'] },
    { name: 'a wg-quick key under [Peer] is rejected', text: peer('DNS = 192.0.2.53\n'), expect: ['error wireguard/unknown-key@7'] },
    { name: 'wg-quick keys need a header written exactly [Interface]', text: `[ Interface ]\nPrivateKey = ${PRIV}\nAddress = 10.0.0.2/32\n`, expect: ['error wireguard/unknown-key@3'] },
    { name: 'a peer without PublicKey is rejected', text: `[Interface]\nPrivateKey = ${PRIV}\n[Peer]\nAllowedIPs = 10.0.0.0/8\n`, expect: ['error wireguard/missing-public-key@3'] },
    { name: 'a second [Interface] is a warning', text: `[Interface]\nPrivateKey = ${PRIV}\n[Interface]\nListenPort = 1\n`, expect: ['warning wireguard/duplicate-interface@3'] },
    { name: 'a repeated scalar key warns on the ignored one', text: peer('PersistentKeepalive = 25\nPersistentKeepalive = 30\n'), expect: ['warning wireguard/duplicate-key@7'] },
    { name: 'repeated AllowedIPs add up and are fine', text: peer('AllowedIPs = 10.1.0.0/16\n'), expect: [] },
    { name: 'two peers with one PublicKey are merged', text: `${peer('')}[Peer]\nPublicKey = ${PUB}\n`, expect: ['warning wireguard/duplicate-peer@8'] },
    { name: 'a 43-character key is rejected', text: `[Interface]\nPrivateKey = ${PRIV.slice(1)}\n`, expect: ['error wireguard/invalid-key@2'] },
    { name: 'a key whose last character carries extra bits is rejected', text: `[Interface]\nPrivateKey = ${PRIV.slice(0, 42)}l=\n`, expect: ['error wireguard/invalid-key@2'] },
    { name: 'an all-zero private key is a warning', text: '[Interface]\nPrivateKey = AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n', expect: ['warning wireguard/zero-private-key@2'] },
    { name: 'PersistentKeepalive 65536 is rejected', text: peer('PersistentKeepalive = 65536\n'), expect: ['error wireguard/invalid-value@7'] },
    { name: 'PersistentKeepalive -1 is rejected', text: peer('PersistentKeepalive = -1\n'), expect: ['error wireguard/invalid-value@7'] },
    { name: 'PersistentKeepalive 025 is 25', text: peer('PersistentKeepalive = 025\n'), expect: [] },
    { name: 'ListenPort 70000 wraps silently', text: `[Interface]\nPrivateKey = ${PRIV}\nListenPort = 70000\n`, expect: ['warning wireguard/port-wraps@3'] },
    { name: 'ListenPort -1 is rejected', text: `[Interface]\nPrivateKey = ${PRIV}\nListenPort = -1\n`, expect: ['error wireguard/invalid-value@3'] },
    { name: 'ListenPort given as a service name works but is fragile', text: `[Interface]\nPrivateKey = ${PRIV}\nListenPort = ntp\n`, expect: ['warning wireguard/invalid-value@3'] },
    { name: 'FwMark with an uppercase 0X is rejected', text: `[Interface]\nPrivateKey = ${PRIV}\nFwMark = 0X10\n`, expect: ['error wireguard/invalid-value@3'] },
    { name: 'FwMark 0xffffffff is fine', text: `[Interface]\nPrivateKey = ${PRIV}\nFwMark = 0xffffffff\n`, expect: [] },
    { name: 'an endpoint without a port is rejected', text: peer('Endpoint = 203.0.113.1\nPersistentKeepalive = 25\n'), expect: ['error wireguard/invalid-endpoint@7'] },
    { name: 'an unbracketed IPv6 endpoint is a warning', text: peer('Endpoint = 2001:db8::1:51820\nPersistentKeepalive = 25\n'), expect: ['warning wireguard/invalid-endpoint@7'] },
    { name: 'a bracketed IPv6 endpoint is fine', text: peer('Endpoint = [2001:db8::1]:51820\nPersistentKeepalive = 25\n'), expect: [] },
    { name: 'a missing closing bracket is rejected', text: peer('Endpoint = [2001:db8::1:51820\nPersistentKeepalive = 25\n'), expect: ['error wireguard/invalid-endpoint@7'] },
    { name: 'an endpoint port of 70000 wraps', text: peer('Endpoint = 203.0.113.1:70000\nPersistentKeepalive = 25\n'), expect: ['warning wireguard/port-wraps@7'] },
    { name: 'a host name endpoint is resolved once', text: peer('Endpoint = vpn.example.com:51820\nPersistentKeepalive = 25\n'), expect: ['info wireguard/hostname-endpoint@7'] },
    { name: 'an IPv4 endpoint with an octet above 255 is rejected', text: peer('Endpoint = 203.0.113.256:51820\nPersistentKeepalive = 25\n'), expect: ['error wireguard/invalid-endpoint@7'] },
    { name: 'AllowedIPs with host bits set is a warning', text: peer('AllowedIPs = 10.0.0.1/24\n'), expect: ['warning wireguard/allowed-ips-host-bits@7'] },
    { name: 'AllowedIPs with a trailing comma is rejected', text: peer('AllowedIPs = 10.1.0.0/16,\n'), expect: ['error wireguard/invalid-value@7'] },
    { name: 'AllowedIPs with a leading zero octet is rejected', text: peer('AllowedIPs = 010.0.0.0/8\n'), expect: ['error wireguard/invalid-value@7'] },
    { name: 'AllowedIPs /33 is rejected', text: peer('AllowedIPs = 10.0.0.0/33\n'), expect: ['error wireguard/invalid-value@7'] },
    { name: 'AllowedIPs with a +/- prefix needs wireguard-tools 1.0.20250521', text: peer('AllowedIPs = +10.2.0.0/16\n'), expect: ['error wireguard/invalid-value@7'] },
    { name: 'SaveConfig must be true or false', text: `[Interface]\nPrivateKey = ${PRIV}\nSaveConfig = yes\n`, expect: ['error wireguard/invalid-value@3'] },
    { name: 'SaveConfig = TRUE is accepted (nocasematch) and noted', text: `[Interface]\nPrivateKey = ${PRIV}\nSaveConfig = TRUE\n`, expect: ['info wireguard/save-config@3'] },
    { name: 'a bad Address fails wg-quick up', text: `[Interface]\nPrivateKey = ${PRIV}\nAddress = 10.0.0.300/24\n`, expect: ['error wireguard/invalid-value@3'] },
    { name: 'hooks keep "#" and are not checked', text: `[Interface]\nPrivateKey = ${PRIV}\nPostUp = echo "a#b" # c\nDNS =\n`, expect: [] },
    { name: 'MTU must be a number', text: `[Interface]\nPrivateKey = ${PRIV}\nMTU = auto\n`, expect: ['error wireguard/invalid-value@3'] },
    { name: 'a peer with an Endpoint and no keepalive gets advice', text: peer('Endpoint = 203.0.113.1:51820\n'), expect: ['info wireguard/missing-persistent-keepalive@7'] },
    { name: 'a peer without Endpoint needs no keepalive', text: peer(''), expect: [] },
    { name: 'a second peer is checked on its own', text: `${peer('Endpoint = 203.0.113.1:51820\nPersistentKeepalive = 25\n')}[Peer]\nPublicKey = ${PUB2}\nEndpoint = 198.51.100.1:51820\n`, expect: ['info wireguard/missing-persistent-keepalive@11'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(summary(run('wireguard', c.text)), c.expect));
  }
});

describe('WireGuard keepalive advice uses the measured NAT', () => {
  it('without a measurement the fix inserts PersistentKeepalive = 25 after Endpoint', () => {
    const text = peer('Endpoint = 203.0.113.1:51820\n');
    const [f] = run('wireguard', text);
    assert.ok(f?.fix);
    assert.equal(applyEdits(text, f.fix.edits), peer('Endpoint = 203.0.113.1:51820\nPersistentKeepalive = 25\n'));
  });
  it('a 30 s lifetime gives N = 15, a warning, and names the NAT', () => {
    const text = peer('Endpoint = 203.0.113.1:51820\n');
    const [f] = run('wireguard', text, { bindingLifetimeSec: 30, natType: 'symmetric' });
    assert.equal(f?.severity, 'warning');
    assert.match(f?.message ?? '', /your NAT \(symmetric\) drops idle UDP mappings after ~30 s/);
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), peer('Endpoint = 203.0.113.1:51820\nPersistentKeepalive = 15\n'));
  });
  it('a 120 s lifetime still caps N at 25', () => {
    const [f] = run('wireguard', peer('Endpoint = 203.0.113.1:51820\n'), { bindingLifetimeSec: 120 });
    assert.match(f?.fix?.title ?? '', /= 25$/);
  });
  it('a keepalive longer than the measured lifetime is flagged and fixed', () => {
    const text = peer('Endpoint = 203.0.113.1:51820\nPersistentKeepalive = 45\n');
    const [f] = run('wireguard', text, { bindingLifetimeSec: 40 });
    assert.equal(f?.ruleId, 'wireguard/keepalive-exceeds-nat-lifetime');
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), peer('Endpoint = 203.0.113.1:51820\nPersistentKeepalive = 20\n'));
  });
  it('a keepalive shorter than the lifetime is fine', () => {
    assert.deepEqual(run('wireguard', peer('Endpoint = 203.0.113.1:51820\nPersistentKeepalive = 25\n'), { bindingLifetimeSec: 60 }), []);
  });
  it('an explicit "off" is respected until a diagnosis finds a NAT', () => {
    const text = peer('Endpoint = 203.0.113.1:51820\nPersistentKeepalive = off\n');
    assert.deepEqual(run('wireguard', text), []);
    assert.deepEqual(summary(run('wireguard', text, { natType: 'port-restricted-cone' })), ['warning wireguard/missing-persistent-keepalive@8']);
  });
  it('the inserted line copies the Endpoint line\'s indentation and CRLF', () => {
    const text = `[Peer]\r\n\tPublicKey = ${PUB}\r\n\tEndpoint = 203.0.113.1:51820\r\n`;
    const [f] = run('wireguard', text);
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), `[Peer]\r\n\tPublicKey = ${PUB}\r\n\tEndpoint = 203.0.113.1:51820\r\n\tPersistentKeepalive = 25\r\n`);
  });
  it('an Endpoint on the last line without a newline still gets a clean insertion', () => {
    const text = `[Peer]\nPublicKey = ${PUB}\nEndpoint = 203.0.113.1:51820`;
    const [f] = run('wireguard', text);
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), `${text}\nPersistentKeepalive = 25`);
  });
});

describe('WireGuard positions', () => {
  it('ranges are 1-based with an exclusive end, and skip a BOM', () => {
    const findings = run('wireguard', `\uFEFF[Interface]\nPrivateKey = ${PRIV}\nListenPort = 70000\n`);
    assert.deepEqual(summary(findings), ['error wireguard/byte-order-mark@1', 'warning wireguard/port-wraps@3']);
    const f = findings[1];
    assert.deepEqual([f?.line, f?.column, f?.endLine, f?.endColumn], [3, 14, 3, 19]);
  });
});
