// One voice for advice: for one network, the report's keepalive recommendation and the editor's
// quick fixes name the same numbers, and a quick fix never draws a keepalive finding again.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { keepaliveAdvice, measuredFromReport, measuredFromReports, OPENVPN_KEEPALIVE_DEFAULT } from '../../../src/core/advice/tunnelAdvice';
import { applyEdits, lint, type Finding, type MeasuredNat } from '../../../src/core/lint';
import { recommend } from '../../../src/core/report/recommendations';
import type { BindingLifetime, Report } from '../../../src/core/report/types';

const PRIV = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const PUB = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const WIREGUARD = `[Interface]\nPrivateKey = ${PRIV}\n\n[Peer]\nPublicKey = ${PUB}\nAllowedIPs = 10.0.0.0/24\nEndpoint = 203.0.113.1:51820\n`;
const OPENVPN = 'client\ndev tun\nremote 198.51.100.1 1194\n';

function report(bindingLifetime: BindingLifetime | null): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'nat-doctor', version: 'test' },
    startedAt: '2026-11-24T00:00:00.000Z',
    durationMs: 1,
    servers: [{ server: '203.0.113.10:3478', address: '203.0.113.10', rttMs: 1, rfc5780: true }],
    publicAddress: { address: '203.0.113.1', port: 40000 },
    nat: { udp: 'ok', mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', type: 'port-restricted-cone', portPreservation: true, hairpinning: null, alg: false },
    cgnat: { verdict: 'no', confidence: 0.9, evidence: [] },
    portMapping: { upnp: { available: false }, natPmp: { available: false }, pcp: { available: false } },
    bindingLifetime,
    probes: [],
    recommendations: [],
  };
}

/** The lifetimes to try: every second from 1 to 400, a lifetime longer than the search, none. */
const LIFETIMES: Array<{ name: string; lifetime: BindingLifetime | null }> = [
  ...Array.from({ length: 400 }, (_, i) => ({ name: `${i + 1} s`, lifetime: { seconds: i + 1, lowerSec: Math.max(0, i - 2), upperSec: i + 3 } })),
  { name: 'at least 1200 s', lifetime: { seconds: null, lowerSec: 1200, upperSec: 1200 } },
  { name: 'not measured', lifetime: null },
];

const KEEPALIVE_RULES = /keepalive|ping-without-restart/;

function onlyFix(findings: Finding[], ruleId: string): string {
  const f = findings.find((x) => x.ruleId === ruleId);
  assert.ok(f?.fix, `${ruleId} with a fix in ${JSON.stringify(findings.map((x) => x.ruleId))}`);
  return f.fix.edits.map((e) => e.text).join('');
}

