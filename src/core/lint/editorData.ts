// Plain data for the editor adapter: hovers, completions, the outline and the lines a "Probe
// endpoint" CodeLens belongs on. No VS Code types: the adapter maps these one to one.
import { parseIpsecConf } from '../config/ipsec/ipsecConfParser';
import { LIBRESWAN_DOCS, STRONGSWAN_DOCS } from './ipsec/keywordDocs';
import { STRONGSWAN_KEYWORDS } from '../config/ipsec/strongswanKeywords';
import { isSwanctlSyntax } from '../config/languageDetection';
import { parseSwanctl, type SwanctlSection } from '../config/ipsec/swanctlParser';
import { lexOpenvpn } from '../config/openvpn/lexer';
import { openvpnRemotes } from '../config/openvpn/remotes';
import type { ProbeableConfig } from '../config/probeableConfig';
import { OPENVPN_OPTION_DOCS } from './openvpn/optionDocs';
import { DEPRECATED_OPTIONS, KNOWN_OPTIONS } from './openvpn/options';
import { SourceText } from '../config/sourceText';
import type { LanguageId, TextRange } from './types';
import { endpointHostPort } from '../config/wireguard/endpoint';
import { parseWireguard } from '../config/wireguard/parser';
import { WIREGUARD_KEYS, type WireguardSection } from './wireguard/schema';

export interface OptionDoc {
  key: string;
  /** Markdown-free sentence(s) in our own words. */
  summary: string;
  syntax?: string;
  defaultText?: string;
  manSection: string;
}

/** Hover text for a key/option, or undefined when we have nothing to say. Never includes values. */
export function getOptionDoc(language: LanguageId, key: string): OptionDoc | undefined {
  switch (language) {
    case 'wireguard': {
      const spec = WIREGUARD_KEYS.find((k) => k.name.toLowerCase() === key.toLowerCase());
      if (!spec) return undefined;
      const doc: OptionDoc = { key: spec.name, summary: `[${spec.section}] ${spec.summary}`, syntax: `${spec.name} = ${spec.valueHint}`, manSection: spec.manSection };
      if (spec.defaultText) doc.defaultText = spec.defaultText;
      return doc;
    }
    case 'openvpn': {
      const name = key.startsWith('--') ? key.slice(2) : key;
      const d = OPENVPN_OPTION_DOCS[name];
      if (d) {
        const doc: OptionDoc = { key: name, summary: d.summary, syntax: d.syntax, manSection: d.manSection };
        if (d.defaultText) doc.defaultText = d.defaultText;
        return doc;
      }
      if (KNOWN_OPTIONS.has(name)) {
        const dep = DEPRECATED_OPTIONS[name];
        return { key: name, summary: dep ? dep.message : `OpenVPN option --${name}.`, manSection: 'openvpn(8)' };
      }
      return undefined;
    }
    case 'strongswan':
    case 'libreswan': {
      const table = language === 'strongswan' ? STRONGSWAN_DOCS : LIBRESWAN_DOCS;
      const d = table[key];
      if (!d) return undefined;
      const doc: OptionDoc = { key, summary: d.summary, manSection: d.manSection };
      if (d.defaultText) doc.defaultText = d.defaultText;
      return doc;
    }
  }
}

export interface HoverTarget {
  key: string;
  /** 1-based columns of the key on its line, end exclusive. */
  column: number;
  endColumn: number;
}

/**
 * The key or option name under `column` (1-based) of one line, for hovers: the key before "=" in
 * WireGuard and IPsec files, the option name (or inline tag) in OpenVPN. Undefined elsewhere,
 * notably over values, so a hover never shows near a secret value.
 */
export function getHoverTarget(language: LanguageId, lineText: string, column: number): HoverTarget | undefined {
  let m: RegExpExecArray | null;
  if (language === 'openvpn') m = /^(\s*)(?:--)?<?\/?([A-Za-z][A-Za-z0-9-]*)/.exec(lineText);
  else m = /^(\s*)([A-Za-z][A-Za-z0-9_.-]*)\s*=/.exec(lineText);
  if (!m) return undefined;
  const key = m[2] as string;
  const start = lineText.indexOf(key, (m[1] as string).length);
  const target = { key, column: start + 1, endColumn: start + 1 + key.length };
  return column >= target.column && column <= target.endColumn ? target : undefined;
}

export interface CompletionItemData {
  label: string;
  /** A VS Code snippet string (${1:placeholder} syntax). */
  snippet: string;
  detail: string;
  documentation?: string;
  deprecated?: boolean;
}

/**
 * Keys/options to offer at `line` (1-based) of `text`: for WireGuard those of the section the
 * line is in; for the others every option we document.
 */
