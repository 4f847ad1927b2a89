// Loads the engine bundle (dist/engine.js, built from engineBundle.ts) on first use. Activation
// then evaluates only the adapters (about a tenth of the code): the STUN, NAT and probe modules
// load when the first diagnosis starts, which at startup is just after activation.
import * as path from 'node:path';
import type * as EngineBundle from './engineBundle';

export type Engine = typeof EngineBundle;

let engine: Engine | undefined;

export function loadEngine(): Engine {
  // A runtime path, so esbuild leaves the require alone and keeps the engine out of extension.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  engine ??= require(path.join(__dirname, 'engine.js')) as Engine;
  return engine;
}
