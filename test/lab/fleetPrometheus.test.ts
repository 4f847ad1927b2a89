// `diagnose --prometheus` behind every NAT the lab builds, checked by Prometheus' own promtool
// (`promtool check metrics`: the exposition format and its naming lint), and the fleet docs
// checked by the real tools: the alert rules (`promtool check rules`, and `promtool test rules`
// for when each fires), the Grafana queries of docs/fleet.md (parsed as PromQL by promtool) and the
// systemd units (`systemd-analyze verify`).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertCliBuilt, CLI_PATH, REPO_ROOT, runCli } from './cliRunner';
import { startCoturn } from './coturn';
import { parseExposition, samples } from './exposition';
import { labGate } from './labEnv';
import { buildNatTopology, CARRIER, INTERNET, LAN, STUN_PRIMARY, type NatBehavior, type NatTopology, type NatTopologyOptions } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver', 'promtool']);
const STUN = `${STUN_PRIMARY}:3478`;
const FLEET_DOCS = join(REPO_ROOT, 'docs/fleet');

interface Case {
  name: string;
  options: NatTopologyOptions;
  /** natdoctor_info's nat_type label behind this NAT (test/lab/natBehavior.test.ts proves the verdicts). */
  natType: string;
  extraArgs?: string[];
}

const CASES: Case[] = [
  ...(
    [
      ['none', 'open-internet'],
      ['firewall', 'symmetric-udp-firewall'],
      ['full-cone', 'full-cone'],
      ['restricted-cone', 'restricted-cone'],
      ['port-restricted-cone', 'port-restricted-cone'],
      ['symmetric', 'symmetric'],
      ['udp-blocked', 'udp-blocked'],
    ] as Array<[NatBehavior, string]>
  ).map(([behavior, natType]) => ({ name: behavior, options: { behavior }, natType })),
  { name: 'full-cone home router behind a symmetric carrier NAT (CGNAT)', options: { behavior: 'full-cone', carrier: { behavior: 'symmetric' } }, natType: 'symmetric' },
  // The binding lifetime too: a NAT that forgets idle UDP after 6 s, measured with --lifetime.
  { name: 'port-restricted-cone with a 6 s UDP timeout, --lifetime', options: { behavior: 'port-restricted-cone', udpTimeoutSec: 6 }, natType: 'port-restricted-cone', extraArgs: ['--lifetime'] },
];

/** Addresses of the machine and its routers: none may appear in the metrics (servers may). */
function privateAddresses(topology: NatTopology): RegExp[] {
  return [topology.clientAddress, INTERNET.router, CARRIER.home, LAN.router].map((a) => new RegExp(`${a.replace(/\./g, '\\.')}(?![0-9])`));
}

describe('diagnose --prometheus passes promtool check metrics behind every lab NAT', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  const topologies = new Map<string, NatTopology>();
  after(() => lab?.close());
  before(async () => {
    gate.assertReady();
    assertCliBuilt();
    const owned = (lab = new Lab());
    await Promise.all(
      CASES.map(async (c) => {
        const topology = await buildNatTopology(owned, c.options);
        await startCoturn(topology.publicNs, { addresses: topology.serverAddresses });
        topologies.set(c.name, topology);
      }),
    );
  });

  for (const c of CASES) {
    test(c.name, { timeout: 90_000 }, async (t) => {
      const topology = topologies.get(c.name);
      assert.ok(topology && lab, `no topology for ${c.name}`);
      const timeoutMs = c.extraArgs?.includes('--lifetime') ? 60_000 : 8_000;
      const run = await runCli(topology.client, ['diagnose', '--prometheus', '--stun', STUN, '--probe', `${STUN}/stun`, '--timeout', String(timeoutMs), ...(c.extraArgs ?? [])], timeoutMs + 10_000);
      assert.equal(run.code, 0, run.stderr);
      const promtool = await lab.runCommand('promtool', ['check', 'metrics'], { input: run.stdout });
      t.diagnostic(`promtool: exit ${promtool.code} ${promtool.stdout}${promtool.stderr}`);
      assert.equal(promtool.code, 0, `${promtool.stdout}${promtool.stderr}\n${run.stdout}`);
      assert.equal((promtool.stdout + promtool.stderr).trim(), '', 'no lint problem');

      const e = parseExposition(run.stdout);
      const info = samples(e, 'natdoctor_info');
      assert.equal(info.length, 1);
      assert.equal(info[0]?.labels.nat_type, c.natType, run.stdout);
      const blocked = c.natType === 'udp-blocked';
      assert.equal(samples(e, 'natdoctor_udp_ok')[0]?.value, blocked ? 0 : 1);
      const probe = samples(e, 'natdoctor_probe_open')[0];
      assert.deepEqual([probe?.labels.target, probe?.labels.state], [`${STUN}/stun`, blocked ? 'open|filtered' : 'open']);
      assert.deepEqual(samples(e, 'natdoctor_connectivity_state').filter((s) => s.value === 1).map((s) => s.labels.state), [blocked ? 'udp-blocked' : 'online']);
      if (!blocked) {
        assert.equal(samples(e, 'natdoctor_stun_rtt_seconds')[0]?.labels.server, STUN);
        // The lab's links are plain 1500-byte Ethernet.
        assert.deepEqual(samples(e, 'natdoctor_path_mtu_bytes').map((s) => s.value), [1500]);
      }
      if (c.extraArgs?.includes('--lifetime')) {
        const lifetime = samples(e, 'natdoctor_binding_lifetime_seconds')[0]?.value;
        assert.ok(lifetime !== undefined && lifetime >= 3 && lifetime <= 12, `lifetime ${lifetime} s for a 6 s NAT timeout`);
      }
      for (const address of privateAddresses(topology)) assert.doesNotMatch(run.stdout, address, 'an address of this machine or its routers');
    });
  }
});

