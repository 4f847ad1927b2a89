// Entry point: builds the one NatDoctorContext that owns every disposable and returns its API.
// VS Code does not show a notification when an extension fails to activate, so we do.
import * as vscode from 'vscode';
import { registerConfigLanguages } from './vscode/configLanguages';
import { NatDoctorContext, type NatDoctorApi } from './vscode/context';

let current: NatDoctorContext | undefined;

export function activate(context: vscode.ExtensionContext): NatDoctorApi {
  try {
    current = new NatDoctorContext(context);
    context.subscriptions.push(current);
    current.start();
    registerConfigLanguages(current);
    return current.api();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    current?.log.error(`activation failed: ${error instanceof Error && error.stack ? error.stack : message}`);
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showErrorMessage(vscode.l10n.t('NAT Doctor failed to start: {0}', message), showLog).then((choice) => {
      if (choice === showLog) current?.log.show(true);
    });
    throw error;
  }
}

export function deactivate(): void {
  current?.dispose();
  current = undefined;
}