describe('keepalive advice speaks with one voice', () => {
  for (const { name, lifetime } of LIFETIMES) {
    it(`lifetime ${name}: the recommendation and the WireGuard and OpenVPN quick fixes name the same numbers`, () => {
      const r = report(lifetime);
      const message = recommend(r).find((x) => x.id === 'keepalive')?.message ?? '';
      const wgRecommended = /PersistentKeepalive = (\d+)/.exec(message)?.[1];
      const ovpnRecommended = /keepalive (\d+) (\d+) \(OpenVPN\)/.exec(message);
      assert.ok(wgRecommended && ovpnRecommended, message);

      // The editor lints with what measuredFromReports takes from the saved reports.
      const measured: MeasuredNat | undefined = measuredFromReports([r]);
      const lintWith = (language: 'wireguard' | 'openvpn', text: string): Finding[] =>
        lint(text, measured ? { language, fileName: 'wg0.conf', measured } : { language, fileName: 'wg0.conf' });

      const wgFindings = lintWith('wireguard', WIREGUARD);
      const wgFix = onlyFix(wgFindings, 'wireguard/missing-persistent-keepalive');
      assert.equal(/PersistentKeepalive = (\d+)/.exec(wgFix)?.[1], wgRecommended, `${wgFix} vs ${message}`);
      assert.match(wgFindings.find((x) => x.ruleId === 'wireguard/missing-persistent-keepalive')?.message ?? '', new RegExp(`PersistentKeepalive = ${wgRecommended}\\.`));

      const ovpnFindings = lintWith('openvpn', OPENVPN);
      const ovpnFix = onlyFix(ovpnFindings, 'openvpn/missing-keepalive');
      const fixed = /keepalive (\d+) (\d+)/.exec(ovpnFix);
      assert.deepEqual([fixed?.[1], fixed?.[2]], [ovpnRecommended[1], ovpnRecommended[2]], `${ovpnFix} vs ${message}`);

      // Applying the fix settles it: no keepalive finding of any kind comes back.
      const wgAfter = lintWith('wireguard', applyEdits(WIREGUARD, wgFindings.flatMap((f) => f.fix?.edits ?? [])));
      assert.deepEqual(wgAfter.filter((f) => KEEPALIVE_RULES.test(f.ruleId)).map((f) => f.ruleId), []);
      const ovpnAfter = lintWith('openvpn', applyEdits(OPENVPN, ovpnFindings.flatMap((f) => f.fix?.edits ?? [])));
      assert.deepEqual(ovpnAfter.filter((f) => KEEPALIVE_RULES.test(f.ruleId)).map((f) => f.ruleId), []);
    });
  }

  it('the numbers keep a mapping alive and keep the tools happy', () => {
    for (const { name, lifetime } of LIFETIMES) {
      const a = keepaliveAdvice(measuredFromReport(report(lifetime)));
      const life = lifetime?.seconds ?? undefined;
      for (const interval of [a.wireguard.persistentKeepalive, a.openvpn.ping, a.ipsec.natKeepaliveSec]) {
        assert.ok(Number.isInteger(interval) && interval >= 1, `${name}: ${interval}`);
        // Half the lifetime: one lost keepalive still leaves the next one inside it.
        if (life !== undefined && life >= 2) assert.ok(interval * 2 <= life, `${name}: ${interval}`);
      }
      assert.ok(a.wireguard.persistentKeepalive <= 25 && a.openvpn.ping <= 10 && a.ipsec.natKeepaliveSec <= 20, name);
      // helper.c: the restart must be at least twice the ping; it is the dead-peer timer, unchanged by the NAT.
      assert.equal(a.openvpn.restart, OPENVPN_KEEPALIVE_DEFAULT.restart, name);
      assert.ok(a.openvpn.restart >= 2 * a.openvpn.ping, name);
    }
  });

  it('a measured 10 s lifetime: PersistentKeepalive = 5 and keepalive 5 60 everywhere', () => {
    const r = report({ seconds: 10, lowerSec: 5, upperSec: 15 });
    const message = recommend(r).find((x) => x.id === 'keepalive')?.message ?? '';
    assert.match(message, /PersistentKeepalive = 5 \(WireGuard\), keepalive 5 60 \(OpenVPN\), or a NAT-T keepalive of 5 s \(IPsec/);
    const fix = onlyFix(lint(OPENVPN, { language: 'openvpn', measured: measuredFromReport(r) }), 'openvpn/missing-keepalive');
    assert.equal(fix, 'keepalive 5 60\n');
  });

  it('a keepalive already at the advised interval is never called too short or too long', () => {
    const wg = (n: number, measured: MeasuredNat): string[] =>
      lint(WIREGUARD.replace('Endpoint = 203.0.113.1:51820\n', `Endpoint = 203.0.113.1:51820\nPersistentKeepalive = ${n}\n`), { language: 'wireguard', measured })
        .map((f) => f.ruleId).filter((id) => KEEPALIVE_RULES.test(id));
    assert.deepEqual(wg(4, { bindingLifetimeSec: 9 }), []);
    assert.deepEqual(wg(3, { bindingLifetimeSec: 9 }), ['wireguard/keepalive-too-short']);
    assert.deepEqual(wg(9, { bindingLifetimeSec: 9 }), ['wireguard/keepalive-exceeds-nat-lifetime']);
    assert.deepEqual(wg(9, {}), ['wireguard/keepalive-too-short']);
  });
});
