// One parser per config format: the linter, the "Probe endpoint" CodeLens and the probe read each
// line the same way, by the real tool's rules (wireguard-tools config.c, OpenVPN options.c). Each
// row is a line that the probe's former reader took differently, or one worth pinning down; the
// test checks what lint reports, where the lenses are, and what the probe takes from the file.
// Assertions compare key bytes with `equals`, so a failure never prints key material.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeKey } from '../../../src/core/config/wireguard/keys';
import { getProbeTargets, lint, parseProbeableConfig } from '../../../src/core/lint';
import { parseStaticKey } from '../../../src/core/probes/openvpn/staticKey';
import { loadProbeConfig } from '../../../src/core/probes/probeConfig';
import { keysForEndpoint } from '../../../src/core/probes/wireguard/wireguardProbeConfig';
import { PRIV, PUB, PUB2 } from '../lint/lintTestHelpers';
import { readFixture } from '../probes/fixtures';
import { openvpnFromText, wireguardFromText } from './probeViews';

function errors(text: string, language: 'wireguard' | 'openvpn', fileName: string): string[] {
  const ids = lint(text, { language, fileName }).filter((f) => f.severity === 'error').map((f) => `${f.ruleId}@${f.line}`);
  return [...new Set(ids)].sort();
}

function lensTargets(text: string, language: 'wireguard' | 'openvpn'): string[] {
  return getProbeTargets(parseProbeableConfig(language, text)).map((t) => `${t.host}:${t.port}/${t.protocol}@${t.range.line}`);
}

const PRIVATE = decodeKey(PRIV) as Buffer;
const FIRST_PEER = decodeKey(PUB) as Buffer;
const SECOND_PEER = decodeKey(PUB2) as Buffer;

interface WireguardRow {
  name: string;
  /** The file's lines (joined with "\n" unless the row says otherwise). */
  lines: string[];
  eol?: string;
  /** Errors lint reports (rule@line). */
  errors: string[];
  /** Whether the probe reads the Interface PrivateKey. */
  privateKey: boolean;
  /** Peers the probe can use. */
  peers: number;
  /** Lenses: host:port/protocol@line. */
  lenses: string[];
  /** The peer the probe picks for the last lens (1 = first [Peer], 2 = second). */
  picks?: 1 | 2;
}

const SECOND = (endpointLine: string): string[] => ['', '[Peer]', `PublicKey = ${PUB2}`, endpointLine, 'AllowedIPs = 10.2.0.0/16'];
const FIRST = ['', '[Peer]', `PublicKey = ${PUB}`, 'Endpoint = 198.51.100.1:51820', 'AllowedIPs = 10.1.0.0/16'];

