// ike / ike-natt against a real strongSwan charon (5.9.8) in the public namespace, reached through
// the lab's masquerade NAT (client 192.0.2.2 → router 203.0.113.1 → server). One charon serves both
// cases: no IKE config for 203.0.113.10, a PSK connection (MODP2048 only) for 203.0.113.11.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { INTERNET, STUN_ALTERNATE, STUN_PRIMARY, type NatTopology } from './natTopology';
import { engineIn, probeIn, probeLabGate, useProbeLab, startCharon, type Charon } from './probeServers';

const gate = probeLabGate(['swanctl', 'ss', 'unshare'], true);

const SWANCTL_CONF = `connections {
  lab {
    version = 2
    local_addrs = ${STUN_ALTERNATE}
    proposals = aes256-sha256-modp2048
    local {
      auth = psk
      id = vpn.lab.example
    }
    remote {
      auth = psk
    }
    children {
      lab {
        esp_proposals = aes256-sha256
      }
    }
  }
}
secrets {
  ike-lab {
    secret = "lab-only-psk-not-a-secret"
  }
}
`;

describe('ike probe against strongSwan charon through a NAT', { skip: gate.skip }, () => {
  let topology: NatTopology;
  let charon: Charon;
  const fixture = useProbeLab(gate, 'ike');
  before(async () => {
    topology = fixture.topology;
    charon = await startCharon(topology.publicNs, fixture.dir);
    await charon.load(SWANCTL_CONF);
  });

  test('no IKE config: NO_PROPOSAL_CHOSEN is an answer, so UDP 500 is open', async () => {
    const { result } = await probeIn(topology.client, `${STUN_PRIMARY}:500/ike`);
    assert.equal(result.state, 'open');
    assert.equal(typeof result.rttMs, 'number');
    assert.match(result.detail, /^IKEv2 responder answered NO_PROPOSAL_CHOSEN \(no IKE config matches this client address/);
    await charon.process.waitForOutput(/no IKE config found for .*sending NO_PROPOSAL_CHOSEN/, 5_000);
  });

  test('with a config: INVALID_KE_PAYLOAD → MODP2048 retry → full answer that reveals the NAT', async () => {
    const { result } = await probeIn(topology.client, `${STUN_ALTERNATE}:500/ike`);
    assert.equal(result.state, 'open');
    assert.match(result.detail, /^IKEv2 responder accepted our IKE_SA_INIT, chose AES_CBC_256\/HMAC_SHA2_256_128\/PRF_HMAC_SHA2_256\/MODP_2048 after INVALID_KE_PAYLOAD → group 14; a NAT sits between you and this server$/);
    await charon.process.waitForOutput(/remote host is behind NAT/, 5_000);
  });

  test('knowing the public address, the NAT-D hash gives the mapped port', async () => {
    const {
      results: [result],
    } = await engineIn(topology.client, { targets: [`${STUN_ALTERNATE}:500/ike`], publicAddress: INTERNET.router });
    assert.ok(result);
    // A masquerade NAT keeps the source port when it is free.
    assert.match(result.detail, /a NAT sits between you and this server \(your mapped port \d+, the NAT kept your source port\)/);
  });

  test('ike-natt: the same probe behind the non-ESP marker reaches UDP 4500', async () => {
    const { result } = await probeIn(topology.client, `${STUN_PRIMARY}:4500/ike-natt`);
    assert.equal(result.state, 'open');
    assert.match(result.detail, /^IKEv2 responder answered NO_PROPOSAL_CHOSEN/);
  });

  test('after 3 half-open SAs strongSwan demands a COOKIE; the probe answers it and still gets the full answer', async () => {
    // Five full exchanges from one client address (the politeness limit lifted for this test only):
    // strongSwan's cookie_threshold_ip is 3, so the later ones must go through N(COOKIE).
    const { results } = await engineIn(topology.client, { targets: Array(4).fill(`${STUN_ALTERNATE}:500/ike`), ikeLimit: 10, sequential: true });
    assert.equal(results.length, 4);
    for (const r of results) assert.equal(r.state, 'open');
    assert.ok(results.some((r) => /after COOKIE, INVALID_KE_PAYLOAD → group 14/.test(r.detail)), results.map((r) => r.detail).join('\n'));
  });
});
