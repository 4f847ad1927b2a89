// The engine's public face: the CLI and the VS Code adapters import the core only from here
// (ESLint enforces it), so modules under src/core can move without touching the faces. esbuild
// keeps only what an entry point uses, so the extension bundle still loads the engine lazily
// (dist/engine.js, dist/lint.js) and carries only the light parts named by its own modules.

// Diagnosis
export { diagnose, DiagnosisCancelled, type DiagnoseOptions } from './diagnose';
export { DEFAULT_TIMEOUT_MS, LIFETIME_TIMEOUT_MS, QUICK_TIMEOUT_MS, OFFER_TIMEOUT_MS, ANSWER_TIMEOUT_MS } from './timeouts';
export type { ProgressEvent, ProgressListener } from './progress';
export { DEFAULT_STUN_SERVERS, validateServerList } from './stun/stunServers';
export { DEFAULT_CAPTIVE_PORTAL_URL, validateCaptivePortalUrl } from './connectivity/captivePortal';
export { TOOL_VERSION } from './version';
export { NetworkMonitor, type CheckOutcome, type CheckReason, type MonitorClock, type MonitorState } from './monitor/networkMonitor';

// The report, its words and its renderings
export type * from './report/types';
export {
  PROBE_PROTOCOLS,
  REPORT_SCHEMA_VERSION,
  NAT_TYPES,
  MAPPING_BEHAVIORS,
  FILTERING_BEHAVIORS,
  CGNAT_VERDICTS,
  PROBE_STATES,
  CONNECTIVITY_STATES,
  PORT_ALLOCATION_PATTERNS,
} from './report/types';
export { CGNAT_LABEL, NAT_TYPE_LABEL, OFFLINE_LABEL, cgnatVerdictWords, natTypeLabel, natTypeMeaning, p2pDifficulty, p2pDifficultyMeaning, portAllocationWords, PAIR_VERDICT_LABEL, yesNo, type Difficulty } from './report/explain';
export { formatTextReport, type TextReportOptions } from './report/textReport';
export { escapeMarkdown, formatMarkdownReport } from './report/markdownReport';
export { formatPrometheusReport } from './report/prometheusReport';
export { formatSummaryLine } from './report/summaryLine';
export { reportSections, pairSection, type ReportSection } from './report/reportSections';
export { parseSavedReport } from './report/savedReport';
export { formatPathLine, networkPath, pathProblems, type HopKind, type HopVerdict, type NetworkPath, type PathHop } from './report/networkPath';
export { reportFigures, type ReportFigure } from './report/reportFigures';

// Direct connections between two peers: the prediction from two reports and the live pair test
export { predictPair, summarizeReport, birthdayOdds, type PairPrediction, type PairVerdict, type PeerNatSummary } from './p2p/pairPrediction';
export { decodePairToken, extractToken, TOKEN_PREFIX, type PairToken, type PairCandidate, type PairRole, type DecodedToken } from './p2p/pairToken';
export { PairSide, type PairResult, type PairSideOptions } from './p2p/pairTest';

// Addresses as users write them
export { formatAddress, formatHostPort, isParseError, parseHostPort, type HostPort } from './net/endpoint';

// Probes
export {
  probe,
  probeMany,
  probeTargetStrings,
  measureEndpointMtu,
  fastestTurnServer,
  toProbeResult,
  parseProbeTarget,
  formatTarget,
  defaultTargets,
  isProbeProtocol,
  loadProbeConfig,
  IkeRateLimiter,
  fileRateStore,
  persistentIkeLimiter,
  STATE_DIR_ENV,
  DEFAULT_PROBE_TIMEOUT_MS,
  DEFAULT_PROBE_PORTS,
  openvpnProbeConfig,
  loadOvpnConfig,
  wireguardProbeConfig,
  keysForEndpoint,
  WIREGUARD_ENDPOINT_WARNING,
} from './probes';
export type { ProbeConfig, ProbeOptions, ProbeOutcome, ProbeTarget, TurnCredentials, RateStore, OpenVpnProbeConfig, WireGuardProbeConfig } from './probes';

// Config lint and editor data
export {
  lint,
  hasErrors,
  fixAllEdits,
  detectLanguage,
  languageFromFileName,
  sniffContent,
  guessIpsecDialect,
  explainIpsecDialect,
  LANGUAGE_FILE_PATTERNS,
  getOptionDoc,
  getHoverTarget,
  getCompletions,
  getDocumentSymbols,
  getProbeTargets,
  applyEdits,
  parseProbeableConfig,
  RULES,
  ruleDocUrl,
  toFindingJson,
  LANGUAGE_IDS,
} from './lint';
export type {
  OptionDoc,
  HoverTarget,
  CompletionItemData,
  DocumentSymbolData,
  SymbolKind,
  ProbeLensTarget,
  ProbeableConfig,
  RuleInfo,
  Finding,
  FindingJson,
  Fix,
  TextEdit,
  TextRange,
  LanguageId,
  LintOptions,
  MeasuredNat,
  IpsecDialect,
  IpsecDialectGuess,
} from './lint';
export { checkText, MAX_LINT_BYTES } from './lint/textGuard';

// Measured values for the lint (the editor's history, `lint --report`'s saved report)
export { measuredFromReport, measuredFromReports, sameMeasured } from './advice/tunnelAdvice';
