// wireguard/mtu-too-large and openvpn/mtu-too-large: what a measured path MTU flags, where, with
// which fix — and that every fix, applied, settles the finding.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyEdits, lint, type Finding, type MeasuredNat } from '../../../src/core/lint';
import { PRIV, PUB, run, summary } from './lintTestHelpers';

const path = (bytes: number, blackHole: boolean, family: 'IPv4' | 'IPv6' = 'IPv4'): MeasuredNat => ({ pathMtu: { bytes, blackHole, family } });
const BLACK_HOLE_1400 = path(1400, true);
const ICMP_WORKS_1400 = path(1400, false);

const only = (findings: Finding[], rule: string): Finding[] => findings.filter((f) => f.ruleId === rule);

/** Applies every fix of `rule`, lints again and returns that rule's findings (none, for a fix that settles it). */
function afterFix(language: 'wireguard' | 'openvpn', text: string, measured: MeasuredNat, rule: string): { text: string; again: Finding[] } {
  const fixed = applyEdits(text, only(run(language, text, measured), rule).flatMap((f) => f.fix?.edits ?? []));
  return { text: fixed, again: only(run(language, fixed, measured), rule) };
}

describe('wireguard/mtu-too-large', () => {
  const RULE = 'wireguard/mtu-too-large';
  const conf = (iface: string, endpoint = 'vpn.example.org:51820'): string =>
    `[Interface]\nPrivateKey = ${PRIV}\n${iface}\n[Peer]\nPublicKey = ${PUB}\nAllowedIPs = 10.0.0.0/24\nEndpoint = ${endpoint}\nPersistentKeepalive = 25\n`;

  const cases: Array<{ name: string; text: string; measured: MeasuredNat; expect: string[]; fixed?: string }> = [
    { name: 'an MTU too large for a black-hole path is a warning, fixed to path − 60', text: conf('Address = 10.0.0.2/32\nMTU = 1420\n'), measured: BLACK_HOLE_1400, expect: ['warning wireguard/mtu-too-large@4'], fixed: 'MTU = 1340' },
    { name: 'where ICMP works it is only fragmentation: info', text: conf('Address = 10.0.0.2/32\nMTU = 1420\n'), measured: ICMP_WORKS_1400, expect: ['info wireguard/mtu-too-large@4'], fixed: 'MTU = 1340' },
    { name: 'an MTU that fits is fine', text: conf('Address = 10.0.0.2/32\nMTU = 1340\n'), measured: BLACK_HOLE_1400, expect: [] },
    { name: 'an IPv6 endpoint carries 20 more bytes of header: path − 80', text: conf('Address = 10.0.0.2/32\nMTU = 1340\n', '[2001:db8::1]:51820'), measured: BLACK_HOLE_1400, expect: ['warning wireguard/mtu-too-large@4'], fixed: 'MTU = 1320' },
    { name: 'an IPv4 endpoint wins over a path measured over IPv6', text: conf('Address = 10.0.0.2/32\nMTU = 1340\n', '198.51.100.1:51820'), measured: path(1400, true, 'IPv6'), expect: [] },
    { name: 'a host-name endpoint takes the measured family', text: conf('Address = 10.0.0.2/32\nMTU = 1340\n'), measured: path(1400, true, 'IPv6'), expect: ['warning wireguard/mtu-too-large@4'], fixed: 'MTU = 1320' },
    { name: 'a missing MTU on a black-hole path is flagged on [Interface] and inserted after its last line', text: conf('Address = 10.0.0.2/32\n'), measured: BLACK_HOLE_1400, expect: ['warning wireguard/mtu-too-large@1'], fixed: 'Address = 10.0.0.2/32\nMTU = 1340\n' },
    { name: 'a missing MTU where ICMP works is left to path-MTU discovery', text: conf('Address = 10.0.0.2/32\n'), measured: ICMP_WORKS_1400, expect: [] },
    { name: 'a missing MTU where wg-quick\'s 1420 fits is fine, black hole or not', text: conf('Address = 10.0.0.2/32\n'), measured: path(1480, true), expect: [] },
    { name: 'a wg setconf file (no Address) is not offered an MTU it cannot hold', text: conf(''), measured: BLACK_HOLE_1400, expect: [] },
    { name: 'an invalid MTU is reported once, as invalid', text: conf('Address = 10.0.0.2/32\nMTU = auto\n'), measured: BLACK_HOLE_1400, expect: ['error wireguard/invalid-value@4'] },
    { name: 'without a measured path nothing is said', text: conf('Address = 10.0.0.2/32\nMTU = 1500\n'), measured: { bindingLifetimeSec: 60 }, expect: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const findings = run('wireguard', c.text, c.measured).filter((f) => f.ruleId === RULE || f.ruleId === 'wireguard/invalid-value');
      assert.deepEqual(summary(findings), c.expect);
      if (c.fixed) {
        const { text, again } = afterFix('wireguard', c.text, c.measured, RULE);
        assert.ok(text.includes(c.fixed), text);
        assert.deepEqual(again, []);
        assert.equal(findings[0]?.fix?.preferred, true);
      }
    });
  }

  it('the message says what goes on the wire and what the path carries', () => {
    const [f] = only(run('wireguard', conf('Address = 10.0.0.2/32\nMTU = 1420\n'), BLACK_HOLE_1400), RULE);
    assert.match(f?.message ?? '', /MTU = 1420 makes full packets 1480 bytes on the wire \(over IPv4\), but the path carries packets of at most 1400 bytes and drops larger ones .*Use MTU = 1340\./);
  });

  it('the inserted MTU copies the indentation and the CRLF of the [Interface] lines', () => {
    const text = `[Interface]\r\n\tPrivateKey = ${PRIV}\r\n\tAddress = 10.0.0.2/32\r\n\r\n[Peer]\r\n\tPublicKey = ${PUB}\r\n\tEndpoint = vpn.example.org:51820\r\n\tPersistentKeepalive = 25\r\n`;
    const { text: fixed, again } = afterFix('wireguard', text, BLACK_HOLE_1400, RULE);
    assert.equal(fixed, text.replace('\tAddress = 10.0.0.2/32\r\n', '\tAddress = 10.0.0.2/32\r\n\tMTU = 1340\r\n'));
    assert.deepEqual(again, []);
  });

  it('natDoctor.lint.disabledRules turns it off', () => {
    const text = conf('Address = 10.0.0.2/32\n');
    assert.equal(only(lint(text, { language: 'wireguard', measured: BLACK_HOLE_1400 }), RULE).length, 1);
    assert.deepEqual(only(lint(text, { language: 'wireguard', measured: BLACK_HOLE_1400, disabledRules: [RULE] }), RULE), []);
  });
});

