// Writes l10n/bundle.l10n.json: every English message the extension and its report webview show,
// keyed by itself — the file a translator copies to bundle.l10n.<locale>.json (vscode.l10n reads
// it; the webview gets the same bundle from the host). Messages are the string literals passed to
// vscode.l10n.t(…), t(…) and msg(…) in src/extension.ts, src/vscode/ and webview/, plus the section
// explanations (src/sectionExplanations.ts), which the webview translates by value.
//   node scripts/l10n-bundle.mjs           # rewrites the bundle
//   node scripts/l10n-bundle.mjs --check   # exits 1 when the bundle is not current (a unit test runs it)
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const BUNDLE = join(root, 'l10n', 'bundle.l10n.json');

function sources(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Reads one JS string literal at `i` ('…', "…" or `…` without ${}); returns its value and end. */
function literal(code, i) {
  const quote = code[i];
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  let value = '';
  for (let j = i + 1; j < code.length; j++) {
    const c = code[j];
    if (c === '\\') {
      const next = code[++j];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      continue;
    }
    if (quote === '`' && c === '$' && code[j + 1] === '{') return undefined;
    if (c === quote) return { value, end: j + 1 };
    value += c;
  }
  return undefined;
}

/** The first argument of a call when it is literals joined by `+`; undefined when it is computed. */
function firstArgument(code, i) {
  let value = '';
  let at = i;
  for (;;) {
    while (/\s/.test(code[at] ?? '')) at++;
    const part = literal(code, at);
    if (!part) return undefined;
    value += part.value;
    at = part.end;
    while (/\s/.test(code[at] ?? '')) at++;
    if (code[at] === '+') {
      at++;
      continue;
    }
    return code[at] === ',' || code[at] === ')' ? value : undefined;
  }
}

export function collectMessages() {
  const files = [join(root, 'src', 'extension.ts'), ...sources(join(root, 'src', 'vscode')), ...sources(join(root, 'webview'))];
  const messages = new Set();
  const call = /(?:\bl10n\.t|(?<![\w.$])t|(?<![\w.$])msg)\(/g;
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(call)) {
      const message = firstArgument(code, match.index + match[0].length);
      if (message !== undefined) messages.add(message);
    }
  }
  const explanations = readFileSync(join(root, 'src', 'sectionExplanations.ts'), 'utf8');
  const table = explanations.slice(explanations.indexOf('SECTION_EXPLANATIONS = {'), explanations.indexOf('} as const'));
  for (const line of table.split('\n')) {
    const colon = line.indexOf(': ');
    const message = colon >= 0 ? firstArgument(line, colon + 2) : undefined;
    if (message !== undefined) messages.add(message);
  }
  // sectionExplanation()'s fallback for a section it has no line for.
  const fallback = firstArgument(explanations, explanations.indexOf('?? ') + 3);
  if (fallback !== undefined) messages.add(fallback);
  return Object.fromEntries([...messages].sort().map((m) => [m, m]));
}

const wanted = JSON.stringify(collectMessages(), null, 2) + '\n';
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(BUNDLE, 'utf8');
  } catch {
    // missing: reported below
  }
  if (current !== wanted) {
    const have = new Set(Object.keys(current ? JSON.parse(current) : {}));
    const need = new Set(Object.keys(JSON.parse(wanted)));
    const missing = [...need].filter((m) => !have.has(m));
    const stale = [...have].filter((m) => !need.has(m));
    console.error(`l10n/bundle.l10n.json is not current: run node scripts/l10n-bundle.mjs\n  missing: ${JSON.stringify(missing)}\n  no longer used: ${JSON.stringify(stale)}`);
    process.exit(1);
  }
} else {
  mkdirSync(dirname(BUNDLE), { recursive: true });
  writeFileSync(BUNDLE, wanted);
  console.log(`${BUNDLE}: ${Object.keys(JSON.parse(wanted)).length} messages`);
}
