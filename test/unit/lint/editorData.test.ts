import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, fixAllEdits, getCompletions, getDocumentSymbols, getHoverTarget, getOptionDoc, getProbeTargets, lint, parseProbeableConfig } from '../../../src/core/lint';
import { PRIV, PUB, PUB2 } from './lintTestHelpers';

const WG = `[Interface]\nPrivateKey = ${PRIV}\nAddress = 10.0.0.2/32\n\n# Office gateway\n[Peer]\nPublicKey = ${PUB}\nEndpoint = 203.0.113.1:51820\n\n[Peer]\nPublicKey = ${PUB2}\nEndpoint = [2001:db8::5]:51821\n`;

describe('editor data for the VS Code adapter', () => {
  it('the outline lists the Interface and each Peer, named by its comment or endpoint', () => {
    const symbols = getDocumentSymbols('wireguard', WG);
    assert.deepEqual(symbols.map((s) => [s.kind, s.name, s.range.line, s.range.endLine]), [
      ['interface', 'Interface', 1, 3],
      ['peer', 'Office gateway', 6, 8],
      ['peer', '[2001:db8::5]:51821', 10, 12],
    ]);
  });
  it('the outline lists each ipsec.conf conn and swanctl connection', () => {
    assert.deepEqual(getDocumentSymbols('strongswan', 'config setup\n\tuniqueids=yes\nconn a\n\tright=203.0.113.5\n', 'ipsec.conf').map((s) => s.name), ['config setup', 'conn a']);
    const sw = getDocumentSymbols('strongswan', 'connections {\n  rw {\n    children {\n      net {\n      }\n    }\n  }\n}\n', 'swanctl.conf');
    assert.equal(sw[0]?.children[0]?.name, 'rw');
    assert.equal(sw[0]?.children[0]?.kind, 'connection');
  });
  it('hovers exist for every WireGuard key and the common OpenVPN options, with man sections', () => {
    for (const key of ['PrivateKey', 'persistentkeepalive', 'Endpoint', 'SaveConfig', 'Table']) assert.ok(getOptionDoc('wireguard', key)?.manSection.startsWith('wg'), key);
    const ka = getOptionDoc('openvpn', 'keepalive');
    assert.match(ka?.summary ?? '', /NAT/);
    assert.ok(getOptionDoc('openvpn', 'tls-exit'), 'known options get a generic hover');
    assert.equal(getOptionDoc('openvpn', 'frobnicate'), undefined);
    assert.ok(getOptionDoc('strongswan', 'dpdaction'));
    assert.ok(getOptionDoc('libreswan', 'encapsulation'));
  });
  it('completion offers the keys of the section the cursor is in', () => {
    const inPeer = getCompletions('wireguard', WG, 8).map((c) => c.label);
    assert.ok(inPeer.includes('PersistentKeepalive') && !inPeer.includes('ListenPort'));
    const inInterface = getCompletions('wireguard', WG, 2).map((c) => c.label);
    assert.ok(inInterface.includes('ListenPort') && !inInterface.includes('Endpoint'));
    const ovpn = getCompletions('openvpn', '', 1);
    assert.equal(ovpn.find((c) => c.label === 'keepalive')?.snippet, 'keepalive ${1:10} ${2:60}');
    assert.ok(ovpn.find((c) => c.label === 'comp-lzo')?.deprecated);
  });
  it('probe targets are the Endpoint and remote lines', () => {
    assert.deepEqual(getProbeTargets(parseProbeableConfig('wireguard', WG)).map((t) => [t.range.line, t.host, t.port, t.protocol]), [[8, '203.0.113.1', 51820, 'wireguard'], [12, '2001:db8::5', 51821, 'wireguard']]);
    const ovpn = 'client\nproto udp\nremote 198.51.100.1 1194\nremote 198.51.100.2 443 tcp\nremote 198.51.100.3\n';
    assert.deepEqual(getProbeTargets(parseProbeableConfig('openvpn', ovpn)).map((t) => [t.range.line, t.host, t.port, t.protocol]), [[3, '198.51.100.1', 1194, 'openvpn'], [4, '198.51.100.2', 443, 'tcp'], [5, '198.51.100.3', 1194, 'openvpn']]);
  });
});

describe('rule settings and fix-all', () => {
  it('disabled rules are dropped', () => {
    const text = 'client\ndev tun\nremote 198.51.100.1 1194\ncomp-lzo\n';
    assert.deepEqual(lint(text, { language: 'openvpn', disabledRules: ['openvpn/missing-keepalive'] }).map((f) => f.ruleId), ['openvpn/deprecated-option']);
  });
  it('fix-all applies every preferred fix at once and leaves a cleaner file', () => {
    const text = `[Interface]\nPrivateKey = ${PRIV}\n[Peer]\nPublicKey = ${PUB}\nEndpoint = 2001:db8::1:51820\nAllowedIPs = 10.0.0.1/24\n; note\n`;
    const findings = lint(text, { language: 'wireguard' });
    const fixed = applyEdits(text, fixAllEdits(findings));
    assert.equal(fixed, `[Interface]\nPrivateKey = ${PRIV}\n[Peer]\nPublicKey = ${PUB}\nEndpoint = [2001:db8::1]:51820\nPersistentKeepalive = 25\nAllowedIPs = 10.0.0.0/24\n# note\n`);
    assert.deepEqual(lint(fixed, { language: 'wireguard' }), []);
  });
  it('a misspelt key gets a "did you mean" fix', () => {
    const text = `[Peer]\nPublicKey = ${PUB}\nPersistantKeepalive = 25\n`;
    const [f] = lint(text, { language: 'wireguard' });
    assert.equal(applyEdits(text, f?.fix?.edits ?? []), `[Peer]\nPublicKey = ${PUB}\nPersistentKeepalive = 25\n`);
  });
});

describe('outline ranges', () => {
  it('an ipsec.conf conn ends at its last indented line', () => {
    const symbols = getDocumentSymbols('libreswan', 'conn a\n\tauto=start\n\n# about b\nconn b\n\tauto=add\n', 'ipsec.conf');
    assert.deepEqual(symbols.map((s) => [s.name, s.range.line, s.range.endLine]), [['conn a', 1, 2], ['conn b', 5, 6]]);
  });
});

describe('hover targets', () => {
  const cases: { language: 'wireguard' | 'openvpn' | 'strongswan'; line: string; column: number; key: string | undefined }[] = [
    { language: 'wireguard', line: 'PersistentKeepalive = 25', column: 3, key: 'PersistentKeepalive' },
    { language: 'wireguard', line: `PrivateKey = ${PRIV}`, column: 20, key: undefined },
    { language: 'openvpn', line: '  --keepalive 10 60', column: 6, key: 'keepalive' },
    { language: 'openvpn', line: '<tls-auth>', column: 3, key: 'tls-auth' },
    { language: 'openvpn', line: 'remote 198.51.100.1 1194', column: 12, key: undefined },
    { language: 'strongswan', line: '\tdpdaction=restart', column: 3, key: 'dpdaction' },
  ];
  for (const c of cases) {
    it(`${c.language}: column ${c.column} of ${JSON.stringify(c.line.slice(0, 30))} → ${c.key ?? 'nothing'}`, () => {
      assert.equal(getHoverTarget(c.language, c.line, c.column)?.key, c.key);
    });
  }
});
