// Entry point of dist/lint.js: the lint engine and its editor data, bundled apart from the
// extension so activation does not parse it; it loads when the first config document opens
// (lintEngine.ts), the way dist/engine.js loads on the first diagnosis.
export { lint, fixAllEdits, detectLanguage, explainIpsecDialect, getCompletions, getDocumentSymbols, getHoverTarget, getOptionDoc, getProbeTargets, parseProbeableConfig } from '../../core';
