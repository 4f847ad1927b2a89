// Entry point of dist/engine.js: the diagnosis and probe engine, bundled apart from the extension
// so activation does not pay for parsing and initialising it (see engine.ts).
export { diagnose } from '../core/diagnose';
export { probeTargetStrings } from '../core/probes';
