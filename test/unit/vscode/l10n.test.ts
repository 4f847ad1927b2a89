// Localisation: a translation is a file, not a code change. The manifest's words live in
// package.nls.json (every %key% resolves, the command titles stay the words DESIGN.md gives them),
// and l10n/bundle.l10n.json lists every message the extension and its webview pass to t().
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { english } from '../../../src/vscode/localize';
import { statusBarView } from '../../../src/vscode/statusBarModel';

const root = join(__dirname, '../../../..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** Every "%key%" string anywhere in the manifest. */
function nlsKeys(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') {
    const match = /^%(.+)%$/.exec(value);
    if (match?.[1]) found.push(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) nlsKeys(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) nlsKeys(item, found);
  }
  return found;
}

describe('localisation', () => {
  const manifest = JSON.parse(read('package.json')) as { l10n?: string; displayName: string; contributes: { commands: { command: string; title: string; category: string }[] } };
  const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;

  it('every %key% of package.json is in package.nls.json, and every entry there is used', () => {
    const keys = nlsKeys(manifest);
    assert.ok(keys.length > 20, `the manifest's words moved to package.nls.json (${keys.length} keys)`);
    for (const key of keys) assert.ok(typeof nls[key] === 'string', `package.nls.json has ${key}`);
    assert.deepEqual(Object.keys(nls).filter((k) => !keys.includes(k)), [], 'no unused entries');
    assert.equal(manifest.displayName, 'NAT Doctor', 'the identity stays literal');
    assert.equal(manifest.l10n, './l10n');
  });

  it('the command titles resolve to the words DESIGN.md gives them, in category NAT Doctor', () => {
    const titles = Object.fromEntries(manifest.contributes.commands.map((c) => [c.command, nls[/^%(.+)%$/.exec(c.title)?.[1] ?? ''] ?? c.title]));
    const designed = {
      'natDoctor.runDiagnostics': 'Run Diagnostics',
      'natDoctor.quickCheck': 'Quick Check',
      'natDoctor.probeServer': 'Probe VPN Server…',
      'natDoctor.showReport': 'Show Report',
      'natDoctor.copyReport': 'Copy Report as Markdown',
      'natDoctor.exportReport': 'Export Report as JSON…',
      'natDoctor.measureBindingLifetime': 'Measure NAT Binding Lifetime',
    };
    for (const [id, title] of Object.entries(designed)) assert.equal(titles[id], title, id);
    for (const command of manifest.contributes.commands) {
      assert.match(command.title, /^%.+%$/, `${command.command}'s title is in package.nls.json`);
      assert.ok(titles[command.command], `${command.command} has words`);
    }
    for (const command of manifest.contributes.commands) assert.equal(nls[/^%(.+)%$/.exec(command.category)?.[1] ?? ''], 'NAT Doctor');
  });

  it('l10n/bundle.l10n.json holds exactly the messages the code passes to t()', () => {
    const check = spawnSync(process.execPath, [join(root, 'scripts', 'l10n-bundle.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    const bundle = JSON.parse(read('l10n/bundle.l10n.json')) as Record<string, string>;
    for (const message of ['Show Log', 'NAT Doctor: {0}', 'Network path, hop by hop', 'Probe endpoint', 'What to change, most important first.']) {
      assert.equal(bundle[message], message, `${message} is translatable`);
    }
  });

  it('the English fallback fills placeholders as vscode.l10n.t does, and a pure model speaks through it', () => {
    assert.equal(english('{0} of {1}: {0}', 'a', 2), 'a of 2: a');
    assert.equal(english('kept {9}', 'x'), 'kept {9}');
    const shouting = (message: string, ...args: Array<string | number | boolean>): string => english(message, ...args).toUpperCase();
    assert.equal(statusBarView({ kind: 'offline' }, { hideAddresses: false, t: shouting }).accessibilityLabel, 'NAT DOCTOR: OFFLINE, CHECKS PAUSED');
  });
});
