// miniupnpd (Debian 2.3.1, nftables backend) on a lab router: UPnP IGD, NAT-PMP and PCP. Ready
// once it logs that NAT-PMP/PCP listens (it logs HTTP before that). Its lease file records every
// port mapping it holds, so a test can prove that none was left behind.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabProcess, Netns } from './netns';

export interface Miniupnpd {
  process: LabProcess;
  /** Port mappings miniupnpd holds right now (lines of its lease file). */
  leases(): string[];
  stop(): Promise<void>;
}

export async function startMiniupnpd(router: Netns, options: { wan: string; lan: string; lanSubnet: string }): Promise<Miniupnpd> {
  const dir = router.lab.tempDir('miniupnpd');
  const leaseFile = join(dir, 'leases');
  const config = join(dir, 'miniupnpd.conf');
  writeFileSync(
    config,
    [
      `ext_ifname=${options.wan}`,
      `listening_ip=${options.lan}`,
      'enable_natpmp=yes',
      'enable_upnp=yes',
      'secure_mode=yes',
      'system_uptime=yes',
      `lease_file=${leaseFile}`,
      'uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07d',
      `allow 1024-65535 ${options.lanSubnet} 1024-65535`,
      'deny 0-65535 0.0.0.0/0 0-65535',
      '',
    ].join('\n'),
  );
  const proc = router.spawn('miniupnpd', ['-f', config, '-d', '-P', join(dir, 'miniupnpd.pid')]);
  const stop = (): Promise<void> => proc.stop(); // the lab removes dir
  try {
    await proc.waitForOutput(/Listening for NAT-PMP\/PCP traffic on port 5351/, 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  const leases = (): string[] => (existsSync(leaseFile) ? readFileSync(leaseFile, 'utf8').split('\n').filter((l) => l.trim() !== '') : []);
  return { process: proc, leases, stop };
}
