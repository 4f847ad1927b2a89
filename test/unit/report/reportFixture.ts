// One report for the unit tests that need one: what `nat-doctor diagnose --json` writes for a
// port-restricted cone NAT, with the fields a test cares about overridden.
import type { NatResult, Report } from '../../../src/core/report/types';

export function sampleReport(overrides: Partial<Report> = {}, nat: Partial<NatResult> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'nat-doctor', version: 'test' },
    startedAt: '2026-11-24T00:00:00.000Z',
    durationMs: 1,
    servers: [{ server: '203.0.113.10:3478', address: '203.0.113.10', rttMs: 1, rfc5780: true }],
    publicAddress: { address: '203.0.113.1', port: 40000 },
    nat: { udp: 'ok', mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', type: 'port-restricted-cone', portPreservation: true, hairpinning: null, alg: false, ...nat },
    cgnat: { verdict: 'no', confidence: 0.9, evidence: [] },
    portMapping: { upnp: { available: false }, natPmp: { available: false }, pcp: { available: false } },
    bindingLifetime: null,
    probes: [],
    recommendations: [],
    ...overrides,
  };
}

/** The same as saved JSON, where a test may also break any field on purpose. */
export function savedReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...sampleReport(), ...overrides };
}
