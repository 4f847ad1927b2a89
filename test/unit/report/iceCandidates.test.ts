import { strict as assert } from 'node:assert';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, it } from 'node:test';
import { hostAddresses } from '../../../src/core/netinfo/uplink';
import { iceCandidates } from '../../../src/core/report/iceCandidates';

function info(address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  const common = { address, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

describe('ICE candidates', () => {
  it('host addresses are the IPv4 ones an ICE agent would offer: no loopback, no link-local, VPNs marked', () => {
    const found = hostAddresses({
      lo: [info('127.0.0.1', 'IPv4', true)],
      eth0: [info('192.168.1.20', 'IPv4'), info('fe80::1', 'IPv6')],
      wlan0: [info('169.254.7.7', 'IPv4')],
      wg0: [info('10.8.0.2', 'IPv4')],
    });
    assert.deepEqual(found, [
      { interface: 'eth0', address: '192.168.1.20', overlay: false },
      { interface: 'wg0', address: '10.8.0.2', overlay: true },
    ]);
  });

  it('the report model builds candidates from data alone: uplink first, then srflx, then relays', () => {
    const uplink = {
      address: '192.168.1.20',
      hostAddresses: [
        { interface: 'wg0', address: '10.8.0.2', overlay: true },
        { interface: 'eth0', address: '192.168.1.20', overlay: false },
      ],
    };
    const relay = { type: 'relay' as const, address: '198.51.100.9', port: 50000, source: 'TURN 198.51.100.9:3478/turn' };
    assert.deepEqual(iceCandidates(uplink, { address: '203.0.113.1', port: 40000 }, [relay]), [
      { type: 'host', address: '192.168.1.20', port: null, source: 'eth0' },
      { type: 'host', address: '10.8.0.2', port: null, source: 'wg0 (VPN)' },
      { type: 'srflx', address: '203.0.113.1', port: 40000, source: 'STUN' },
      relay,
    ]);
    // No NAT: the public address is a host address, not a second candidate.
    assert.equal(iceCandidates({ address: '203.0.113.1', hostAddresses: [{ interface: 'eth0', address: '203.0.113.1', overlay: false }] }, { address: '203.0.113.1', port: 40000 }).length, 1);
  });
});
