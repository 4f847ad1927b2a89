// Bench for issue 5's targets: activation ≤ 50 ms and .vsix ≤ 1.5 MB.
// 1. Real VS Code: installs the packaged .vsix into code-server, opens the workbench in Chromium and
//    reads the activation time VS Code itself measured ("Developer: Show Running Extensions"), for
//    NAT Doctor and, as the peer measured in the same run, the built-in Git extension.
// 2. Node only: require(dist/extension.js) + activate() with a stand-in `vscode` module, in fresh
//    processes, against a one-command extension bundled the same way (the peer).
// Usage: npm run package && npm run compile-tests && node bench/vscode-activation.mjs
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const harness = require(join(root, 'out/test/vscode/codeServerHarness.js'));
const vsix = join(root, 'nat-doctor.vsix');
const results = {};

// --- .vsix size -------------------------------------------------------------------------------
const vsixBytes = statSync(vsix).size;
results.vsixBytes = vsixBytes;
results.extensionJsBytes = statSync(join(root, 'dist/extension.js')).size;
console.log(`vsix: ${(vsixBytes / 1024).toFixed(1)} KiB (target ≤ 1536 KiB: ${vsixBytes <= 1.5 * 1024 * 1024 ? 'met' : 'MISSED'}); dist/extension.js ${(results.extensionJsBytes / 1024).toFixed(1)} KiB`);

// --- Node-level activation, fresh process each time ---------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'nat-doctor-bench-'));
const stubDir = join(work, 'node_modules', 'vscode');
mkdirSync(stubDir, { recursive: true });
// Just enough of the API for activate() to run: every call returns a disposable, events never fire.
writeFileSync(join(stubDir, 'index.js'), `
const disposable = { dispose() {} };
const event = () => disposable;
const handler = { get: (target, key) => key in target ? target[key] : (typeof key === 'string' ? anything : undefined) };
function anything() { return new Proxy(function () {}, { get: (t, k) => k === 'then' ? undefined : k === 'dispose' ? () => {} : (k === Symbol.toPrimitive ? () => '' : anything()), apply: () => anything() }); }
class EventEmitter { constructor() { this.event = event; } fire() {} dispose() {} }
class MarkdownString { constructor(v) { this.value = v; } }
class ThemeColor { constructor(id) { this.id = id; } }
const configuration = { inspect: () => ({}), get: () => undefined };
module.exports = new Proxy({
  EventEmitter, MarkdownString, ThemeColor,
  StatusBarAlignment: { Left: 1, Right: 2 }, ExtensionKind: { UI: 1, Workspace: 2 }, ProgressLocation: { Notification: 15 },
  ViewColumn: { Active: -1 }, QuickPickItemKind: { Separator: -1 },
  Uri: { joinPath: (...p) => ({ path: p.join('/') }), file: (p) => ({ fsPath: p }) },
  env: { remoteName: undefined, isTelemetryEnabled: false, clipboard: { writeText: async () => {} } },
  window: new Proxy({ createOutputChannel: () => new Proxy({}, { get: () => () => {} }), createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }) }, handler),
  workspace: { getConfiguration: () => configuration, isTrusted: true, onDidChangeConfiguration: event, onDidGrantWorkspaceTrust: event },
  commands: { registerCommand: () => disposable, executeCommand: async () => undefined },
}, handler);
`);
const peer = join(work, 'peer.js');
writeFileSync(peer, `const vscode = require('vscode'); exports.activate = (c) => { c.subscriptions.push(vscode.commands.registerCommand('peer.hello', () => vscode.window.showInformationMessage('hi'))); };`);
const probe = join(work, 'probe.cjs');
writeFileSync(probe, `
const Module = require('node:module');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? ${JSON.stringify(join(stubDir, 'index.js'))} : resolveFilename.call(this, request, ...rest); };
const start = process.hrtime.bigint();
const ext = require(process.argv[2]);
const loaded = process.hrtime.bigint();
const memento = { get: (k, d) => d, update: async () => {}, keys: () => [] };
ext.activate({ subscriptions: [], globalState: memento, workspaceState: memento, secrets: { get: async () => undefined, store: async () => {} },
  extensionUri: { path: '/x' }, extension: { extensionKind: 1, packageJSON: { version: '0' } } });
const activated = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ loadMs: Number(loaded - start) / 1e6, activateMs: Number(activated - loaded) / 1e6 }));
process.exit(0);
`);
function median(values) { const s = [...values].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }
function nodeActivation(file, runs = 15) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = spawnSync(process.execPath, [probe, file], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`activation probe failed: ${out.stderr}`);
    const { loadMs, activateMs } = JSON.parse(out.stdout);
    samples.push(loadMs + activateMs);
  }
  return median(samples);
}
const ours = nodeActivation(join(root, 'dist/extension.js'));
const theirs = nodeActivation(peer);
results.node = { natDoctorMs: ours, oneCommandPeerMs: theirs, ratio: ours / theirs };
console.log(`node require+activate (median of 15 fresh processes): NAT Doctor ${ours.toFixed(1)} ms, one-command peer ${theirs.toFixed(1)} ms, ratio ${(ours / theirs).toFixed(1)}×`);

// --- Real VS Code (code-server): the activation time VS Code reports ----------------------------
const ready = harness.ensureCodeServer();
if ('skip' in ready) {
  console.log(`code-server: skipped (${ready.skip})`);
} else {
  const folder = join(work, 'workspace');
  mkdirSync(folder);
  const extensionsDir = join(work, 'extensions');
  harness.installExtension(ready.entry, vsix, extensionsDir, join(work, 'install-user-data'));
  const server = await harness.startCodeServer({ entry: ready.entry, folder, extensionsDir, userSettings: { 'natDoctor.stunServers': ['127.0.0.1:9'] } });
  const browser = await harness.launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.statusbar [aria-label^="NAT Doctor:"]').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').first().fill('>Developer: Show Running Extensions');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Running Extensions' }).first().waitFor();
    await page.keyboard.press('Enter');
    const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
    await rows.first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_000);
    const texts = await rows.allInnerTexts();
    const timeOf = (name) => {
      const row = texts.find((t) => t.split('\n')[0]?.trim() === name);
      const match = row && /(\d+)\s*ms/.exec(row);
      return match ? Number(match[1]) : null;
    };
    const natDoctor = timeOf('NAT Doctor');
    const git = timeOf('Git');
    results.vscode = { natDoctorMs: natDoctor, gitPeerMs: git, ratio: natDoctor !== null && git ? natDoctor / git : null };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    await page.screenshot({ path: join(root, 'bench', 'results', 'running-extensions.png') });
    console.log(`VS Code 1.100.3 (code-server) activation as VS Code measures it: NAT Doctor ${natDoctor} ms (target ≤ 50 ms: ${natDoctor !== null && natDoctor <= 50 ? 'met' : 'MISSED'}), built-in Git ${git} ms${results.vscode.ratio ? `, ratio ${results.vscode.ratio.toFixed(2)}×` : ''}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}
rmSync(work, { recursive: true, force: true });
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'vscode-activation.json'), JSON.stringify(results, null, 2) + '\n');
