// The NAT indicator on the left of the status bar. What it shows is decided in statusBarModel.ts;
// this file only copies that onto a StatusBarItem.
import * as vscode from 'vscode';
import { statusBarView, type StatusBarState, type StatusBarView } from './statusBarModel';

export const STATUS_BAR_ITEM_ID = 'natDoctor.status';

export class NatStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: StatusBarState = { kind: 'idle' };
  private view: StatusBarView;

  constructor(private hideAddresses: boolean) {
    // Priority 100 keeps it near the remote indicator, where network status is expected.
    this.item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Left, 100);
    this.item.name = 'NAT Doctor';
    this.item.command = 'natDoctor.showReport';
    this.view = this.render();
  }

  show(): void {
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }

  update(state: StatusBarState): void {
    this.state = state;
    this.view = this.render();
  }

  setHideAddresses(hide: boolean): void {
    this.hideAddresses = hide;
    this.view = this.render();
  }

  get currentState(): StatusBarState {
    return this.state;
  }

  /** What the item shows now (read by the extension-host tests through the extension's API). */
  get currentView(): StatusBarView {
    return this.view;
  }

  private render(): StatusBarView {
    const view = statusBarView(this.state, { hideAddresses: this.hideAddresses, t: (message, ...args) => vscode.l10n.t(message, ...args) });
    this.item.text = view.text;
    const tooltip = new vscode.MarkdownString(view.tooltipMarkdown);
    // Nothing in the tooltip is trusted markup: no command links, no HTML.
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: view.accessibilityLabel, role: 'button' };
    this.item.backgroundColor = view.background === 'none'
      ? undefined
      : new vscode.ThemeColor(view.background === 'warning' ? 'statusBarItem.warningBackground' : 'statusBarItem.errorBackground');
    return view;
  }

  dispose(): void {
    this.item.dispose();
  }
}
