// The npm package as a user gets it: `npm pack` (which builds in `prepack`) holds only the CLI
// bundle and the docs; `npm install -g` of the tarball into a prefix of its own gives a working
// `nat-doctor`, and so does `npx --package TARBALL nat-doctor`. Both install offline (the bundle
// carries its code: no dependency to fetch) and then diagnose a real NAT from the lab's client
// namespace, where no registry is reachable.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Report } from '../../src/core/report/types';
import { REPO_ROOT } from './cliRunner';
import { startCoturn } from './coturn';
import { labGate } from './labEnv';
import { buildNatTopology, INTERNET, STUN_ALTERNATE, STUN_PRIMARY, type NatTopology } from './natTopology';
import { Lab } from './netns';

const gate = labGate(['turnserver', 'npm', 'npx']);
const STUN = `${STUN_PRIMARY}:3478`;
const MAX_FILES = 40;
/** What `files` allows, plus package.json, which npm always packs. */
const EXPECTED_FILES = ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'package.json'];

interface Packed {
  filename: string;
  files: { path: string }[];
}

describe('the npm package, packed, installed and run', { skip: gate.skip }, () => {
  let lab: Lab | undefined;
  let topology: NatTopology | undefined;
  let work = '';
  let tarball = '';
  let packed: Packed | undefined;
  const npmFlags = (): string[] => ['--cache', join(work, 'npm-cache'), '--offline', '--no-audit', '--no-fund', '--loglevel=error'];

  before(async () => {
    gate.assertReady();
    work = mkdtempSync(join(tmpdir(), 'nat-doctor-npm-'));
    const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 180_000 });
    assert.equal(pack.status, 0, `npm pack failed:\n${pack.stderr}`);
    [packed] = JSON.parse(pack.stdout) as Packed[];
    assert.ok(packed);
    tarball = join(work, packed.filename);
    lab = new Lab();
    topology = await buildNatTopology(lab, { behavior: 'port-restricted-cone' });
    await startCoturn(topology.publicNs, { addresses: [STUN_PRIMARY, STUN_ALTERNATE] });
  });
  after(async () => {
    await lab?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test(`npm pack holds the CLI bundle, README, LICENSE and CHANGELOG only (≤ ${MAX_FILES} files), and needs no dependency`, () => {
    const files = (packed?.files ?? []).map((f) => f.path).sort();
    assert.deepEqual(files, EXPECTED_FILES);
    assert.ok(files.length <= MAX_FILES);
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; scripts: Record<string, string> };
    assert.deepEqual(manifest.dependencies ?? {}, {}, 'the bundle carries its code: installing fetches nothing');
    assert.match(manifest.scripts.prepack ?? '', /scripts\/build\.mjs/, 'npm pack builds first');
  });

  test('npm install -g of the tarball gives a nat-doctor that diagnoses the NAT it sits behind', async () => {
    const prefix = join(work, 'global');
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, ...npmFlags(), tarball], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(install.status, 0, `npm install -g failed:\n${install.stderr}`);
    const bin = join(prefix, 'bin', 'nat-doctor');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    const run = await topology!.client.run(bin, ['diagnose', '--stun', STUN, '--timeout', '8000'], { timeoutMs: 30_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^Path  you 192\\.0\\.2\\.2 → router 192\\.0\\.2\\.1 → internet ${INTERNET.router.replace(/\./g, '\\.')} → STUN [\\d.]+ ms$`, 'm'));
    assert.match(run.stdout, /Port-restricted cone NAT/);
    assert.ok(!run.stdout.includes('\x1b'), 'no colour into a pipe');
  });

  test('npx --package TARBALL nat-doctor diagnose works where no registry can be reached', async () => {
    const cwd = join(work, 'elsewhere');
    mkdirSync(cwd);
    const run = await topology!.client.run('npx', ['--yes', ...npmFlags(), '--package', tarball, 'nat-doctor', 'diagnose', '--stun', STUN, '--json', '--timeout', '8000'],
      { cwd, timeoutMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.nat.type, 'port-restricted-cone');
    assert.equal(report.publicAddress?.address, INTERNET.router);
  });
});