const docsGate = labGate(['promtool', 'systemd-analyze']);
describe('the fleet docs pass the real tools', { skip: docsGate.skip }, () => {
  let lab: Lab | undefined;
  after(() => lab?.close());
  before(() => {
    docsGate.assertReady();
    lab = new Lab();
  });

  test('the example alert rules pass promtool check rules', async () => {
    assert.ok(lab);
    const run = await lab.runCommand('promtool', ['check', 'rules', join(FLEET_DOCS, 'natdoctor-alerts.rules.yml')]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /SUCCESS: 6 rules found/);
  });

  test('each alert fires when it should and not before (promtool test rules)', async () => {
    assert.ok(lab);
    const run = await lab.runCommand('promtool', ['test', 'rules', join(REPO_ROOT, 'test/fixtures/fleet/natdoctor-alerts.test.yml')]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /SUCCESS/);
  });

  test('the Grafana queries of docs/fleet.md are valid PromQL', async () => {
    assert.ok(lab);
    const queries = [...readFileSync(join(REPO_ROOT, 'docs/fleet.md'), 'utf8').matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim());
    assert.ok(queries.length >= 5, `${queries.length} queries found`);
    // promtool parses PromQL in rule files: each query becomes a recording rule (JSON is YAML).
    const rules = { groups: [{ name: 'grafana', rules: queries.map((expr, i) => ({ record: `natdoctor:grafana_query_${i}`, expr })) }] };
    const file = join(lab.tempDir('grafana'), 'queries.rules.yml');
    writeFileSync(file, JSON.stringify(rules));
    const run = await lab.runCommand('promtool', ['check', 'rules', file]);
    assert.equal(run.code, 0, `${run.stdout}${run.stderr}\n${queries.join('\n')}`);
  });

  test('the systemd units pass systemd-analyze verify', async () => {
    assert.ok(lab);
    // The units name the installed command; here it is the built CLI.
    const dir = lab.tempDir('units');
    const units = readdirSync(FLEET_DOCS).filter((f) => /\.(service|timer)$/.test(f));
    assert.deepEqual(units.sort(), ['nat-doctor-monitor.service', 'nat-doctor-textfile.service', 'nat-doctor-textfile.timer']);
    for (const unit of units) {
      const text = readFileSync(join(FLEET_DOCS, unit), 'utf8');
      if (unit.endsWith('.service')) assert.match(text, /\/usr\/local\/bin\/nat-doctor (monitor|diagnose) /);
      writeFileSync(join(dir, unit), text.replaceAll('/usr/local/bin/nat-doctor', `${process.execPath} ${CLI_PATH}`));
    }
    const run = await lab.runCommand('systemd-analyze', ['verify', ...units.map((u) => join(dir, u))]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal((run.stdout + run.stderr).trim(), '', 'no warning (an unknown key is only a warning)');
  });
});
