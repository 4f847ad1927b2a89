import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseNatPmpExternalAddress } from '../../../src/core/portmap/natPmp';
import { encodePcpAnnounce, parsePcpReply } from '../../../src/core/portmap/pcp';
import { findWanService, parseSsdpResponse, soapValue } from '../../../src/core/portmap/upnpIgd';
import { parseBsdRouteGet, parseProcNetRoute, parseWindowsRoutePrint } from '../../../src/core/netinfo/uplink';
import { addressKind } from '../../../src/core/net/addressRanges';

describe('NAT-PMP (RFC 6886 §3.2)', () => {
  it('reads the external address response', () => {
    assert.deepEqual(parseNatPmpExternalAddress(Buffer.from('008000000000abcdcb007101', 'hex')), { resultCode: 0, externalAddress: '203.0.113.1' });
  });
  it('reads result 3 (network failure) as miniupnpd sends it behind another NAT', () => {
    assert.equal(parseNatPmpExternalAddress(Buffer.from('008000030000abcd00000000', 'hex'))?.resultCode, 3);
  });
  it('rejects other opcodes and lengths', () => {
    assert.equal(parseNatPmpExternalAddress(Buffer.from('008100000000abcdcb007101', 'hex')), null);
    assert.equal(parseNatPmpExternalAddress(Buffer.from('0080000000', 'hex')), null);
  });
});

describe('PCP ANNOUNCE (RFC 6887 §7.1, §14.1)', () => {
  it('encodes version 2, opcode 0, lifetime 0 and the client address as ::ffff:a.b.c.d', () => {
    assert.equal(encodePcpAnnounce('192.0.2.2').toString('hex'), '020000000000000000000000000000000000ffffc0000202');
  });
  it('reads success and ADDRESS_MISMATCH', () => {
    const reply = (code: number) => Buffer.from(`0280000${code.toString(16)}` + '00'.repeat(20), 'hex');
    assert.equal(parsePcpReply(reply(0))?.resultCode, 0);
    assert.match(parsePcpReply(reply(12))?.error ?? '', /address mismatch/);
  });
  it('recognises a NAT-PMP-only router answering "unsupported version"', () => {
    assert.equal(parsePcpReply(Buffer.from('0080000100001234', 'hex'))?.natPmpOnly, true);
  });
  it('ignores garbage', () => {
    assert.equal(parsePcpReply(Buffer.from('ff'.repeat(24), 'hex')), null);
  });
});

describe('UPnP IGD discovery and SOAP', () => {
  const ssdp = 'HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nLOCATION: http://192.0.2.1:5000/rootDesc.xml\r\n\r\n';
  it('takes LOCATION from an IGD answer', () => {
    assert.equal(parseSsdpResponse(ssdp), 'http://192.0.2.1:5000/rootDesc.xml');
  });
  it('ignores answers from other device types', () => {
    assert.equal(parseSsdpResponse(ssdp.replace('InternetGatewayDevice', 'MediaRenderer')), null);
  });
  it('finds the WANIPConnection control URL relative to the description', () => {
    const xml = '<root><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/L3F</controlURL></service><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>/ctl/IPConn</controlURL></service></serviceList></device></root>';
    const found = findWanService(xml, new URL('http://192.0.2.1:5000/rootDesc.xml'));
    assert.equal(found?.controlUrl.href, 'http://192.0.2.1:5000/ctl/IPConn');
  });
  it('reads SOAP values, telling an empty address from a missing one', () => {
    assert.equal(soapValue('<u:X><NewExternalIPAddress>203.0.113.1</NewExternalIPAddress></u:X>', 'NewExternalIPAddress'), '203.0.113.1');
    assert.equal(soapValue('<u:X><NewExternalIPAddress></NewExternalIPAddress></u:X>', 'NewExternalIPAddress'), '');
    assert.equal(soapValue('<u:X><NewExternalIPAddress/></u:X>', 'NewExternalIPAddress'), '');
    assert.equal(soapValue('<u:X></u:X>', 'NewExternalIPAddress'), null);
  });
});

describe('default route, per operating system', () => {
  it('reads /proc/net/route (hex little-endian)', () => {
    const text = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n';
    assert.deepEqual(parseProcNetRoute(text), { iface: 'eth0', gateway: '192.0.2.1' });
  });
  it('reads macOS route -n get default', () => {
    assert.deepEqual(parseBsdRouteGet('   route to: default\ndestination: default\n    gateway: 192.0.2.1\n  interface: en0\n'), { iface: 'en0', gateway: '192.0.2.1' });
  });
  it('reads Windows route print, lowest metric first', () => {
    const text = 'Network Destination        Netmask          Gateway       Interface  Metric\n          0.0.0.0          0.0.0.0      192.0.2.1    192.0.2.20     35\n          0.0.0.0          0.0.0.0    198.51.100.1  198.51.100.9     25\n';
    assert.deepEqual(parseWindowsRoutePrint(text), { gateway: '198.51.100.1', address: '198.51.100.9' });
  });
});

describe('address ranges', () => {
  const table: Array<[string, string]> = [
    ['100.64.0.1', 'cgnat'], ['100.127.255.254', 'cgnat'], ['100.128.0.1', 'public'],
    ['10.1.2.3', 'private'], ['172.31.0.1', 'private'], ['172.32.0.1', 'public'], ['192.168.0.1', 'private'],
    ['127.0.0.1', 'loopback'], ['169.254.1.1', 'link-local'], ['203.0.113.1', 'public'], ['2001:db8::1', 'other'],
  ];
  for (const [ip, kind] of table) it(`${ip} is ${kind}`, () => assert.equal(addressKind(ip), kind));
});
