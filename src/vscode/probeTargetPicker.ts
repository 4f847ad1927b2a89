// "Probe VPN Server…": pick a `host:port/protocol` target from recent ones, the settings, the
// endpoint of the config open in the editor, or type a new one. Picking a target is the explicit
// user action that allows probing a host named by an untrusted workspace.
import * as vscode from 'vscode';
import type { ProbeProtocol } from '../core';
import { msg } from './localize';
import { parseHostPort, parseProbeTarget, PROBE_PROTOCOLS } from './settingsModel';

const RECENT_KEY = 'natDoctor.recentProbeTargets';
const RECENT_LIMIT = 8;

const PROTOCOL_DETAILS: Record<ProbeProtocol, string> = {
  wireguard: msg('UDP; handshake initiation (answers only with the right keys)'),
  openvpn: msg('UDP; P_CONTROL_HARD_RESET_CLIENT_V2 (a server answers once)'),
  ike: msg('UDP 500; IKE_SA_INIT'),
  'ike-natt': msg('UDP 4500; IKE with the non-ESP marker'),
  tcp: msg('TCP connect'),
  tls: msg('TCP + TLS handshake'),
  stun: msg('UDP; STUN Binding request'),
  turn: msg('UDP; TURN Allocate (401 means alive)'),
};

const DEFAULT_PORTS: Partial<Record<ProbeProtocol, number>> = {
  wireguard: 51820, openvpn: 1194, ike: 500, 'ike-natt': 4500, stun: 3478, turn: 3478, tls: 443,
};

export function recentProbeTargets(memento: vscode.Memento): string[] {
  const stored = memento.get<unknown>(RECENT_KEY, []);
  return Array.isArray(stored) ? stored.filter((t): t is string => typeof t === 'string' && parseProbeTarget(t) !== undefined) : [];
}

export async function rememberProbeTarget(memento: vscode.Memento, target: string): Promise<void> {
  const recent = [target, ...recentProbeTargets(memento).filter((t) => t !== target)].slice(0, RECENT_LIMIT);
  await memento.update(RECENT_KEY, recent);
}

/** The peer endpoint of a WireGuard or OpenVPN config open in the active editor, if any. */
export function endpointOfConfig(text: string, languageId: string, fileName: string): string | undefined {
  const wireguard = /^\s*Endpoint\s*=\s*(\S+)/im.exec(text);
  if (wireguard?.[1] && (languageId === 'wireguard' || /\[Peer\]/i.test(text))) {
    return parseHostPort(wireguard[1]) ? `${wireguard[1]}/wireguard` : undefined;
  }
  const openvpn = /^\s*remote\s+(\S+)(?:\s+(\d{1,5}))?(?:\s+(udp|tcp)\S*)?/im.exec(text);
  if (openvpn?.[1] && (languageId === 'openvpn' || /\.(ovpn|conf)$/i.test(fileName))) {
    const target = `${openvpn[1]}:${openvpn[2] ?? '1194'}/${openvpn[3] === 'tcp' ? 'tcp' : 'openvpn'}`;
    return parseProbeTarget(target) ? target : undefined;
  }
  return undefined;
}

interface TargetItem extends vscode.QuickPickItem {
  target?: string;
  action?: 'new';
}

export interface PickerSources {
  memento: vscode.Memento;
  settingsTargets: string[];
  /** Targets from workspace settings that were not used because the workspace is untrusted. */
  untrustedWorkspaceTargets: string[];
  defaultProtocol: ProbeProtocol;
}