describe('openvpn/mtu-too-large', () => {
  const RULE = 'openvpn/mtu-too-large';
  const client = (extra: string, remote = 'vpn.example.org 1194'): string => `client\ndev tun\nproto udp\nremote ${remote}\nkeepalive 10 60\n${extra}`;

  const cases: Array<{ name: string; text: string; measured: MeasuredNat; expect: string[]; fixed?: string }> = [
    { name: 'mssfix without "mtu" counts without the 28 bytes of IPv4 and UDP header: 1450 → 1478 on the wire', text: client('mssfix 1450\n'), measured: BLACK_HOLE_1400, expect: ['warning openvpn/mtu-too-large@6'], fixed: 'mssfix 1400 mtu\n' },
    { name: 'where ICMP works a too-large mssfix is info', text: client('mssfix 1450\n'), measured: ICMP_WORKS_1400, expect: ['info openvpn/mtu-too-large@6'], fixed: 'mssfix 1400 mtu\n' },
    { name: 'mssfix 1372 is exactly 1400 on the wire over IPv4', text: client('mssfix 1372\n'), measured: BLACK_HOLE_1400, expect: [] },
    { name: 'mssfix N mtu counts the whole packet', text: client('mssfix 1400 mtu\n'), measured: BLACK_HOLE_1400, expect: [] },
    { name: 'mssfix N fixed limits the inner packet: the data channel comes on top', text: client('mssfix 1360 fixed\n'), measured: BLACK_HOLE_1400, expect: ['warning openvpn/mtu-too-large@6'], fixed: 'mssfix 1400 mtu\n' },
    { name: 'over an IPv6 remote the headers are 48 bytes: mssfix 1360 → 1408', text: client('mssfix 1360\n', '2001:db8::1 1194'), measured: BLACK_HOLE_1400, expect: ['warning openvpn/mtu-too-large@6'], fixed: 'mssfix 1400 mtu\n' },
    { name: 'the same mssfix over an IPv4 remote fits (1388)', text: client('mssfix 1360\n', '198.51.100.1 1194'), measured: path(1400, true, 'IPv6'), expect: [] },
    { name: 'proto udp6 means IPv6 headers', text: client('mssfix 1360\n').replace('proto udp', 'proto udp6'), measured: BLACK_HOLE_1400, expect: ['warning openvpn/mtu-too-large@6'] },
    { name: 'mssfix 0 on a black-hole path turns the only protection off', text: client('mssfix 0\n'), measured: BLACK_HOLE_1400, expect: ['warning openvpn/mtu-too-large@6'], fixed: 'mssfix 1400 mtu\n' },
    { name: 'mssfix 0 where ICMP works is the user\'s choice', text: client('mssfix 0\n'), measured: ICMP_WORKS_1400, expect: [] },
    { name: 'a bare mssfix takes fragment\'s value (1300 + 28)', text: client('fragment 1300\nmssfix\n'), measured: BLACK_HOLE_1400, expect: [] },
    { name: 'a bare mssfix without fragment is 2.6\'s 1492 mtu', text: client('mssfix\n'), measured: BLACK_HOLE_1400, expect: ['warning openvpn/mtu-too-large@6'], fixed: 'mssfix 1400 mtu\n' },
    { name: 'no mssfix on a black-hole path: 2.6\'s default 1492 does not fit, inserted after remote', text: client(''), measured: BLACK_HOLE_1400, expect: ['warning openvpn/mtu-too-large@4'], fixed: 'remote vpn.example.org 1194\nmssfix 1400 mtu\n' },
    { name: 'no mssfix where ICMP works is left to path-MTU discovery', text: client(''), measured: ICMP_WORKS_1400, expect: [] },
    { name: 'no mssfix on a 1492-byte black hole: the default fits', text: client(''), measured: path(1492, true), expect: [] },
    { name: 'tun-mtu too large on a black hole is flagged; only its value changes', text: client('mssfix 1400 mtu\ntun-mtu 1500 1500\n'), measured: BLACK_HOLE_1400, expect: ['warning openvpn/mtu-too-large@7'], fixed: 'tun-mtu 1340 1500\n' },
    { name: 'tun-mtu too large where ICMP works is OpenVPN\'s own default design: not flagged', text: client('mssfix 1400 mtu\ntun-mtu 1500\n'), measured: ICMP_WORKS_1400, expect: [] },
    { name: 'dev tap carries 14 bytes of Ethernet header too', text: client('mssfix 1400 mtu\ntun-mtu 1340\n').replace('dev tun', 'dev tap'), measured: BLACK_HOLE_1400, expect: ['warning openvpn/mtu-too-large@7'], fixed: 'tun-mtu 1326\n' },
    { name: 'over TCP the path MTU is TCP\'s business', text: client('mssfix 1450\ntun-mtu 1500\n').replace('proto udp', 'proto tcp-client'), measured: BLACK_HOLE_1400, expect: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const findings = only(run('openvpn', c.text, c.measured), RULE);
      assert.deepEqual(summary(findings), c.expect);
      if (c.fixed) {
        const { text, again } = afterFix('openvpn', c.text, c.measured, RULE);
        assert.ok(text.includes(c.fixed), text);
        assert.deepEqual(again, []);
      }
    });
  }

  it('a server without mssfix gets it after its server line', () => {
    const text = 'server 10.8.0.0 255.255.255.0\nproto udp\nport 1194\ndev tun\nkeepalive 10 60\n';
    const { text: fixed } = afterFix('openvpn', text, BLACK_HOLE_1400, RULE);
    assert.equal(fixed, 'server 10.8.0.0 255.255.255.0\nmssfix 1400 mtu\nproto udp\nport 1194\ndev tun\nkeepalive 10 60\n');
  });
});
