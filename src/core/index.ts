// The engine's public face: the CLI and the VS Code adapters import the core only from here
// (ESLint enforces it), so modules under src/core can move without touching the faces.
// Bundles stay lean: esbuild keeps only what an entry point uses from these re-exports.

// Diagnosis
export { diagnose, DiagnosisCancelled, DEFAULT_TIMEOUT_MS, LIFETIME_TIMEOUT_MS, QUICK_TIMEOUT_MS, type DiagnoseOptions } from './diagnose';
export type { ProgressEvent, ProgressListener } from './progress';
export { DEFAULT_STUN_SERVERS, validateServerList } from './stun/stunServers';
export { TOOL_VERSION } from './version';

// The report and its renderings
export * from './report/types';
export { formatTextReport } from './report/textReport';
export { formatMarkdownReport } from './report/markdownReport';
export { reportSections, type ReportSection } from './report/reportSections';

// Probes
export * from './probes';

// Config lint
export * from './lint';
export { checkText, MAX_LINT_BYTES } from './lint/textGuard';

// Monitoring and addresses
export { NetworkMonitor } from './monitor/networkMonitor';
export { parseHostPort, formatHostPort, formatAddress, isParseError, type HostPort } from './net/endpoint';