const WIREGUARD_ROWS: WireguardRow[] = [
  {
    name: 'whitespace inside a key is removed, as wg removes it',
    lines: ['[Interface]', `PrivateKey = ${PRIV.slice(0, 20)} ${PRIV.slice(20, 30)}\t${PRIV.slice(30)}`, ...FIRST],
    errors: [], privateKey: true, peers: 1, lenses: ['198.51.100.1:51820/wireguard@6'], picks: 1,
  },
  {
    name: 'whitespace inside a key name is removed too ("Private Key")',
    lines: ['[Interface]', `Private Key = ${PRIV}`, ...FIRST],
    errors: [], privateKey: true, peers: 1, lenses: ['198.51.100.1:51820/wireguard@6'], picks: 1,
  },
  {
    name: 'a "#" after the value starts a comment',
    lines: ['[Interface]', `PrivateKey = ${PRIV}# laptop`, ...FIRST],
    errors: [], privateKey: true, peers: 1, lenses: ['198.51.100.1:51820/wireguard@6'], picks: 1,
  },
  {
    name: 'a "#" inside the value cuts the key short: lint and probe both reject it',
    lines: ['[Interface]', `PrivateKey = ${PRIV.slice(0, 10)}#${PRIV.slice(10)}`, ...FIRST],
    errors: ['wireguard/invalid-key@2'], privateKey: false, peers: 1, lenses: ['198.51.100.1:51820/wireguard@6'],
  },
  {
    name: 'CRLF line endings',
    lines: ['[Interface]', `PrivateKey = ${PRIV}`, ...FIRST, ...SECOND('Endpoint = 198.51.100.2:51820')], eol: '\r\n',
    errors: [], privateKey: true, peers: 2, lenses: ['198.51.100.1:51820/wireguard@6', '198.51.100.2:51820/wireguard@11'], picks: 2,
  },
  {
    name: 'a byte-order mark: wg refuses the file (lint says so), the keys read the same',
    lines: ['\uFEFF[Interface]', `PrivateKey = ${PRIV}`, ...FIRST],
    errors: ['wireguard/byte-order-mark@1'], privateKey: true, peers: 1, lenses: ['198.51.100.1:51820/wireguard@6'], picks: 1,
  },
  {
    name: 'a header with spaces inside the brackets is a [Peer] to wg',
    lines: ['[Interface]', `PrivateKey = ${PRIV}`, ...FIRST, '', '[ Peer ]', `PublicKey = ${PUB2}`, 'Endpoint = 198.51.100.2:51820'],
    errors: [], privateKey: true, peers: 2, lenses: ['198.51.100.1:51820/wireguard@6', '198.51.100.2:51820/wireguard@11'], picks: 2,
  },
  {
    name: 'a header with a trailing comment',
    lines: ['[Interface] # home', `PrivateKey = ${PRIV}`, ...FIRST.map((l) => (l === '[Peer]' ? '[Peer] # office' : l))],
    errors: [], privateKey: true, peers: 1, lenses: ['198.51.100.1:51820/wireguard@6'], picks: 1,
  },
  {
    name: 'a key on the [Peer] header line: no section and no key, for wg, lint and probe alike',
    lines: ['[Interface]', `PrivateKey = ${PRIV}`, '', `[Peer] PublicKey = ${PUB}`, 'Endpoint = 198.51.100.1:51820'],
    errors: ['wireguard/unknown-key@5', 'wireguard/unknown-section@4'], privateKey: true, peers: 0, lenses: [],
  },
  {
    name: 'whitespace inside an Endpoint is removed',
    lines: ['[Interface]', `PrivateKey = ${PRIV}`, ...FIRST, ...SECOND('Endpoint = 198.51.100.2 : 51820')],
    errors: [], privateKey: true, peers: 2, lenses: ['198.51.100.1:51820/wireguard@6', '198.51.100.2:51820/wireguard@11'], picks: 2,
  },
  {
    name: 'an IPv6 Endpoint without brackets splits at the last ":", as wg splits it',
    lines: ['[Interface]', `PrivateKey = ${PRIV}`, ...FIRST, ...SECOND('Endpoint = 2001:db8::10:51820')],
    errors: [], privateKey: true, peers: 2, lenses: ['198.51.100.1:51820/wireguard@6', '2001:db8::10:51820/wireguard@11'], picks: 2,
  },
  {
    name: 'a ";" line is not a comment to wg, and its key is nobody\'s',
    lines: ['[Interface]', `;PrivateKey = ${PRIV}`, ...FIRST],
    errors: ['wireguard/unknown-key@2'], privateKey: false, peers: 1, lenses: ['198.51.100.1:51820/wireguard@6'],
  },
];

describe('WireGuard: the linter, the lenses and the probe read each line alike', () => {
  for (const row of WIREGUARD_ROWS) {
    it(row.name, () => {
      const text = row.lines.join(row.eol ?? '\n') + (row.eol ?? '\n');
      assert.deepEqual(errors(text, 'wireguard', 'wg0.conf'), [...row.errors].sort(), 'lint');
      assert.deepEqual(lensTargets(text, 'wireguard'), row.lenses, 'lenses');
      const config = wireguardFromText(text);
      assert.equal(config.privateKey !== undefined, row.privateKey, 'probe reads the PrivateKey');
      if (row.privateKey) assert.ok(config.privateKey?.equals(PRIVATE), 'the PrivateKey bytes are the key written');
      assert.equal(config.peers.length, row.peers, 'peers the probe can use');
      assert.ok(!config.notes.join(' ').includes(PRIV.slice(0, 10)), 'notes never quote a key');
      if (row.picks === undefined) return;
      // The probe picks its peer by the endpoint the lens shows.
      const last = getProbeTargets(parseProbeableConfig('wireguard', text)).at(-1);
      assert.ok(last);
      const picked = keysForEndpoint(config, last.host, last.port);
      assert.ok('keys' in picked, 'keys for the lens endpoint');
      assert.ok(picked.keys.peerPublicKey.equals(row.picks === 1 ? FIRST_PEER : SECOND_PEER), `the peer of ${last.host}:${last.port}`);
      assert.deepEqual(picked.notes, []);
    });
  }
});

