// The webview's strings in the user's language. The host puts vscode.l10n.bundle (the loaded
// l10n/bundle.l10n.<locale>.json, keyed by the English text) into the page's data-l10n attribute;
// without a translation the English text is used. Placeholders are {0}, {1}… as in vscode.l10n.t,
// so one bundle file translates the host and the webview alike.
let bundle: Record<string, string> = {};
try {
  const parsed: unknown = JSON.parse(document.body.dataset.l10n ?? '{}');
  if (typeof parsed === 'object' && parsed !== null) bundle = parsed as Record<string, string>;
} catch {
  // A damaged attribute: English it is.
}

export function t(message: string, ...args: Array<string | number>): string {
  const translated = typeof bundle[message] === 'string' ? bundle[message] : message;
  return translated.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}