/** Runs the QuickPick/InputBox flow; resolves to `host:port/protocol` or undefined if dismissed. */
export async function pickProbeTarget(sources: PickerSources): Promise<string | undefined> {
  const items: TargetItem[] = [];
  const seen = new Set<string>();
  const add = (target: string, description: string, separator?: string) => {
    if (seen.has(target)) return;
    seen.add(target);
    if (separator) items.push({ label: separator, kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: target, description, target });
  };
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const endpoint = endpointOfConfig(editor.document.getText(), editor.document.languageId, editor.document.fileName);
    if (endpoint) add(endpoint, vscode.l10n.t('endpoint in {0}', vscode.workspace.asRelativePath(editor.document.uri)), vscode.l10n.t('Active config'));
  }
  recentProbeTargets(sources.memento).forEach((t, i) => add(t, vscode.l10n.t('recent'), i === 0 ? vscode.l10n.t('Recent') : undefined));
  sources.settingsTargets.forEach((t, i) => add(t, 'natDoctor.probe.targets', i === 0 ? vscode.l10n.t('Settings') : undefined));
  sources.untrustedWorkspaceTargets.forEach((t, i) =>
    add(t, `$(workspace-untrusted) ${vscode.l10n.t('from this untrusted workspace: probed only if you pick it')}`, i === 0 ? vscode.l10n.t('Untrusted workspace') : undefined));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: `$(add) ${vscode.l10n.t('Enter a server…')}`, description: vscode.l10n.t('host:port, then the protocol'), action: 'new', alwaysShow: true });

  const chosen = await new Promise<TargetItem | string | undefined>((resolve) => {
    const quickPick = vscode.window.createQuickPick<TargetItem>();
    quickPick.title = vscode.l10n.t('NAT Doctor: Probe VPN Server');
    quickPick.placeholder = vscode.l10n.t('Pick a target, or type host:port/protocol (e.g. vpn.example.org:51820/wireguard)');
    quickPick.items = items;
    quickPick.matchOnDescription = true;
    let settled = false;
    const finish = (value: TargetItem | string | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      quickPick.dispose();
    };
    quickPick.onDidAccept(() => {
      const typed = quickPick.value.trim();
      const selected = quickPick.selectedItems[0];
      if (typed && parseProbeTarget(typed) && (!selected || selected.action === 'new')) finish(typed);
      else if (typed && parseHostPort(typed) && (!selected || selected.action === 'new')) finish(`host:${typed}`);
      else finish(selected);
    });
    quickPick.onDidHide(() => finish(undefined));
    quickPick.show();
  });

  if (chosen === undefined) return undefined;
  if (typeof chosen === 'string') {
    if (!chosen.startsWith('host:')) return chosen;
    return askProtocol(chosen.slice('host:'.length), sources.defaultProtocol);
  }
  if (chosen.target) return chosen.target;

  const hostPort = await vscode.window.showInputBox({
    title: vscode.l10n.t('NAT Doctor: Probe VPN Server (1/2)'),
    prompt: vscode.l10n.t('Server address and port'),
    placeHolder: `vpn.example.org:${DEFAULT_PORTS[sources.defaultProtocol] ?? 51820}`,
    ignoreFocusOut: true,
    validateInput: (value) => (parseHostPort(value) ? undefined : vscode.l10n.t('Enter host:port, e.g. vpn.example.org:51820 or [2001:db8::1]:51820')),
  });
  if (!hostPort) return undefined;
  return askProtocol(hostPort.trim(), sources.defaultProtocol);
}

async function askProtocol(hostPort: string, defaultProtocol: ProbeProtocol): Promise<string | undefined> {
  const ordered = [defaultProtocol, ...PROBE_PROTOCOLS.filter((p) => p !== defaultProtocol)];
  const picked = await vscode.window.showQuickPick(
    ordered.map((protocol) => ({ label: protocol, description: vscode.l10n.t(PROTOCOL_DETAILS[protocol]), protocol })),
    { title: vscode.l10n.t('NAT Doctor: Probe VPN Server (2/2)'), placeHolder: vscode.l10n.t('Protocol spoken by {0}', hostPort), ignoreFocusOut: true },
  );
  return picked ? `${hostPort}/${picked.protocol}` : undefined;
}