const KAT_KEY = readFixture('kat.key');
const KEY = (() => {
  const parsed = parseStaticKey(KAT_KEY);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.key;
})();

interface OpenvpnRow {
  name: string;
  lines: string[];
  eol?: string;
  errors: string[];
  lenses: string[];
  /** The wrapping the probe takes from the file. */
  wrapping: 'plain' | 'tls-auth' | 'tls-crypt';
  /** For tls-auth: the direction the probe uses. */
  direction?: 0 | 1 | 'none';
  /** The key file the probe asks for, as OpenVPN reads the path. */
  keyPath?: string;
}

const INLINE = (open: string, close: string): string[] => [open, ...KAT_KEY.trimEnd().split('\n'), close];

const OPENVPN_ROWS: OpenvpnRow[] = [
  {
    name: 'a double-quoted path keeps its space',
    lines: ['client', 'remote 198.51.100.1 1194', 'tls-auth "my keys/ta.key" 1'],
    errors: [], lenses: ['198.51.100.1:1194/openvpn@2'], wrapping: 'tls-auth', direction: 1, keyPath: 'my keys/ta.key',
  },
  {
    name: 'a backslash escapes a space in a path',
    lines: ['client', 'remote 198.51.100.1 1194', 'tls-auth my\\ keys/ta.key 1'],
    errors: [], lenses: ['198.51.100.1:1194/openvpn@2'], wrapping: 'tls-auth', direction: 1, keyPath: 'my keys/ta.key',
  },
  {
    name: 'single quotes keep backslashes',
    lines: ['client', 'remote 198.51.100.1 1194', "tls-auth 'C:\\vpn\\ta.key'"],
    errors: [], lenses: ['198.51.100.1:1194/openvpn@2'], wrapping: 'tls-auth', direction: 'none', keyPath: 'C:\\vpn\\ta.key',
  },
  {
    name: 'in double quotes "\\\\" is one backslash',
    lines: ['client', 'remote 198.51.100.1 1194', 'tls-auth "D:\\\\vpn\\\\ta.key" 0'],
    errors: [], lenses: ['198.51.100.1:1194/openvpn@2'], wrapping: 'tls-auth', direction: 0, keyPath: 'D:\\vpn\\ta.key',
  },
  {
    name: 'an inline <tls-crypt> block',
    lines: ['client', 'remote vpn.example.net 443 tcp', ...INLINE('<tls-crypt>', '</tls-crypt>')],
    errors: [], lenses: ['vpn.example.net:443/tcp@2'], wrapping: 'tls-crypt',
  },
  {
    name: 'an inline <tls-crypt> block whose tags carry comments and indentation',
    lines: ['client', 'remote vpn.example.net 443 tcp', ...INLINE('  <tls-crypt>   # from the server', '  </tls-crypt> # end')],
    errors: [], lenses: ['vpn.example.net:443/tcp@2'], wrapping: 'tls-crypt',
  },
  {
    name: 'an inline <tls-auth> block with CRLF line endings and key-direction',
    lines: ['client', 'remote 198.51.100.1 1194', 'key-direction 1', ...INLINE('<tls-auth>', '</tls-auth>')], eol: '\r\n',
    errors: [], lenses: ['198.51.100.1:1194/openvpn@2'], wrapping: 'tls-auth', direction: 1,
  },
  {
    name: 'inline tags are case-sensitive: <TLS-CRYPT> is refused, and the probe does not use it',
    lines: ['client', 'remote 198.51.100.1 1194', ...INLINE('<TLS-CRYPT>', '</TLS-CRYPT>')],
    errors: ['openvpn/invalid-inline-tag@3'], lenses: ['198.51.100.1:1194/openvpn@2'], wrapping: 'plain',
  },
  {
    name: 'option names are case-sensitive: "Remote" is refused, and nobody probes it',
    lines: ['client', 'dev tun', 'Remote 198.51.100.1 1194'],
    errors: ['openvpn/option-case@3'], lenses: [], wrapping: 'plain',
  },
  {
    name: 'a remote inside a <connection> block, with that block\'s proto',
    lines: ['client', 'dev tun', '<connection>', 'remote 198.51.100.2 1195', 'proto tcp-client', '</connection>'],
    errors: [], lenses: ['198.51.100.2:1195/tcp@4'], wrapping: 'plain',
  },
  {
    name: 'a "#" at the start of a parameter ends the line; "--" before the name is dropped',
    lines: ['client', '--remote vpn.example.net 443 # tcp', 'proto udp'],
    errors: [], lenses: ['vpn.example.net:443/openvpn@2'], wrapping: 'plain',
  },
  {
    name: 'a byte-order mark and CRLF',
    lines: ['\uFEFFclient', 'port 1195', 'remote 198.51.100.1'], eol: '\r\n',
    errors: [], lenses: ['198.51.100.1:1195/openvpn@3'], wrapping: 'plain',
  },
];

