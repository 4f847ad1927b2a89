import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Report } from '../../../src/core/report/types';
import {
  COMMAND_IDS, NatDoctorTelemetry, TELEMETRY_EVENT_NAMES, durationBucket, errorKind, rttBucket, type TelemetryEvent,
} from '../../../src/vscode/telemetryEvents';

// Everything here is something a user would not want to leave their machine.
const SECRETS = [
  '198.51.100.23', '61234', '203.0.113.77', '2001:db8::42', '100.64.12.34', '192.168.1.20',
  'stun.secret-corp.example', 'vpn.secret-corp.example', '51820', '3478', '4500',
  'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=', 'alice-laptop', 'alice', 'hunter2', '/home/alice/wg0.conf',
];

/** A report stuffed with personal data everywhere, including where only enums belong. */
function hostileReport(overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'nat-doctor', version: '0.1.0' },
    startedAt: '2026-11-24T00:00:00.000Z',
    durationMs: 4321,
    servers: [
      { server: 'stun.secret-corp.example:3478', address: '203.0.113.77', rttMs: 42, rfc5780: true },
      { server: '[2001:db8::42]:3478', address: '2001:db8::42', rttMs: null, rfc5780: false, error: 'no answer from 2001:db8::42 port 3478 (alice)' },
    ],
    publicAddress: { address: '198.51.100.23', port: 61234 },
    nat: {
      udp: 'ok',
      mapping: 'endpoint-independent',
      filtering: 'address-and-port-dependent',
      // A malformed report must not smuggle text out through an enum field.
      type: '198.51.100.23:61234' as Report['nat']['type'],
      portPreservation: true,
      hairpinning: null,
      alg: false,
      notes: ['mapping seen as 198.51.100.23:61234 by stun.secret-corp.example'],
    },
    cgnat: {
      verdict: 'yes',
      confidence: 0.9,
      evidence: [{ signal: 'wan address', value: '100.64.12.34', meaning: 'shared address space on alice-laptop' }],
    },
    portMapping: {
      upnp: { available: true, externalAddress: '100.64.12.34' },
      natPmp: { available: false, error: 'router 192.168.1.1 said no' },
      pcp: { available: false },
    },
    bindingLifetime: { seconds: 30, lowerSec: 28, upperSec: 32 },
    probes: [
      { target: 'vpn.secret-corp.example:51820/wireguard', state: 'open', rttMs: 12, detail: 'handshake with key yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=' },
      { target: '192.168.1.20:4500/ike-natt', state: 'open|filtered', rttMs: null, detail: 'from /home/alice/wg0.conf' },
    ],
    recommendations: [{ id: 'wireguard/keepalive', severity: 'warning', message: 'Set PersistentKeepalive for vpn.secret-corp.example:51820' }],
    ranOn: 'alice-laptop (remote: ssh-remote)',
    ...overrides,
  };
}

function hostileError(code?: string, name = 'Error'): Error {
  const error = new Error('connect ECONNREFUSED 198.51.100.23:61234 for alice with password hunter2');
  error.name = name;
  if (code) (error as Error & { code?: string }).code = code;
  return error;
}

function recordingTelemetry(): { telemetry: NatDoctorTelemetry; sent: TelemetryEvent[] } {
  const sent: TelemetryEvent[] = [];
  return { telemetry: new NatDoctorTelemetry({ send: (event) => sent.push(event) }), sent };
}

