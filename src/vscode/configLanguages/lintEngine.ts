// Loads the lint bundle (dist/lint.js, built from lintBundle.ts) on first use: a window without a
// VPN config never evaluates it. Values this folder needs before that (language ids, the size
// guard, rule doc anchors) come from small core modules imported directly.
import * as path from 'node:path';
import type * as LintBundle from './lintBundle';

export type LintEngine = typeof LintBundle;

let engine: LintEngine | undefined;

export function loadLintEngine(): LintEngine {
  // A runtime path, so esbuild leaves the require alone and keeps the engine out of extension.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require(path.join(__dirname, 'lint.js')) as LintEngine;
  return engine;
}
