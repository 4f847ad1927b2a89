// A saved report as `nat-doctor diagnose --json` writes it, for tests that read reports back.
// Plain JSON-shaped data (overrides may be malformed on purpose).

export function savedReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 1,
    tool: { name: 'nat-doctor', version: '0.1.0' },
    startedAt: '2026-11-24T00:00:00.000Z',
    durationMs: 700,
    servers: [{ server: '203.0.113.10:3478', address: '203.0.113.10', rttMs: 4, rfc5780: true }],
    publicAddress: { address: '198.51.100.7', port: 40000 },
    nat: { udp: 'ok', mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', type: 'port-restricted-cone', portPreservation: true, hairpinning: null, alg: false },
    cgnat: { verdict: 'no', confidence: 0.8, evidence: [] },
    portMapping: { upnp: { available: false }, natPmp: { available: false }, pcp: { available: false } },
    bindingLifetime: null,
    probes: [],
    recommendations: [],
    ...overrides,
  };
}
