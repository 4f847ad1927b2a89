// Reads NAT Doctor's settings through VS Code and validates them (settingsModel.ts). Bad values are
// reported once per distinct problem, with the default used instead.
import * as vscode from 'vscode';
import { readSettings, type NatDoctorSettings, type SettingKey, type SettingsReadResult } from './settingsModel';

export class SettingsReader implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<NatDoctorSettings>();
  /** Fires after a natDoctor.* setting or the workspace trust changed. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly reportedProblems = new Set<string>();
  private current: SettingsReadResult;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly onProblems: (problems: string[]) => void,
  ) {
    this.current = this.read();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('natDoctor')) this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    );
  }

  get settings(): NatDoctorSettings {
    return this.current.settings;
  }

  get lastRead(): SettingsReadResult {
    return this.current;
  }

  /** Re-reads now (commands call this so a just-edited value counts even before the event). */
  refresh(): NatDoctorSettings {
    this.current = this.read();
    this.changed.fire(this.current.settings);
    return this.current.settings;
  }

  private read(): SettingsReadResult {
    const configuration = vscode.workspace.getConfiguration('natDoctor');
    const result = readSettings((key: SettingKey) => configuration.inspect(key), vscode.workspace.isTrusted);
    const fresh = result.problems.filter((p) => !this.reportedProblems.has(p));
    for (const problem of fresh) {
      this.reportedProblems.add(problem);
      this.log.warn(`settings: ${problem}`);
    }
    for (const ignored of result.ignoredWorkspaceSettings) {
      this.log.info(`settings: natDoctor.${ignored.key} from this untrusted workspace is not used; NAT Doctor only contacts hosts from it when you pick them yourself`);
    }
    if (fresh.length > 0) this.onProblems(fresh);
    return result;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
