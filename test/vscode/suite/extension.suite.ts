/// <reference types="mocha" />
// Extension-host tests: run inside a real VS Code (code-server's Node extension host here, Electron
// through @vscode/test-electron on a desktop). They drive the packaged commands against the real
// engine and a real STUN exchange on loopback, and read what the status bar and the report
// webview show through the API activate() returns.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { escapeMarkdown } from '../../../src/core/report/markdownReport';
import { PairSide, type PairResult } from '../../../src/core/p2p/pairTest';
import type { PairPrediction } from '../../../src/core/p2p/pairPrediction';
import type { Report } from '../../../src/core/report/types';
import type { NatDoctorApi } from '../../../src/vscode/context';
import { sampleReport, savedReport } from '../../unit/report/reportFixture';
import { startStunResponder, type StunResponder } from './stunResponder';

const EXTENSION_ID = 'nat-doctor.nat-doctor';
/** Registered but not in the palette: the "Probe endpoint" CodeLens runs it with its arguments. */
const LENS_COMMANDS = ['natDoctor.probeEndpoint'];

async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000, describeState?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${describeState ? `; now: ${describeState()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('natDoctor').update(key, value, vscode.ConfigurationTarget.Global);
}

suite('NAT Doctor in VS Code', () => {
  let api: NatDoctorApi;
  let contributedCommands: string[];
  let stun: StunResponder;
  let silent: StunResponder;

  suiteSetup(async function () {
    // The restricted-mode run (workspaceTrust.suite.ts) has its own expectations about settings.
    if (!vscode.workspace.isTrusted) this.skip();
    stun = await startStunResponder();
    silent = await startStunResponder({ silent: true });
    const extension = vscode.extensions.getExtension<NatDoctorApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    const contributes = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes;
    contributedCommands = contributes.commands.map((c) => c.command);
    await setSetting('stunServers', [`127.0.0.1:${stun.port}`]);
    await setSetting('timeoutMs', 5_000);
  });

  suiteTeardown(async () => {
    if (!vscode.workspace.isTrusted) return;
    for (const key of ['stunServers', 'timeoutMs', 'hideAddresses', 'monitor.intervalMinutes', 'statusBar.enabled']) await setSetting(key, undefined);
    await stun?.close();
    await silent?.close();
  });

  test('activates and registers exactly the commands package.json contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const command of contributedCommands) assert.ok(registered.has(command), `${command} is registered`);
    const ours = [...registered].filter((c) => c.startsWith('natDoctor.') && !LENS_COMMANDS.includes(c));
    assert.deepEqual(ours.sort(), [...contributedCommands].sort(), 'every registered command is contributed (palette, keybindings)');
    assert.equal(api.statusBarVisible(), true, 'the status bar item is shown by default');
    assert.notEqual(api.monitorState(), 'disabled');
  });

  test('Quick Check against a local STUN server updates the status bar', async () => {
    const before = stun.requests;
    const report = await vscode.commands.executeCommand<Report | undefined>('natDoctor.quickCheck');
    assert.ok(report, 'the quick check returns a report');
    assert.ok(stun.requests > before, 'the engine really asked our STUN server');
    assert.equal(report.servers[0]?.server, `127.0.0.1:${stun.port}`);
    assert.equal(report.nat.udp, 'ok');
    assert.ok(report.ranOn, 'the report says where the probes ran');
    const view = api.statusBarView();
    assert.doesNotMatch(view.text, /Checking|^\$\(globe\) NAT$/, `status bar shows a verdict, not the idle text: ${view.text}`);
    assert.match(view.text, /^\$\([a-z-]+\) /, 'one codicon first');
    assert.match(view.tooltipMarkdown, /Last check/);
    assert.match(view.tooltipMarkdown, /\| Public address \| 127\\\.0\\\.0\\\.1:\d+ \|/, 'public address shown');
    assert.match(view.accessibilityLabel, /^NAT Doctor: /);
  });

  test('hideAddresses hides the public address in the tooltip', async () => {
    await setSetting('hideAddresses', true);
    const addressRow = () => /\| Public address \| ([^|]*) \|/.exec(api.statusBarView().tooltipMarkdown)?.[1] ?? '';
    await waitFor('the tooltip to hide the address', () => addressRow().startsWith('hidden'), 10_000, addressRow);
    assert.doesNotMatch(addressRow(), /127/);
    await setSetting('hideAddresses', undefined);
  });

  test('Run Diagnostics opens the report panel and the webview renders the report', async () => {
    const report = await vscode.commands.executeCommand<Report | undefined>('natDoctor.runDiagnostics');
    assert.ok(report, 'a full report');
    const rendered = await waitFor('the webview to render the report', () => {
      const panel = api.reportPanel();
      return panel.lastRendered?.startedAt === report.startedAt ? panel.lastRendered : undefined;
    }, 30_000);
    assert.equal(api.reportPanel().isOpen, true);
    assert.equal(rendered.sections[0], 'recommendations', 'recommendations come first');
    for (const section of ['summary', 'nat', 'cgnat', 'servers', 'history']) {
      assert.ok(rendered.sections.includes(section), `the ${section} section is rendered (${rendered.sections.join(', ')})`);
    }
    const delivered = api.reportPanel().lastDelivered;
    assert.equal(delivered?.type, 'report');
    if (delivered?.type !== 'report') return;
    assert.equal(delivered.startedAt, report.startedAt);
    assert.ok(!('report' in delivered), 'the webview gets the rows it renders, not the Report');
    // One vocabulary: the panel, the status bar and the history name the NAT with the same words.
    const natType = delivered.sections.find((s) => s.id === 'summary')?.rows.find((r) => r.label === 'NAT type')?.value;
    assert.ok(natType, 'the summary names the NAT type');
    assert.equal(api.statusBarView().text.replace(/^\$\([a-z-]+\) /, '').split(' · ')[0], natType, 'the status bar uses the panel\'s words');
    assert.equal(delivered.history[delivered.historyIndex]?.summary.split(' · ')[0], natType, 'the history uses the panel\'s words');
  });

  test('hideAddresses also hides the public address in the report panel and the copied Markdown', async () => {
    await setSetting('hideAddresses', true);
    try {
      await waitFor('the extension to read natDoctor.hideAddresses', () => api.settings().settings.hideAddresses);
      const before = api.reportPanel().lastDelivered;
      await vscode.commands.executeCommand('natDoctor.showReport');
      const delivered = await waitFor('the panel to receive the report again', () => {
        const message = api.reportPanel().lastDelivered;
        return message !== before && message?.type === 'report' ? message : undefined;
      });
      const row = delivered.sections.flatMap((s) => s.rows).find((r) => r.label === 'Public address');
      assert.equal(row?.value, 'hidden');
      const shown = api.history().find((e) => e.report.startedAt === delivered.startedAt)?.report.publicAddress;
      assert.ok(shown, 'the report shown has a public address to hide');
      const address = `${shown.address}:${shown.port}`;
      assert.ok(!JSON.stringify(delivered).includes(address), 'the public address never reaches the webview');
      const markdown = await vscode.commands.executeCommand<string | undefined>('natDoctor.copyReport');
      assert.ok(markdown && !markdown.includes(address) && !markdown.includes(escapeMarkdown(address)), 'no public address in the Markdown');
    } finally {
      await setSetting('hideAddresses', undefined);
    }
  });

  test('Copy Report as Markdown and Export Report as JSON write the latest report', async () => {
    const markdown = await vscode.commands.executeCommand<string | undefined>('natDoctor.copyReport');
    assert.ok(markdown?.startsWith('# NAT Doctor report'), 'Markdown from core/report/markdownReport');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nat-doctor-export-'));
    const target = vscode.Uri.file(path.join(folder, 'report.json'));
    let exported: Report;
    try {
      const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('natDoctor.exportReport', 0, target);
      assert.equal(written?.fsPath, target.fsPath);
      exported = JSON.parse(fs.readFileSync(target.fsPath, 'utf8')) as Report;
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
    assert.equal(exported.schemaVersion, 1);
    assert.equal(exported.tool.name, 'nat-doctor');
    assert.equal(exported.servers[0]?.server, `127.0.0.1:${stun.port}`);
  });

  test('Compare with a Peer\'s Report… predicts from the newest report and an exported one, in the report panel', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nat-doctor-peer-'));
    const file = path.join(folder, 'peer-report.json');
    // An older report (no portAllocation) of a symmetric NAT: the prediction must still come.
    fs.writeFileSync(file, JSON.stringify(savedReport({
      publicAddress: { address: '198.51.100.9', port: 4000 },
      nat: { udp: 'ok', mapping: 'address-and-port-dependent', filtering: 'address-and-port-dependent', type: 'symmetric', portPreservation: false, hairpinning: null, alg: null },
    })));
    try {
      const prediction = await vscode.commands.executeCommand<PairPrediction | undefined>('natDoctor.comparePeerReport', vscode.Uri.file(file));
      assert.ok(prediction, 'a prediction');
      assert.ok(['direct', 'direct-with-port-prediction', 'relay'].includes(prediction.verdict));
      assert.match(prediction.reason, /your peer: Symmetric NAT/);
      const delivered = await waitFor('the panel to show the comparison', () => {
        const message = api.reportPanel().lastDelivered;
        return message?.type === 'report' && message.sections.some((s) => s.id === 'p2p') ? message : undefined;
      });
      const p2p = delivered.sections.find((s) => s.id === 'p2p');
      assert.equal(p2p?.rows.find((r) => r.label === 'Peer')?.value, 'peer-report.json');
      assert.match(p2p?.rows.find((r) => r.label === 'Prediction')?.value ?? '', /confidence \d+ %/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('Test Direct Connection with a Peer… answers an offer, reaches the peer and shows result and prediction', async () => {
    // The peer: the engine's own offer side, on loopback with the suite's STUN responder.
    const peerReport = sampleReport(
      { servers: [{ server: `127.0.0.1:${stun.port}`, address: '127.0.0.1', rttMs: 1, rfc5780: false }], publicAddress: { address: '127.0.0.1', port: 1 }, candidates: [] },
      { mapping: 'none', filtering: 'endpoint-independent', type: 'open-internet' },
    );
;
    const signal = new AbortController().signal;
    const peer = await PairSide.open({ role: 'offer', report: peerReport, signal });
    assert.ok(!('error' in peer), 'error' in peer ? peer.error : '');
    try {
      const answerToken = new Promise<string>((resolve) => {
        const subscription = api.onDidCreatePairToken((token) => {
          subscription.dispose();
          resolve(token);
        });
      });
      const command = vscode.commands.executeCommand<PairResult | undefined>('natDoctor.testPeerConnection', { offer: peer.token });
      const answer = peer.readAnswer(await answerToken);
      assert.ok('token' in answer, 'error' in answer ? answer.error : '');
      const [theirs, ours] = await Promise.all([peer.connect(answer.token, 8000), command]);
      assert.equal(theirs.result, 'direct', theirs.detail);
      assert.ok(ours, 'the command returns the result');
      assert.equal(ours.result, 'direct', ours.detail);
      assert.equal(await vscode.env.clipboard.readText(), await answerToken, 'the answer is on the clipboard to send back');
      const delivered = await waitFor('the panel to show the pair test', () => {
        const message = api.reportPanel().lastDelivered;
        const section = message?.type === 'report' ? message.sections.find((s) => s.id === 'p2p') : undefined;
        return section?.rows.some((r) => r.label === 'Live test') ? section : undefined;
      });
      assert.match(delivered.rows.find((r) => r.label === 'Live test')?.value ?? '', /^direct/);
      assert.ok(delivered.rows.some((r) => r.label === 'Prediction'));
    } finally {
      await peer.close();
    }
  });

  test('Probe VPN Server accepts a target and runs it through the engine', async () => {
    const target = `127.0.0.1:${stun.port}/stun`;
    const report = await vscode.commands.executeCommand<Report | undefined>('natDoctor.probeServer', target);
    assert.ok(report, 'the probe run returns a report');
    const probe = report.probes.find((p) => p.target === target);
    assert.ok(probe, `the report has the probe of ${target}: ${JSON.stringify(report.probes)}`);
    assert.equal(probe.state, 'open', `our STUN responder answers: ${probe.detail}`);
  });

  test('natDoctor.statusBar.enabled turns the indicator and the monitor off and on', async () => {
    await setSetting('statusBar.enabled', false);
    await waitFor('the status bar item to hide', () => !api.statusBarVisible());
    assert.equal(api.monitorState(), 'disabled');
    await setSetting('statusBar.enabled', undefined);
    await waitFor('the status bar item to come back', () => api.statusBarVisible());
    assert.notEqual(api.monitorState(), 'disabled');
  });

  test('an invalid setting gets a clear message and the default', async () => {
    await setSetting('monitor.intervalMinutes', -3);
    const problems = await waitFor('the settings problem', () => {
      const read = api.settings();
      return read.problems.length > 0 ? read.problems : undefined;
    });
    assert.match(problems.join('\n'), /natDoctor\.monitor\.intervalMinutes must be a whole number from 0 to 1440; using the default \(30\)/);
    assert.equal(api.settings().settings.monitorIntervalMinutes, 30);
    await setSetting('monitor.intervalMinutes', undefined);
  });

  test('Cancel stops a diagnosis waiting on a silent STUN server', async () => {
    await setSetting('stunServers', [`127.0.0.1:${silent.port}`]);
    await setSetting('timeoutMs', 30_000);
    const started = Date.now();
    // Changing the servers also makes the monitor re-check in the background; the command's run
    // takes over from it, and that is the run to cancel.
    const running = vscode.commands.executeCommand<Report | undefined>('natDoctor.quickCheck');
    await waitFor('the command\'s diagnosis to start', () => api.runningDiagnosis() === 'command');
    const asked = silent.requests;
    await waitFor('the silent server to be asked', () => silent.requests > asked, 5_000);
    api.cancelDiagnosis();
    const result = await running;
    const elapsed = Date.now() - started;
    assert.equal(result, undefined, 'a cancelled command returns no report');
    assert.ok(elapsed < 5_000, `cancelled promptly (${elapsed} ms), long before the 30 s deadline`);
    assert.equal(api.runningDiagnosis(), undefined);
    assert.doesNotMatch(api.statusBarView().text, /Checking/);
    await setSetting('stunServers', [`127.0.0.1:${stun.port}`]);
    await setSetting('timeoutMs', 5_000);
  });
});