/** Drives every method with hostile inputs. */
function exerciseEveryEventPath(telemetry: NatDoctorTelemetry): void {
  for (const id of COMMAND_IDS) {
    telemetry.commandRun(id, 1500, 'ok');
    telemetry.commandRun(id, 40_000, 'error', hostileError('ECONNREFUSED'));
    telemetry.commandRun(id, 10, 'cancelled');
  }
  telemetry.commandRun('vpn.secret-corp.example:51820' as (typeof COMMAND_IDS)[number], 1, 'error', hostileError());
  for (const mode of ['full', 'quick'] as const) {
    for (const trigger of ['command', 'monitor', 'panel'] as const) {
      telemetry.diagnosisCompleted(hostileReport(), mode, trigger);
      telemetry.diagnosisCompleted(hostileReport({ ranOn: 'local machine', servers: [], probes: [] }), mode, trigger);
      for (const code of ['ENOTFOUND', 'ETIMEDOUT', 'EACCES', 'ENETUNREACH', undefined]) {
        telemetry.diagnosisFailed(hostileError(code), mode, trigger, 2500);
      }
      telemetry.diagnosisFailed(hostileError(undefined, 'DiagnosisCancelled'), mode, trigger, 100);
      telemetry.diagnosisFailed(new TypeError('x is not a function at /home/alice/wg0.conf'), mode, trigger, 100);
      telemetry.diagnosisFailed('198.51.100.23', mode, trigger, 100);
    }
  }
  for (const reason of ['startup', 'network-change', 'back-online', 'interval', 'retry', 'settings-change', 'wlan0 192.168.1.20']) {
    telemetry.monitorCheck(reason, 'ok');
    telemetry.monitorCheck(reason, 'failed');
  }
  for (const action of ['rerun', 'copyMarkdown', 'exportJson', 'selectHistory'] as const) telemetry.panelAction(action);
  telemetry.settingsInvalid(1);
  telemetry.settingsInvalid(7);
}

describe('telemetry without personal data', () => {
  it('sends no address, host name, port, key, path or user name through any event', () => {
    const { telemetry, sent } = recordingTelemetry();
    exerciseEveryEventPath(telemetry);
    assert.ok(sent.length > 50);
    const wire = JSON.stringify(sent);
    for (const secret of SECRETS) assert.ok(!wire.includes(secret), `"${secret}" must not be sent`);
    // No dotted quads or IPv6 literals at all, whatever the report held.
    assert.doesNotMatch(wire, /\d+\.\d+\.\d+\.\d+/);
    assert.doesNotMatch(wire, /[0-9a-f]{1,4}::[0-9a-f]/i);
    for (const event of sent) {
      for (const value of Object.values(event.properties)) {
        assert.match(value, /^[a-zA-Z0-9<>=.|+-]{1,40}$/, `${event.name} value "${value}" is an enum or bucket`);
      }
    }
  });

  it('reaches every event of telemetry.json and documents every property it sends', () => {
    const { telemetry, sent } = recordingTelemetry();
    exerciseEveryEventPath(telemetry);
    const documented = (JSON.parse(readFileSync(join(__dirname, '../../../../telemetry.json'), 'utf8')) as {
      events: Record<string, Record<string, unknown>>;
    }).events;
    const sentNames = new Set(sent.map((e) => `natDoctor/${e.name}`));
    assert.deepEqual([...sentNames].sort(), Object.keys(documented).sort());
    assert.deepEqual([...sentNames].sort(), TELEMETRY_EVENT_NAMES.map((n) => `natDoctor/${n}`).sort());
    for (const event of sent) {
      const doc = documented[`natDoctor/${event.name}`] ?? {};
      for (const property of Object.keys(event.properties)) {
        assert.ok(property in doc, `natDoctor/${event.name}.${property} is documented in telemetry.json`);
      }
    }
  });

  it('replaces enum fields holding anything unexpected by "other"', () => {
    const { telemetry, sent } = recordingTelemetry();
    telemetry.diagnosisCompleted(hostileReport(), 'full', 'command');
    assert.equal(sent[0]?.properties.natType, 'other');
    assert.equal(sent[0]?.properties.cgnatVerdict, 'yes');
    assert.equal(sent[0]?.properties.remote, 'true');
  });

  it('buckets round-trip times and durations and classifies errors by code, not message', () => {
    assert.equal(rttBucket(null), 'none');
    assert.equal(rttBucket(12), '<20ms');
    assert.equal(rttBucket(750), '>=500ms');
    assert.equal(durationBucket(2_000), '1-3s');
    assert.equal(errorKind(hostileError('ENOTFOUND')), 'dns');
    assert.equal(errorKind(hostileError()), 'other');
    assert.equal(errorKind(hostileError(undefined, 'DiagnosisCancelled')), 'cancelled');
  });
});
