// The settings editor checks values with package.json's JSON-schema patterns; the extension reads
// them with the engine's one host:port / probe-target parser (net/endpoint.ts, probes/target.ts).
// This table pins where the two agree and, where a regular expression cannot say as much as the
// parser, why they differ: the reader then names the setting and the problem in a warning.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROBE_PROTOCOLS } from '../../../src/core/report/types';
import { isHostPort, parseProbeTarget } from '../../../src/vscode/settingsModel';

interface SchemaItem { pattern?: string; enum?: string[] }
const properties = (JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { enum?: string[]; items?: SchemaItem }> } };
}).contributes.configuration.properties;

function pattern(key: string): RegExp {
  const source = properties[key]?.items?.pattern;
  assert.ok(source, `${key} has an items.pattern`);
  // JSON-schema patterns are ECMA-262 regular expressions; VS Code's JSON service compiles them with `u`.
  return new RegExp(source, 'u');
}

interface Row {
  input: string;
  parser: boolean;
  schema: boolean;
  /** Required when parser and schema disagree: why the difference is acceptable. */
  why?: string;
}

const HOST_PORT_ROWS: Row[] = [
  { input: 'stun.example.org:3478', parser: true, schema: true },
  { input: 'stun_1.example.org:3478', parser: true, schema: true },
  { input: 'stun.example.org.:3478', parser: true, schema: true },
  { input: '198.51.100.1:3478', parser: true, schema: true },
  { input: '[2001:db8::1]:3478', parser: true, schema: true },
  { input: '[::1]:3478', parser: true, schema: true },
  { input: '[::ffff:192.0.2.1]:3478', parser: true, schema: true },
  { input: '2001:db8::1:3478', parser: false, schema: false },
  { input: '[2001:db8::1]', parser: false, schema: false },
  { input: '[stun.example.org]:3478', parser: false, schema: false },
  { input: '[]:3478', parser: false, schema: false },
  { input: 'stun.example.org', parser: false, schema: false },
  { input: 'stun.example.org:', parser: false, schema: false },
  { input: ':3478', parser: false, schema: false },
  { input: 'stun.example.org:1', parser: true, schema: true },
  { input: 'stun.example.org:65535', parser: true, schema: true },
  { input: 'stun.example.org:123456', parser: false, schema: false },
  { input: 'stun.example.org:3478/', parser: false, schema: false },
  { input: 'stun.example.org :3478', parser: false, schema: false },
  { input: 'stun example.org:3478', parser: false, schema: false },
  { input: 'stun.example.org:0', parser: false, schema: true, why: 'the schema counts digits (\\d{1,5}); the port range is the parser\'s' },
  { input: 'stun.example.org:65536', parser: false, schema: true, why: 'the schema counts digits (\\d{1,5}); the port range is the parser\'s' },
  { input: '[abc]:3478', parser: false, schema: true, why: 'the schema allows hex digits in brackets; whether they form an IPv6 address is the parser\'s' },
  { input: '-stun.example.org:3478', parser: false, schema: true, why: 'the schema takes any name without spaces, colons, brackets or slashes; DNS label rules are the parser\'s' },
  { input: '192.0.2.300:3478', parser: false, schema: true, why: 'not an IPv4 address, and a name\'s last label is never all digits (RFC 3696 §2)' },
  { input: '[fe80::1%eth0]:3478', parser: true, schema: false, why: 'a zone index is valid IPv6 text (RFC 4007 §11) the schema pattern does not spell out; the editor flags it, the reader accepts it' },
  { input: ' stun.example.org:3478', parser: true, schema: false, why: 'the reader trims surrounding spaces the editor flags' },
  { input: 'stun.example.org:3478 ', parser: true, schema: false, why: 'the reader trims surrounding spaces the editor flags' },
];

const PROBE_TARGET_ROWS: Row[] = [
  ...PROBE_PROTOCOLS.map((p) => ({ input: `vpn.example.org:1194/${p}`, parser: true, schema: true })),
  { input: '[2001:db8::1]:500/ike', parser: true, schema: true },
  { input: '198.51.100.1:4500/ike-natt', parser: true, schema: true },
  { input: 'vpn.example.org:51820', parser: false, schema: false },
  { input: 'vpn.example.org:51820/', parser: false, schema: false },
  { input: 'vpn.example.org:51820/gopher', parser: false, schema: false },
  { input: 'vpn.example.org:51820/wireguard/', parser: false, schema: false },
  { input: '2001:db8::1:500/ike', parser: false, schema: false },
  { input: ':500/ike', parser: false, schema: false },
  { input: 'vpn.example.org:0/ike', parser: false, schema: true, why: 'the schema counts digits; the port range is the parser\'s' },
  { input: 'vpn.example.org:65536/ike', parser: false, schema: true, why: 'the schema counts digits; the port range is the parser\'s' },
  { input: 'vpn.example.org:51820/WireGuard', parser: true, schema: false, why: 'the CLI takes the protocol in any case; settings spell it as the enum does' },
];

function check(rows: Row[], parse: (s: string) => boolean, schema: RegExp): void {
  for (const row of rows) {
    assert.equal(parse(row.input), row.parser, `parser on ${JSON.stringify(row.input)}`);
    assert.equal(schema.test(row.input), row.schema, `schema on ${JSON.stringify(row.input)}`);
    if (row.parser !== row.schema) assert.ok(row.why, `${JSON.stringify(row.input)}: the disagreement needs a reason`);
  }
}

describe('settings schema and the engine\'s parser', () => {
  it('natDoctor.stunServers: the schema pattern and parseHostPort agree, or the table says why not', () => {
    check(HOST_PORT_ROWS, isHostPort, pattern('natDoctor.stunServers'));
  });
  it('natDoctor.probe.targets: the schema pattern and parseProbeTarget agree, or the table says why not', () => {
    check(PROBE_TARGET_ROWS, (s) => parseProbeTarget(s) !== undefined, pattern('natDoctor.probe.targets'));
  });
  it('a probe target is a host:port the same parser accepts, plus a protocol', () => {
    for (const row of HOST_PORT_ROWS) {
      assert.equal(parseProbeTarget(`${row.input.trim()}/tcp`) !== undefined, isHostPort(row.input), JSON.stringify(row.input));
    }
  });
  it('package.json lists exactly PROBE_PROTOCOLS: the defaultProtocol enum and the targets pattern', () => {
    assert.deepEqual(properties['natDoctor.probe.defaultProtocol']?.enum, [...PROBE_PROTOCOLS]);
    const alternatives = /\/\(([a-z|-]+)\)\$$/.exec(properties['natDoctor.probe.targets']?.items?.pattern ?? '')?.[1]?.split('|');
    assert.deepEqual(alternatives, [...PROBE_PROTOCOLS]);
  });
});
