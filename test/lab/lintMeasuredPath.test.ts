// From a measured PMTU black hole to the config fix: a 1400-byte WAN whose router drops
// "fragmentation needed", diagnosed for real; the report recommends the tunnel MTU that fits, and
// `nat-doctor lint --report` with that very report offers the same numbers as fixes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertCliBuilt, diagnoseIn, runCli } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver']);
const PRIV = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const PUB = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';

describe('lint --report with a measured path-MTU black hole', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let topology: NatTopology;
  let dir = '';
  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    lab = new Lab();
    dir = mkdtempSync(join(tmpdir(), 'nd-lint-mtu-'));
    topology = await buildNatTopology(lab, { behavior: 'port-restricted-cone', wanMtu: 1400, pmtuBlackHole: true });
    await startCoturn(topology.publicNs, { addresses: topology.serverAddresses });
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await lab?.close();
  });

  test('the report recommends MTU = path − 60 and mssfix PATH mtu, and lint --report fixes the configs with the same numbers', { timeout: 60_000 }, async () => {
    const { run } = await diagnoseIn(topology.client, [`${STUN_PRIMARY}:3478`]);
    const reportFile = join(dir, 'report.json');
    writeFileSync(reportFile, run.stdout);
    const report = JSON.parse(run.stdout) as { pathMtu?: { bytes: number | null; blackHole: boolean | null }; recommendations: { id: string; message: string }[] };
    const bytes = report.pathMtu?.bytes ?? 0;
    assert.ok(report.pathMtu?.blackHole === true && bytes >= 1392 && bytes <= 1400, JSON.stringify(report.pathMtu));
    assert.ok(report.recommendations.some((r) => r.id === 'mtu-black-hole'), JSON.stringify(report.recommendations));
    const advice = report.recommendations.find((r) => r.id === 'tunnel-mtu')?.message ?? '';
    assert.match(advice, new RegExp(`set MTU = ${bytes - 60} in \\[Interface\\].*mssfix ${bytes} mtu for TCP.*tun-mtu ${bytes - 60} so that`), advice);

    const wg = join(dir, 'wg0.conf');
    writeFileSync(wg, `[Interface]\nPrivateKey = ${PRIV}\nAddress = 10.0.0.2/32\n\n[Peer]\nPublicKey = ${PUB}\nAllowedIPs = 10.0.0.0/24\nEndpoint = 198.51.100.1:51820\nPersistentKeepalive = 25\n`);
    const ovpn = join(dir, 'client.ovpn');
    writeFileSync(ovpn, 'client\ndev tun\nproto udp\nremote 198.51.100.1 1194\nkeepalive 10 60\ntun-mtu 1500\n');
    const lint = await runCli(topology.client, ['lint', wg, ovpn, '--report', reportFile, '--json']);
    assert.equal(lint.code, 0, lint.stderr);
    const findings = lint.json as { ruleId: string; severity: string; fix?: { edits: { text: string }[] } }[];
    const fixes = findings.filter((f) => f.ruleId.endsWith('/mtu-too-large')).map((f) => `${f.ruleId} ${f.severity} ${f.fix?.edits.map((e) => e.text).join('')}`);
    assert.deepEqual(fixes.sort(), [
      `openvpn/mtu-too-large warning mssfix ${bytes} mtu\n`,
      `openvpn/mtu-too-large warning ${bytes - 60}`,
      `wireguard/mtu-too-large warning MTU = ${bytes - 60}\n`,
    ].sort());
  });
});
