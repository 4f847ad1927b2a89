// Lint speed: a 10,000-line OpenVPN file (target ≤ 20 ms per lint), plus a
// WireGuard file with 1,000 peers and 10,000-line ipsec.conf files of both dialects (with the
// dialect guess the CLI and the editor make on them). The peer measured in the same run is the cheapest possible pass
// over the same text (split into lines and whitespace tokens), so the ratio shows what the real
// lexer and rules cost on top of merely reading the text.
//
// Run: npm run compile-tests && node bench/lint.bench.mjs
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const entry = new URL('../out/src/core/lint/index.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('bench/lint.bench.mjs: out/src/core/lint is missing; run `npm run compile-tests` first.');
  process.exit(1);
}
const { lint, guessIpsecDialect } = require(entry.pathname);

function openvpnFile(lines) {
  const body = [
    'client', 'dev tun', 'proto udp', 'remote 198.51.100.1 1194', 'resolv-retry infinite', 'nobind', 'persist-tun',
    'remote-cert-tls server', 'verb 3', '# a comment line', '; another comment', 'push "route 10.0.0.0 255.0.0.0"',
    'setenv FRIENDLY_NAME "Office VPN"', 'route 10.1.0.0 255.255.0.0', 'keepalive 10 60',
  ];
  const out = [];
  for (let i = 0; out.length < lines; i++) out.push(body[i % body.length]);
  return out.join('\n') + '\n';
}

function wireguardFile(peers) {
  const key = 'UJ+zFRpUO/DuX079+RdyGEVlWjpKTqTt/33DsJJuAHM=';
  let s = `[Interface]\nPrivateKey = ${key}\nListenPort = 51820\n`;
  for (let i = 0; i < peers; i++) {
    s += `\n[Peer]\n# peer ${i}\nPublicKey = ${key}\nAllowedIPs = 10.${(i >> 8) & 255}.${i & 255}.0/24\nEndpoint = 203.0.113.${i % 250}:51820\nPersistentKeepalive = 25\n`;
  }
  return s;
}

function ipsecFile(lines, libreswan) {
  const conn = libreswan
    ? ['\tleft=%defaultroute', '\tright=198.51.100.1', '\tauthby=secret', '\tikev2=insist', '\tdpddelay=30', '\tx-note=generated', '\tauto=start']
    : ['\tleft=%defaultroute', '\tright=198.51.100.1', '\tauthby=psk', '\tkeyexchange=ikev2', '\tdpddelay=30s', '\tdpdaction=restart', '\tauto=start'];
  const out = [libreswan ? 'config setup\n\tprotostack=netkey' : 'config setup\n\tcharondebug="ike 1"'];
  for (let i = 0; out.length < lines / (conn.length + 1); i++) out.push(`conn tunnel${i}\n${conn.join('\n')}`);
  return out.join('\n') + '\n';
}

function naive(text) {
  let n = 0;
  for (const line of text.split('\n')) n += line.trim().split(/\s+/).length;
  return n;
}

function measure(fn, runs) {
  for (let i = 0; i < 5; i++) fn(); // warm up the JIT
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
}

const ovpn = openvpnFile(10_000);
const wg = wireguardFile(1_000);
const libre = ipsecFile(10_000, true);
const strong = ipsecFile(10_000, false);
const rows = [
  ['OpenVPN, 10,000 lines', measure(() => lint(ovpn, { language: 'openvpn', fileName: 'big.ovpn' }), 50), measure(() => naive(ovpn), 50)],
  ['WireGuard, 1,000 peers (7,000 lines)', measure(() => lint(wg, { language: 'wireguard', fileName: 'wg0.conf' }), 50), measure(() => naive(wg), 50)],
  ['libreswan ipsec.conf, 10,000 lines (+ dialect guess)', measure(() => { guessIpsecDialect(libre); lint(libre, { language: 'libreswan', fileName: 'ipsec.conf' }); }, 50), measure(() => naive(libre), 50)],
  ['strongSwan ipsec.conf, 10,000 lines (+ dialect guess)', measure(() => { guessIpsecDialect(strong); lint(strong, { language: 'strongswan', fileName: 'ipsec.conf' }); }, 50), measure(() => naive(strong), 50)],
];
for (const [name, ours, peer] of rows) {
  console.log(`${name}: lint median ${ours.median.toFixed(2)} ms (p90 ${ours.p90.toFixed(2)} ms); split-into-tokens peer ${peer.median.toFixed(2)} ms; ratio ${(ours.median / peer.median).toFixed(1)}×`);
}
const target = rows[0][1].median;
console.log(`target: OpenVPN 10,000 lines ≤ 20 ms — ${target <= 20 ? 'met' : 'MISSED'} (${target.toFixed(2)} ms)`);