export function getCompletions(language: LanguageId, text: string, line: number): CompletionItemData[] {
  switch (language) {
    case 'wireguard': {
      const doc = parseWireguard(new SourceText(text));
      const section = [...doc.sections].reverse().find((s) => s.header.number <= line);
      const kind: WireguardSection | undefined = section?.kind;
      const items: CompletionItemData[] = [
        { label: '[Interface]', snippet: '[Interface]\n', detail: 'section' },
        { label: '[Peer]', snippet: '[Peer]\nPublicKey = ${1}\nAllowedIPs = ${2}\n', detail: 'section' },
      ];
      if (!kind) return items;
      return [
        ...WIREGUARD_KEYS.filter((k) => k.section === kind).map((k) => ({
          label: k.name, snippet: k.snippet, detail: `${k.tool} · ${k.valueHint}`, documentation: k.summary,
        })),
        ...items,
      ];
    }
    case 'openvpn':
      return [...KNOWN_OPTIONS].sort().map((name) => {
        const d = OPENVPN_OPTION_DOCS[name];
        const item: CompletionItemData = { label: name, snippet: d?.snippet ?? name, detail: d?.syntax ?? `--${name}` };
        if (d) item.documentation = d.summary;
        if (DEPRECATED_OPTIONS[name]) item.deprecated = true;
        return item;
      });
    case 'strongswan':
      return [...STRONGSWAN_KEYWORDS].sort().map((k) => {
        const d = STRONGSWAN_DOCS[k];
        const item: CompletionItemData = { label: k, snippet: d?.snippet ?? `${k}=\${1}`, detail: 'ipsec.conf' };
        if (d) item.documentation = d.summary;
        return item;
      });
    case 'libreswan':
      return Object.entries(LIBRESWAN_DOCS).map(([k, d]) => ({ label: k, snippet: d.snippet ?? `${k}=\${1}`, detail: 'libreswan ipsec.conf', documentation: d.summary }));
  }
}

export type SymbolKind = 'interface' | 'peer' | 'connection' | 'section' | 'inline-block';

export interface DocumentSymbolData {
  name: string;
  detail: string;
  kind: SymbolKind;
  /** Whole extent (for folding and the outline). */
  range: TextRange;
  /** What to highlight when selected (the header). */
  selectionRange: TextRange;
  children: DocumentSymbolData[];
}

function lineSpan(startLine: number, endLine: number, source: SourceText): TextRange {
  const end = source.line(endLine);
  return { line: startLine, column: 1, endLine, endColumn: (end?.text.length ?? 0) + 1 };
}

/** The outline: Interface and each Peer (named by its comment), each conn, inline blocks. */
export function getDocumentSymbols(language: LanguageId, text: string, fileName?: string): DocumentSymbolData[] {
  const source = new SourceText(text);
  switch (language) {
    case 'wireguard':
      return parseWireguard(source).sections.map((s) => {
        const endpoint = s.entries.find((e) => e.key.toLowerCase() === 'endpoint')?.value;
        const pk = s.entries.find((e) => e.key.toLowerCase() === 'publickey')?.value;
        // A public key is public, but show only its start: it identifies the peer well enough.
        const name = s.kind === 'Interface' ? 'Interface' : s.label ?? endpoint ?? (pk ? `Peer ${pk.slice(0, 8)}…` : 'Peer');
        return {
          name, detail: s.kind === 'Peer' ? endpoint ?? '' : '', kind: s.kind === 'Interface' ? 'interface' : 'peer',
          range: lineSpan(s.header.number, s.endLine, source), selectionRange: s.headerRange, children: [],
        } satisfies DocumentSymbolData;
      });
    case 'openvpn': {
      const doc = lexOpenvpn(source);
      return doc.directives.filter((d) => d.inline).map((d) => ({
        name: `<${d.name}>`, detail: 'inline block', kind: 'inline-block' as const,
        range: d.range, selectionRange: d.nameToken.range, children: [],
      }));
    }
    case 'strongswan':
    case 'libreswan': {
      if (language === 'strongswan' && isSwanctlSyntax(text, fileName)) {
        const toSymbol = (s: SwanctlSection): DocumentSymbolData => ({
          name: s.name, detail: s.path.join('.'), kind: s.path[0] === 'connections' && s.path.length === 1 ? 'connection' : 'section',
          range: lineSpan(s.line.number, s.endLine, source), selectionRange: s.nameRange, children: s.children.map(toSymbol),
        });
        return parseSwanctl(source).root.children.map(toSymbol);
      }
      return parseIpsecConf(source).sections.map((s) => ({
        name: s.kind === 'config' ? 'config setup' : `${s.kind} ${s.name}`, detail: s.kind === 'conn' ? [...s.settings].reverse().find((x) => x.key === 'right')?.value ?? '' : '',
        kind: s.kind === 'conn' ? 'connection' : 'section',
        range: lineSpan(s.header.number, s.endLine, source), selectionRange: s.headerRange, children: [],
      }));
    }
  }
}

export interface ProbeLensTarget {
  /** Where the CodeLens goes: the Endpoint / remote line. */
  range: TextRange;
  host: string;
  port: number;
  protocol: 'wireguard' | 'openvpn' | 'tcp';
}

/**
 * WireGuard Endpoint and OpenVPN remote lines that the probe engine can try, read from the one
 * parse that the probe then takes its keys from.
 */
export function getProbeTargets(config: ProbeableConfig | undefined): ProbeLensTarget[] {
  const out: ProbeLensTarget[] = [];
  if (config?.language === 'wireguard') {
    for (const s of config.wireguard.sections) {
      if (s.kind !== 'Peer') continue;
      for (const e of s.entries) {
        const endpoint = e.key.toLowerCase() === 'endpoint' ? endpointHostPort(e.value) : undefined;
        if (endpoint) out.push({ range: e.range, host: endpoint.host, port: endpoint.port, protocol: 'wireguard' });
      }
    }
  } else if (config?.language === 'openvpn') {
    const { remotes, proto, port } = openvpnRemotes(config.openvpn);
    for (const r of remotes) {
      // OpenVPN's default port is 1194 and its default protocol UDP (openvpn(8) --port, --proto).
      const transport = r.proto ?? proto ?? 'udp';
      out.push({ range: r.directive.range, host: r.host, port: r.port ?? port ?? 1194, protocol: transport === 'tcp' ? 'tcp' : 'openvpn' });
    }
  }
  return out;
}
