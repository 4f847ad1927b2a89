// The lint contract: plain data that `nat-doctor lint --json` prints (field names and the rule ids
// of docs/rules.md are relied on by other tools) and the VS Code adapter turns into Diagnostics and
// CodeActions without re-deriving anything.
import type { MeasuredNat } from '../advice/tunnelAdvice';

import type { TextEdit, TextRange } from '../config/sourceText';
import type { LanguageId } from '../config/languages';

// Ranges and languages belong to the config layer (src/core/config), which every parser shares;
// the lint contract uses them as they are.
export { LANGUAGE_IDS, type LanguageId } from '../config/languages';
export type { TextEdit, TextRange } from '../config/sourceText';

import type { Severity } from '../report/types';

export type { Severity };

export interface Fix {
  title: string;
  edits: TextEdit[];
  /**
   * True only when the fix is surely what the user wants (VS Code `isPreferred`). Not part of the
   * JSON contract: `toFindingJson` leaves it out.
   */
  preferred?: boolean;
}

export interface Finding extends TextRange {
  file: string;
  severity: Severity;
  ruleId: string;
  message: string;
  fix?: Fix;
}

/** What a diagnosis measured, to make messages and fixes concrete (the advice module owns it). */
export type { MeasuredNat };

export interface LintOptions {
  language: LanguageId;
  /** Used in findings and for file-name rules (wg-quick interface names). */
  fileName?: string;
  measured?: MeasuredNat;
  /** Rule ids the user turned off (a setting); their findings are dropped. */
  disabledRules?: readonly string[];
  /**
   * The libreswan release to judge against (default: the current one). The lab test sets the
   * release it can run, so our keyword table is checked against that tool.
   */
  libreswanVersion?: string;
}

/** The exact JSON shape of one finding in `nat-doctor lint --json`. */
export interface FindingJson {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  ruleId: string;
  message: string;
  fix?: { title: string; edits: TextEdit[] };
}

export function toFindingJson(f: Finding): FindingJson {
  const out: FindingJson = {
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    severity: f.severity,
    ruleId: f.ruleId,
    message: f.message,
  };
  if (f.fix) {
    out.fix = {
      title: f.fix.title,
      edits: f.fix.edits.map((e) => ({
        line: e.line,
        column: e.column,
        endLine: e.endLine,
        endColumn: e.endColumn,
        text: e.text,
      })),
    };
  }
  return out;
}
