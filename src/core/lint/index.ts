// Public API of the lint engine, for the CLI and the VS Code adapter. Everything here is pure.
export { lint, hasErrors, fixAllEdits } from './lint';
export { detectLanguage, languageFromFileName, sniffContent, guessIpsecDialect, explainIpsecDialect, LANGUAGE_FILE_PATTERNS } from '../config/languageDetection';
export type { IpsecDialect, IpsecDialectGuess } from '../config/languageDetection';
export { getOptionDoc, getHoverTarget, getCompletions, getDocumentSymbols, getProbeTargets } from './editorData';
export type { OptionDoc, HoverTarget, CompletionItemData, DocumentSymbolData, SymbolKind, ProbeLensTarget } from './editorData';
export { applyEdits } from '../config/sourceText';
export { parseProbeableConfig, type ProbeableConfig } from '../config/probeableConfig';
export { RULES, ruleDocUrl } from './ruleCatalog';
export type { RuleInfo } from './ruleCatalog';
export { toFindingJson, LANGUAGE_IDS } from './types';
export type { Finding, FindingJson, Fix, TextEdit, TextRange, Severity, LanguageId, LintOptions, MeasuredNat } from './types';
