// Entry point of dist/engine.js: the diagnosis and probe engine, bundled apart from the extension
// so activation does not pay for parsing and initialising it (see engine.ts).
export { diagnose, probe, probeTargetStrings, keysForEndpoint, openvpnProbeConfig, wireguardProbeConfig, PairSide, decodePairToken, predictPair, summarizeReport } from '../core';
// The report panel's path and pictures and the Markdown copy: needed only once a report is shown
// or copied.
export { networkPath, reportFigures, formatMarkdownReport } from '../core';
// The "Probe endpoint" CodeLens (configLanguages/probeCodeLens.ts) reads the file's keys with these,
// from the document the lint bundle parsed for the lens.
