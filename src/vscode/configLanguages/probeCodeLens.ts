// "Probe endpoint" above WireGuard Endpoint and OpenVPN remote lines. Nothing is probed until the
// user clicks the lens (a host read from a workspace file is contacted only on that explicit
// action, trusted workspace or not). A WireGuard probe uses the file's own keys only after a modal
// confirmation: a server that accepts the handshake points that peer at the probe for a moment.
import * as vscode from 'vscode';
import type { ProbeableConfig, ProbeConfig, ProbeOutcome, ProbeTarget } from '../../core';
import { loadEngine } from '../engine';
import { probeVerdict } from '../reportWording';
import { EDITOR_FEATURE_MAX_CHARS, isConfigLanguage } from './configLanguageModel';
import { documentLength, toVscodeRange } from './lintDiagnostics';
import { loadLintEngine } from './lintEngine';

export const PROBE_ENDPOINT_COMMAND = 'natDoctor.probeEndpoint';

/** Budget of one click: a retransmission and, for WireGuard with keys, a few fresh initiations. */
const PROBE_TIMEOUT_MS = 3000;

/** Arguments the lens passes to its command (plain data, so it survives serialisation). */
export interface ProbeEndpointArgs {
  uri: string;
  host: string;
  port: number;
  protocol: ProbeTarget['protocol'];
}

/**
 * The one parse of each config document, for its lenses and for the probe a lens starts: a click
 * reuses the document the lens positions came from while the text is unchanged. Keyed weakly by
 * the document, so a closed one takes its parse (and the keys in it) with it.
 */
const parsedDocuments = new WeakMap<vscode.TextDocument, { version: number; languageId: string; parsed: ProbeableConfig | undefined }>();

function parsedConfig(document: vscode.TextDocument): ProbeableConfig | undefined {
  const language = document.languageId;
  if (!isConfigLanguage(language) || documentLength(document) > EDITOR_FEATURE_MAX_CHARS) return undefined;
  const cached = parsedDocuments.get(document);
  if (cached?.version === document.version && cached.languageId === language) return cached.parsed;
  const parsed = loadLintEngine().parseProbeableConfig(language, document.getText());
  parsedDocuments.set(document, { version: document.version, languageId: language, parsed });
  return parsed;
}

function isProbeEndpointArgs(value: unknown): value is ProbeEndpointArgs {
  const v = value as Partial<ProbeEndpointArgs> | null;
  return typeof v === 'object' && v !== null && typeof v.uri === 'string' && typeof v.host === 'string'
    && typeof v.port === 'number' && typeof v.protocol === 'string';
}

export class ProbeCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const language = document.languageId;
    const parsed = parsedConfig(document);
    if (!parsed) return [];
    // Lens ranges count columns after a byte-order mark, as the parser does.
    const bom = document.lineAt(0).text.startsWith('\uFEFF');
    return loadLintEngine().getProbeTargets(parsed).map((target) => {
      // An OpenVPN remote is probed with the OpenVPN probe, which reads TCP or UDP from the file.
      const protocol: ProbeTarget['protocol'] = language === 'openvpn' ? 'openvpn' : target.protocol;
      const args: ProbeEndpointArgs = { uri: document.uri.toString(), host: target.host, port: target.port, protocol };
      const transport = language === 'openvpn' ? (target.protocol === 'tcp' ? 'TCP' : 'UDP') : undefined;
      const where = `${target.host}:${target.port}`;
      return new vscode.CodeLens(toVscodeRange(target.range, bom), {
        title: vscode.l10n.t('Probe endpoint'),
        tooltip: transport
          ? vscode.l10n.t('Check whether {0} answers {1} over {2} from this machine', where, protocol, transport)
          : vscode.l10n.t('Check whether {0} answers {1} from this machine', where, protocol),
        command: PROBE_ENDPOINT_COMMAND,
        arguments: [args],
      });
    });
  }
}

export interface ProbeEndpointDeps {
  log: vscode.LogOutputChannel;
}

/**
 * Runs one probe for a lens. Resolves to the outcome (the extension-host tests read it), or
 * undefined when the user cancelled.
 */
export async function probeEndpoint(deps: ProbeEndpointDeps, raw: unknown): Promise<ProbeOutcome | undefined> {
  if (!isProbeEndpointArgs(raw)) throw new Error(vscode.l10n.t('Probe endpoint needs the lens of an Endpoint or remote line'));
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(raw.uri));
  const target: ProbeTarget = { host: raw.host, port: raw.port, protocol: raw.protocol };
  const label = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}/${target.protocol}`;
  const engine = loadEngine();
  const parsed = parsedConfig(document);
  let config: ProbeConfig | undefined;
  if (parsed?.language === 'wireguard') {
    const wireguard = engine.wireguardProbeConfig(parsed.wireguard);
    if (!('error' in engine.keysForEndpoint(wireguard, target.host, target.port))) {
      const withKeys = vscode.l10n.t('Probe with My Keys');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Probe {0} with this file\'s keys?', label), {
        modal: true,
        detail: vscode.l10n.t('NAT Doctor will send a real WireGuard handshake with the PrivateKey of this file. A server that accepts it '
          + 'briefly points this peer\'s endpoint at this probe: traffic to the device that really uses these keys may pause '
          + 'until that device sends again (at most its PersistentKeepalive interval). No data and no keepalive are sent.\n\n'
          + 'Without the keys the server stays silent, and the probe can only tell a closed port from an open or filtered one.'),
      }, withKeys, vscode.l10n.t('Probe without Keys'));
      if (choice === undefined) return undefined;
      if (choice === withKeys) config = { wireguard };
    }
  } else if (parsed?.language === 'openvpn') {
    config = { openvpn: await engine.openvpnProbeConfig(parsed.openvpn, keyFileReader(document)) };
  }
  deps.log.info(`probe ${label} (from ${vscode.workspace.asRelativePath(document.uri)}${config?.wireguard ? ', with the file\'s keys' : ''})`);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('NAT Doctor: probing {0}', label), cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        return await engine.probe(target, {
          signal: controller.signal,
          timeoutMs: PROBE_TIMEOUT_MS,
          ...(config ? { config } : {}),
          onProgress: (message) => deps.log.debug(`[probe] ${message}`),
        });
      } finally {
        subscription.dispose();
      }
    },
  );
  const verdict = probeVerdict(outcome);
  deps.log.info(`probe ${verdict}`);
  for (const warning of outcome.warnings ?? []) deps.log.warn(`probe ${outcome.target}: ${warning}`);
  const show = outcome.state === 'open' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void show(vscode.l10n.t('NAT Doctor: {0}', verdict));
  return outcome;
}

/**
 * tls-auth / tls-crypt keys named by path, read next to the .ovpn through VS Code's file system (so
 * a remote window reads them where the file is). In an untrusted workspace only inline keys are
 * used: a file there must not make us read other files.
 */
function keyFileReader(document: vscode.TextDocument): ((path: string) => Promise<string>) | undefined {
  if (!vscode.workspace.isTrusted) return undefined;
  return async (path: string) => {
    const absolute = path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
    const uri = !absolute ? vscode.Uri.joinPath(document.uri, '..', path)
      : document.uri.scheme === 'file' ? vscode.Uri.file(path) : document.uri.with({ path: path.replace(/\\/g, '/') });
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  };
}