describe('OpenVPN: the linter, the lenses and the probe read each line alike', () => {
  for (const row of OPENVPN_ROWS) {
    it(row.name, async () => {
      const text = row.lines.join(row.eol ?? '\n') + (row.eol ?? '\n');
      assert.deepEqual(errors(text, 'openvpn', 'client.ovpn'), [...row.errors].sort(), 'lint');
      assert.deepEqual(lensTargets(text, 'openvpn'), row.lenses, 'lenses');
      const asked: string[] = [];
      const config = await openvpnFromText(text, async (path) => {
        asked.push(path);
        return KAT_KEY;
      });
      assert.equal(config.wrapping.kind, row.wrapping, `wrapping (${config.notes.join('; ')})`);
      if (config.wrapping.kind !== 'plain') assert.ok(config.wrapping.key.equals(KEY), 'the key bytes are the file\'s');
      if (row.direction !== undefined) assert.equal(config.wrapping.kind === 'tls-auth' ? config.wrapping.direction : undefined, row.direction);
      assert.deepEqual(asked, row.keyPath === undefined ? [] : [row.keyPath], 'key file path');
      // The probe chooses UDP or TCP from the same remotes the lenses sit on.
      const probed = config.remotes.map((r) => `${r.host}:${r.port ?? config.port ?? 1194}/${(r.proto ?? config.proto ?? 'udp') === 'tcp' ? 'tcp' : 'openvpn'}`);
      assert.deepEqual(probed, row.lenses.map((l) => l.replace(/@\d+$/, '')));
    });
  }
});

describe('the one content sniffer decides what --config holds', () => {
  it('a wg-quick file under any name, headers with comments included; else OpenVPN', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nat-doctor-config-'));
    try {
      const wg = join(dir, 'office.txt');
      writeFileSync(wg, `[Interface] # home\nPrivateKey = ${PRIV}\n\n[Peer] # office\nPublicKey = ${PUB}\nEndpoint = 198.51.100.1:51820\n`);
      const loadedWg = await loadProbeConfig(wg);
      assert.ok('kind' in loadedWg && loadedWg.kind === 'wireguard' && loadedWg.config.wireguard?.privateKey?.equals(PRIVATE));
      const ovpn = join(dir, 'client.conf');
      writeFileSync(ovpn, 'client\nremote 198.51.100.1 1194 tcp\n');
      const loadedOvpn = await loadProbeConfig(ovpn);
      assert.ok('kind' in loadedOvpn && loadedOvpn.kind === 'openvpn');
      assert.deepEqual(loadedOvpn.config.openvpn?.remotes, [{ host: '198.51.100.1', port: 1194, proto: 'tcp' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
