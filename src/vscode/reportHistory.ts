// Recent reports, newest first, kept in globalState so the history and "what changed" survive a
// restart. Reports are small (a few kB); ten of them are well within globalState's comfort zone.
import type * as vscode from 'vscode';
import type { Report } from '../core';
import type { HistoryEntry } from '../protocol';
import { reportSummary } from './reportWording';

const HISTORY_KEY = 'natDoctor.reportHistory';
export const HISTORY_LIMIT = 10;

export interface StoredReport {
  report: Report;
  mode: 'full' | 'quick';
}

function isStoredReport(value: unknown): value is StoredReport {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as { report?: { schemaVersion?: unknown; startedAt?: unknown }; mode?: unknown };
  return (entry.mode === 'full' || entry.mode === 'quick')
    && typeof entry.report === 'object' && entry.report !== null
    && entry.report.schemaVersion === 1 && typeof entry.report.startedAt === 'string';
}

export class ReportHistory {
  constructor(private readonly memento: vscode.Memento) {}

  /** Newest first; entries from an older schema are dropped rather than shown wrongly. */
  all(): StoredReport[] {
    const stored = this.memento.get<unknown[]>(HISTORY_KEY, []);
    return Array.isArray(stored) ? stored.filter(isStoredReport) : [];
  }

  latest(): StoredReport | undefined {
    return this.all()[0];
  }

  /** The newest full report, else the newest of any kind: the panel prefers the complete picture. */
  latestForPanel(): { entry: StoredReport; index: number } | undefined {
    const entries = this.all();
    const index = entries.findIndex((e) => e.mode === 'full');
    const chosen = index >= 0 ? index : entries.length > 0 ? 0 : -1;
    const entry = entries[chosen];
    return entry ? { entry, index: chosen } : undefined;
  }

  async add(report: Report, mode: 'full' | 'quick'): Promise<void> {
    const entries = [{ report, mode }, ...this.all()].slice(0, HISTORY_LIMIT);
    await this.memento.update(HISTORY_KEY, entries);
  }

  async clear(): Promise<void> {
    await this.memento.update(HISTORY_KEY, []);
  }

  summaries(): HistoryEntry[] {
    return this.all().map(({ report, mode }) => ({ startedAt: report.startedAt, summary: reportSummary(report), mode }));
  }
}
