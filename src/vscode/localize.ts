// The extension's words in the user's language. The adapters call vscode.l10n.t, which looks each
// English message up in l10n/bundle.l10n.<locale>.json (package.json "l10n"); the pure models
// (statusBarModel, reportWording) take the same kind of function as a parameter, so they stay
// testable without VS Code. Placeholders are {0}, {1}… A translation is a file: copy
// l10n/bundle.l10n.json (scripts/l10n-bundle.mjs keeps it complete) to bundle.l10n.<locale>.json
// and package.nls.json to package.nls.<locale>.json, and translate the values.
export type Localize = (message: string, ...args: Array<string | number | boolean>) => string;

/** What vscode.l10n.t returns without a translation: the message with its placeholders filled. */
export const english: Localize = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? placeholder : String(value);
  });

/** Marks a message kept in a table for translation; the table's user calls t() on it. */
export function msg(message: string): string {
  return message;
}
