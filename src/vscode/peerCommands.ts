// The two peer commands, thin adapters over the engine's pair test (src/core/p2p):
// - Test Direct Connection with a Peer…: create an offer (copied to the clipboard, with what to
//   send the peer) and paste the answer, or paste the peer's offer and send back the answer that
//   is copied for you; then a progress notification with Cancel while both sides try, and the
//   result with the prediction in the report panel.
// - Compare with a Peer's Report…: the prediction from your latest report and an exported one.
// The engine parts load from dist/engine.js (engine.ts), like every diagnosis.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ANSWER_TIMEOUT_MS, OFFER_TIMEOUT_MS, PAIR_VERDICT_LABEL, pairSection, parseSavedReport, type PairPrediction, type PairResult, type PairToken, type Report } from '../core';
import type { NatDoctorContext } from './context';
import { loadEngine } from './engine';

/** A saved report is a few kilobytes; anything this big is not one (as `lint --report` says). */
const MAX_REPORT_BYTES = 16 * 1024 * 1024;

/** `{ offer }` answers that offer without asking (tests, links); anything else asks. */
export async function testPeerConnection(ctx: NatDoctorContext, args?: unknown): Promise<PairResult | undefined> {
  const engine = loadEngine();
  const given = typeof args === 'object' && args !== null && typeof (args as { offer?: unknown }).offer === 'string' ? (args as { offer: string }).offer : undefined;
  let offerText = given;
  if (offerText === undefined) {
    const pick = await vscode.window.showQuickPick(
      [
        {
          label: `$(export) ${vscode.l10n.t('Create an offer')}`, description: vscode.l10n.t('you start'),
          detail: vscode.l10n.t('Copies a one-line offer for your peer; then you paste the answer they send back.'), mode: 'offer' as const,
        },
        {
          label: `$(reply) ${vscode.l10n.t('Answer my peer’s offer')}`, description: vscode.l10n.t('your peer started'),
          detail: vscode.l10n.t('Paste the offer your peer sent; an answer to send back is copied for you.'), mode: 'answer' as const,
        },
      ],
      { title: vscode.l10n.t('NAT Doctor: Test Direct Connection with a Peer'), ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    if (pick.mode === 'answer') {
      offerText = await vscode.window.showInputBox({
        title: vscode.l10n.t('NAT Doctor: your peer’s offer'),
        prompt: vscode.l10n.t('Paste the line your peer sent (it starts with ndpair1:)'),
        placeHolder: 'ndpair1:…',
        ignoreFocusOut: true,
        validateInput: (value) => {
          const decoded = engine.decodePairToken(value, { expect: 'offer' });
          return 'error' in decoded ? decoded.error : undefined;
        },
      });
      if (offerText === undefined) return undefined;
    }
  }
  let offer: PairToken | undefined;
  if (offerText !== undefined) {
    const decoded = engine.decodePairToken(offerText, { expect: 'offer' });
    if ('error' in decoded) throw new Error(decoded.error);
    offer = decoded.token;
  }

  // This side's NAT, measured now: the peer's prediction and our candidates need the current network.
  const report = await ctx.runner.run({ mode: 'full', trigger: 'command', title: vscode.l10n.t('NAT Doctor: measuring your side for the peer test') });
  if (!report) return undefined;
  const controller = new AbortController();
  const opened = await engine.PairSide.open(offer ? { role: 'answer', offer, report, signal: controller.signal } : { role: 'offer', report, signal: controller.signal });
  if ('error' in opened) throw new Error(opened.error);
  const side = opened;
  try {
    await vscode.env.clipboard.writeText(side.token);
    ctx.announcePairToken(side.token);
    let peer: PairToken;
    if (offer) {
      void vscode.window.showInformationMessage(vscode.l10n.t(
        'NAT Doctor: your answer ({0} characters) is on the clipboard. Send it back to your peer now; NAT Doctor keeps trying for {1} s.',
        side.token.length, ANSWER_TIMEOUT_MS / 1000));
      peer = offer;
    } else {
      const answerText = await vscode.window.showInputBox({
        title: vscode.l10n.t('NAT Doctor: your offer is on the clipboard — send it to your peer'),
        prompt: vscode.l10n.t(
          'Your peer runs “NAT Doctor: Test Direct Connection with a Peer…” → Answer my peer’s offer (or `nat-doctor pair answer <offer>`) and sends back a line starting with ndpair1:. Paste it here.'),
        placeHolder: 'ndpair1:…',
        ignoreFocusOut: true,
        validateInput: (value) => {
          const decoded = side.readAnswer(value);
          return 'error' in decoded ? decoded.error : undefined;
        },
      });
      if (answerText === undefined) return undefined;
      const decoded = side.readAnswer(answerText);
      if ('error' in decoded) throw new Error(decoded.error);
      peer = decoded.token;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('NAT Doctor: trying to reach your peer directly'), cancellable: true },
      async (_progress, token) => {
        const subscription = token.onCancellationRequested(() => controller.abort());
        try {
          return await side.connect(peer, offer ? ANSWER_TIMEOUT_MS : OFFER_TIMEOUT_MS);
        } finally {
          subscription.dispose();
        }
      },
    );
    if (controller.signal.aborted) return undefined;
    ctx.log.info(`peer test: ${result.result} (predicted ${result.prediction.verdict}); ${result.detail}`);
    ctx.reportPanel.showPeer(report, pairSection(result.prediction, result, { hideAddresses: ctx.settings.settings.hideAddresses }));
    const predicted = PAIR_VERDICT_LABEL[result.prediction.verdict];
    const verdict = result.result !== 'direct'
      ? vscode.l10n.t('NAT Doctor: no direct connection with your peer. Predicted: {0}.', predicted)
      : result.rttMs !== null
        ? vscode.l10n.t('NAT Doctor: direct connection with your peer ({0} ms). Predicted: {1}.', result.rttMs, predicted)
        : vscode.l10n.t('NAT Doctor: direct connection with your peer. Predicted: {0}.', predicted);
    const showReport = vscode.l10n.t('Show Report');
    void vscode.window.showInformationMessage(verdict, showReport).then((choice) => {
      if (choice === showReport) ctx.reportPanel.show();
    });
    return result;
  } finally {
    controller.abort(); // stops the keepalive and anything still waiting
    await side.close();
  }
}

/** The prediction from your newest report and a peer's exported one (`uri`, or picked). */
export async function comparePeerReport(ctx: NatDoctorContext, uriArgument?: unknown): Promise<PairPrediction | undefined> {
  const own = ctx.history.latestForPanel()?.entry.report;
  if (!own) {
    const runDiagnostics = vscode.l10n.t('Run Diagnostics');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('NAT Doctor: run a diagnosis of your own network first, then compare it with your peer’s report.'), runDiagnostics);
    if (choice === runDiagnostics) await vscode.commands.executeCommand('natDoctor.runDiagnostics');
    return undefined;
  }
  let uri = uriArgument instanceof vscode.Uri ? uriArgument : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('NAT Doctor: your peer’s exported report (Export Report as JSON…, or nat-doctor diagnose --json)'),
      filters: { JSON: ['json'] },
      canSelectMany: false,
    });
    uri = picked?.[0];
  }
  if (!uri) return undefined;
  const name = path.basename(uri.path);
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_REPORT_BYTES) throw new Error(vscode.l10n.t('{0} is too large for a NAT Doctor report', name));
  const read = parseSavedReport(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
  if ('error' in read) throw new Error(`${name}: ${read.error}`);
  const engine = loadEngine();
  const peer = engine.summarizeReport(read.report);
  const mine = engine.summarizeReport(own);
  const prediction = engine.predictPair(mine, peer, ['you', 'your peer']);
  ctx.log.info(`compared with ${name}: ${prediction.verdict} (confidence ${prediction.confidence})`);
  showPrediction(ctx, own, prediction, name);
  const showReport = vscode.l10n.t('Show Report');
  void vscode.window.showInformationMessage(
    vscode.l10n.t('NAT Doctor: with {0}: {1} (confidence {2} %).', name, PAIR_VERDICT_LABEL[prediction.verdict], Math.round(prediction.confidence * 100)),
    showReport,
  ).then((choice) => {
    if (choice === showReport) ctx.reportPanel.show();
  });
  return prediction;
}

function showPrediction(ctx: NatDoctorContext, own: Report, prediction: PairPrediction, peer: string): void {
  ctx.reportPanel.showPeer(own, pairSection(prediction, null, { peer, hideAddresses: ctx.settings.settings.hideAddresses }));
}
