// One voice for advice: for one network, the report's keepalive and MTU recommendations and the
// editor's quick fixes name the same numbers, and a quick fix never draws its finding again.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  keepaliveAdvice, measuredFromReport, measuredFromReports, mssfixPacketBytes, mtuAdvice, openvpnTunPacketBytes, OPENVPN_KEEPALIVE_DEFAULT, wireguardPacketBytes,
} from '../../../src/core/advice/tunnelAdvice';
import { applyEdits, lint, type Finding, type MeasuredNat } from '../../../src/core/lint';
import { recommend } from '../../../src/core/report/recommendations';
import type { BindingLifetime, Report } from '../../../src/core/report/types';
import { sampleReport } from '../report/reportFixture';

const PRIV = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const PUB = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const WIREGUARD = `[Interface]\nPrivateKey = ${PRIV}\n\n[Peer]\nPublicKey = ${PUB}\nAllowedIPs = 10.0.0.0/24\nEndpoint = 203.0.113.1:51820\n`;
const OPENVPN = 'client\ndev tun\nremote 198.51.100.1 1194\n';

function report(bindingLifetime: BindingLifetime | null): Report {
  return sampleReport({ bindingLifetime });
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

// ── Keepalive with both lifetimes ──────────────────────────────────────────────────────────────

/** One-shot and established lifetimes as a measurement brackets them (5 s resolution). */
function bothLifetimes(oneShot: number, established: number | null): BindingLifetime {
  const bracket = (s: number): { seconds: number; lowerSec: number; upperSec: number } => ({ seconds: s, lowerSec: Math.floor(s / 5) * 5, upperSec: Math.floor(s / 5) * 5 + 5 });
  return { ...bracket(oneShot), established: established === null ? { seconds: null, lowerSec: 300, upperSec: 300 } : bracket(established) };
}

const PAIRS: Array<[number, number | null]> = [];
for (const oneShot of [3, 8, 12, 22, 28, 32, 45, 58, 62, 90]) for (const established of [oneShot, oneShot + 2, 2 * oneShot, 4 * oneShot, 118, null]) PAIRS.push([oneShot, established]);

describe('keepalive advice with an established-flow lifetime', () => {
  for (const [oneShot, established] of PAIRS) {
    it(`one-shot ${oneShot} s, established ${established ?? 'at least 300'} s: one voice, a safe first gap, and the text says which lifetime it follows`, () => {
      const r = report(bothLifetimes(oneShot, established));
      const measured = measuredFromReports([r]);
      const advice = keepaliveAdvice(measured);
      const message = recommend(r).find((x) => x.id === 'keepalive')?.message ?? '';
      assert.match(message, new RegExp(`PersistentKeepalive = ${advice.wireguard.persistentKeepalive} \\(WireGuard\\), ${advice.openvpn.line} \\(OpenVPN\\)`));
      const wgFix = onlyFix(lint(WIREGUARD, { language: 'wireguard', fileName: 'wg0.conf', ...(measured ? { measured } : {}) }), 'wireguard/missing-persistent-keepalive');
      assert.equal(wgFix, `PersistentKeepalive = ${advice.wireguard.persistentKeepalive}\n`);
      const lifetime = r.bindingLifetime as BindingLifetime;
      for (const interval of [advice.wireguard.interval, advice.openvpn.interval, advice.ipsec.interval]) {
        // The first keepalive of a new mapping comes no later than a new mapping was seen to live.
        assert.ok(interval.seconds <= Math.max(1, lifetime.lowerSec) || interval.seconds <= Math.floor(oneShot / 2), `${JSON.stringify(interval)}`);
        // Established or not, one lost keepalive still leaves the next within the lifetime it follows.
        const followed = interval.follows === 'established' ? (measured?.established?.lifetimeSec ?? 0) : oneShot;
        if (followed >= 2) assert.ok(interval.seconds * 2 <= followed, `${JSON.stringify(interval)} follows ${followed} s`);
      }
      const wg = advice.wireguard.interval;
      if (wg.follows === 'established' && wg.seconds > Math.floor(oneShot / 2)) assert.match(message, /These follow the established-flow lifetime/);
      if (wg.follows === 'one-shot' && wg.establishedSec !== undefined && wg.establishedSec !== wg.seconds) assert.match(message, /so these follow the shorter lifetime/);
    });
  }

  it('a Linux router (30 s one-shot, 120 s stream) gets WireGuard\'s 25 s, not 15', () => {
    const r = report({ seconds: 32, lowerSec: 30, upperSec: 35, established: { seconds: 122, lowerSec: 120, upperSec: 125 } });
    const message = recommend(r).find((x) => x.id === 'keepalive')?.message ?? '';
    assert.match(message, /after ~32 s \(~122 s once packets have gone both ways\): set PersistentKeepalive = 25 \(WireGuard\), keepalive 10 60 \(OpenVPN\), or a NAT-T keepalive of 20 s/);
    assert.match(message, /still meets the ~32 s a new mapping gets, and 25 s arrives in time/);
  });

  it('a short one-shot timer keeps the shorter interval, and says why', () => {
    const r = report({ seconds: 8, lowerSec: 5, upperSec: 10, established: { seconds: 23, lowerSec: 20, upperSec: 25 } });
    const message = recommend(r).find((x) => x.id === 'keepalive')?.message ?? '';
    assert.match(message, /set PersistentKeepalive = 4 \(WireGuard\)/);
    assert.match(message, /would be safe with PersistentKeepalive = 11 .*first keepalive after a new mapping must arrive within the ~8 s/);
  });

  it('two lifetimes a grid step apart are one lifetime (no claim of a longer established one)', () => {
    const measured = measuredFromReports([report({ seconds: 18, lowerSec: 15, upperSec: 20, established: { seconds: 22, lowerSec: 20, upperSec: 25 } })]);
    assert.equal(measured?.established, undefined);
    assert.equal(keepaliveAdvice(measured).wireguard.persistentKeepalive, 9);
  });

  it('a report from before the established measurement reads as before', () => {
    const measured = measuredFromReports([report({ seconds: 30, lowerSec: 25, upperSec: 35 })]);
    assert.deepEqual(measured, { natType: 'port-restricted-cone', bindingLifetimeSec: 30 });
  });
});

// ── MTU ─────────────────────────────────────────────────────────────────────────────────────────

const WG_QUICK = `[Interface]\nPrivateKey = ${PRIV}\nAddress = 10.0.0.2/32\n\n[Peer]\nPublicKey = ${PUB}\nAllowedIPs = 10.0.0.0/24\nEndpoint = vpn.example.org:51820\nPersistentKeepalive = 25\n`;
const OVPN_MTU = 'client\ndev tun\nproto udp\nremote vpn.example.org 1194\nkeepalive 10 60\n';
const MTU_RULES = /mtu-too-large/;

function withPath(bytes: number, family: 'IPv4' | 'IPv6', blackHole: boolean): Report {
  const r = report(null);
  const server = family === 'IPv4' ? { server: 'stun.example.org:3478', address: '203.0.113.10' } : { server: 'stun.example.org:3478', address: '2001:db8:2::10' };
  return { ...r, servers: [{ ...server, rttMs: 1, rfc5780: true }], pathMtu: { target: server.server, bytes, blackHole, detail: 'test' } };
}

describe('MTU advice speaks with one voice', () => {
  for (let bytes = 1280; bytes <= 1500; bytes += 8) {
    for (const family of ['IPv4', 'IPv6'] as const) {
      for (const blackHole of [true, false]) {
        it(`a ${bytes}-byte path over ${family}${blackHole ? ', a black hole' : ''}: the report and the quick fixes name the same MTU, mssfix and tun-mtu`, () => {
          const r = withPath(bytes, family, blackHole);
          const recs = recommend(r);
          const overhead = family === 'IPv4' ? 60 : 80;
          assert.equal(recs.some((x) => x.id === 'mtu-black-hole'), blackHole);
          const advice = recs.find((x) => x.id === 'tunnel-mtu')?.message;
          if (!blackHole && bytes >= 1500) {
            // The tunnels' defaults fit a 1500-byte path: nothing to recommend, nothing to flag.
            assert.equal(advice, undefined);
            const measured = measuredFromReports([r]);
            assert.deepEqual(lint(WG_QUICK.replace('Address', 'MTU = 1420\nAddress'), { language: 'wireguard', ...(measured ? { measured } : {}) }).filter((f) => MTU_RULES.test(f.ruleId)), []);
            return;
          }
          assert.ok(advice, recs.map((x) => x.id).join(', '));
          const wgRecommended = Number(/set MTU = (\d+) in \[Interface\]/.exec(advice)?.[1]);
          const mssfixRecommended = Number(/mssfix (\d+) mtu for TCP/.exec(advice)?.[1]);
          const tunMtuRecommended = Number(/tun-mtu (\d+) so that/.exec(advice)?.[1]);
          assert.deepEqual([wgRecommended, mssfixRecommended, tunMtuRecommended], [bytes - overhead, bytes, bytes - overhead], advice);
          assert.equal(/below 1280/.test(advice), bytes - overhead < 1280, advice);

          const measured = measuredFromReports([r]);
          const lintWith = (language: 'wireguard' | 'openvpn', text: string): Finding[] => lint(text, { language, fileName: 'wg0.conf', ...(measured ? { measured } : {}) });
          // An explicit MTU that does not fit, and (on a black hole) a missing one.
          const explicit = WG_QUICK.replace('Address', 'MTU = 1500\nAddress');
          const wgFindings = lintWith('wireguard', explicit);
          assert.equal(onlyFix(wgFindings, 'wireguard/mtu-too-large'), String(wgRecommended));
          assert.deepEqual(lintWith('wireguard', applyEdits(explicit, wgFindings.flatMap((f) => f.fix?.edits ?? []))).filter((f) => MTU_RULES.test(f.ruleId)), []);
          const missing = lintWith('wireguard', WG_QUICK).filter((f) => f.ruleId === 'wireguard/mtu-too-large');
          if (blackHole && bytes - overhead < 1420) {
            assert.equal(onlyFix(missing, 'wireguard/mtu-too-large'), `MTU = ${wgRecommended}\n`);
            assert.deepEqual(lintWith('wireguard', applyEdits(WG_QUICK, missing.flatMap((f) => f.fix?.edits ?? []))).filter((f) => MTU_RULES.test(f.ruleId)), []);
          } else {
            assert.deepEqual(missing, []);
          }

          // OpenVPN: an mssfix too large (pre-2.6 form: + 28 / + 48 for the headers), a tun-mtu too large.
          const ovpn = `${OVPN_MTU}mssfix 1472\ntun-mtu 1500\n`;
          const ovpnFindings = lintWith('openvpn', ovpn).filter((f) => MTU_RULES.test(f.ruleId));
          const texts = ovpnFindings.map((f) => f.fix?.edits.map((e) => e.text).join('') ?? '');
          assert.ok(texts.includes(`mssfix ${mssfixRecommended} mtu`), `${texts} vs ${advice}`);
          assert.equal(texts.includes(String(tunMtuRecommended)), blackHole, `${texts} vs ${advice}`);
          const fixed = applyEdits(ovpn, ovpnFindings.flatMap((f) => f.fix?.edits ?? []));
          assert.deepEqual(lintWith('openvpn', fixed).filter((f) => MTU_RULES.test(f.ruleId)).map((f) => f.message), []);
        });
      }
    }
  }

  it('the fitting values leave exactly the path MTU on the wire', () => {
    for (let bytes = 576; bytes <= 9000; bytes += 97) {
      for (const family of ['IPv4', 'IPv6'] as const) {
        const a = mtuAdvice({ pathMtu: { bytes, blackHole: true, family } });
        assert.ok(a);
        assert.equal(wireguardPacketBytes(a.wireguard.mtu, family), bytes);
        assert.equal(openvpnTunPacketBytes(a.openvpn.tunMtu, family), bytes);
        assert.equal(mssfixPacketBytes(a.openvpn.mssfix, 'mtu', family), bytes);
        const tap = mtuAdvice({ pathMtu: { bytes, blackHole: true, family } }, undefined, 'tap');
        assert.equal(openvpnTunPacketBytes(tap?.openvpn.tunMtu ?? 0, family, 'tap'), bytes);
      }
    }
  });

  it('the outer family the config names wins over the family the path was measured over', () => {
    const m: MeasuredNat = { pathMtu: { bytes: 1400, blackHole: true, family: 'IPv4' } };
    assert.equal(mtuAdvice(m)?.wireguard.mtu, 1340);
    assert.equal(mtuAdvice(m, 'IPv6')?.wireguard.mtu, 1320);
  });

  it('no path measured, or one too small for any tunnel: no numbers', () => {
    assert.equal(mtuAdvice({}), undefined);
    assert.equal(mtuAdvice({ pathMtu: { bytes: 120, blackHole: true, family: 'IPv6' } }), undefined);
  });
});
