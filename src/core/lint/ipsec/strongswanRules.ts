// strongSwan rules for ipsec.conf (starter) and swanctl.conf (vici). Sources: man/ipsec.conf.5.in,
// src/starter/keywords.txt and confread.c, src/swanctl/swanctl.opt, vici_config.c.
import type { FindingSink } from '../findings';
import { describeMeasuredNat, measuredBehindNat } from '../../advice/tunnelAdvice';
import type { SourceText } from '../../config/sourceText';
import { closestName } from '../suggest';
import type { LintOptions } from '../types';
import { effectiveSetting, parseIpsecConf, type IpsecConfDocument, type IpsecSection } from '../../config/ipsec/ipsecConfParser';
import { STRONGSWAN_DEPRECATED, STRONGSWAN_ENUMS, STRONGSWAN_KEYWORDS, STRONGSWAN_SECTION_KEYWORDS, SWANCTL_CONNECTION_KEYS, SWANCTL_DPD_ACTIONS } from '../../config/ipsec/strongswanKeywords';
import { parseSwanctl, swanctlSetting, type SwanctlDocument, type SwanctlSection } from '../../config/ipsec/swanctlParser';
import { quote } from '../redact';
import { isSwanctlSyntax } from '../../config/languageDetection';

export function lintStrongswan(source: SourceText, sink: FindingSink, options: LintOptions): IpsecConfDocument | SwanctlDocument {
  if (isSwanctlSyntax(source.raw, options.fileName)) {
    const doc = parseSwanctl(source);
    lintSwanctl(source, doc, sink, options);
    return doc;
  }
  const doc = parseIpsecConf(source);
  lintIpsecConf(source, doc, sink, options);
  return doc;
}

function dpdAdvice(options: LintOptions): { severity: 'info' | 'warning'; why: string } {
  const words = describeMeasuredNat(options.measured);
  return {
    severity: measuredBehindNat(options.measured) ? 'warning' : 'info',
    why: words ? `${words}; ` : 'behind NAT a mapping can vanish silently; ',
  };
}

function lintIpsecConf(source: SourceText, doc: IpsecConfDocument, sink: FindingSink, options: LintOptions): void {
  if (source.hasBom) {
    sink.add({ line: 1, column: 1, endLine: 1, endColumn: (source.line(1)?.text.length ?? 0) + 1 }, 'error', 'strongswan/syntax-error',
      'This file starts with a UTF-8 byte-order mark, which the starter reads as part of the first line ("syntax error"). Save it as UTF-8 without BOM.');
  }
  for (const p of doc.problems) sink.add(p.range, 'error', 'strongswan/syntax-error', `${p.message} The starter refuses the file.`);
  for (const section of doc.sections) {
    const allowed = STRONGSWAN_SECTION_KEYWORDS[section.kind === 'config' ? 'setup' : section.kind];
    const where = section.kind === 'config' ? 'config setup' : `${section.kind} ${section.name}`;
    // The last setting of each key: only it counts (confread.c).
    const lastOfKey = new Map<string, (typeof section.settings)[number]>();
    for (const s of section.settings) lastOfKey.set(s.key, s);
    for (const s of section.settings) {
      if (!s.hasEquals) {
        sink.add(s.range, 'error', 'strongswan/syntax-error', `${quote(s.key)} has no "=": the starter stops with "missing value for setting". (libreswan reads x- lines as comments; strongSwan does not.)`);
        continue;
      }
      if (!STRONGSWAN_KEYWORDS.has(s.key)) {
        const guess = closestName(s.key, allowed);
        sink.add(s.keyRange, 'warning', 'strongswan/unknown-keyword', `${quote(s.key)} is not an ipsec.conf keyword of strongSwan 5.9.8; the starter logs "unknown keyword" and skips the line.${guess ? ` Did you mean ${guess}?` : ''}`,
          guess ? { title: `Change to ${guess}`, edits: [{ ...s.keyRange, text: guess }] } : undefined);
        continue;
      }
      if (!allowed.has(s.key)) {
        const fatal = section.kind === 'config';
        sink.add(s.keyRange, 'error', 'strongswan/wrong-section', `${s.key} does not belong in "${where}": the starter reports "unsupported keyword" and ${fatal ? 'refuses the whole file' : `ignores ${section.kind === 'ca' ? 'this ca section' : 'this conn'}`}.`);
        continue;
      }
      if (STRONGSWAN_DEPRECATED.has(s.key)) {
        const natNote = s.key === 'nat_traversal'
          ? ' NAT traversal is always on in strongSwan 5 and later.'
          : s.key === 'keep_alive' || s.key === 'force_keepalive'
            ? ' The NAT-T keepalive interval is charon.keep_alive in strongswan.conf (default 20s).'
            : '';
        sink.add(s.keyRange, 'warning', 'strongswan/deprecated-option', `${s.key} is deprecated: the starter logs "deprecated keyword" and ignores it.${natNote}`, {
          title: `Delete the ${s.key} line`,
          edits: [source.deleteLine(s.line)],
        });
        continue;
      }
      // Only the last value of a key counts (confread.c), so an earlier bad one does no harm.
      const values = lastOfKey.get(s.key) === s ? STRONGSWAN_ENUMS[s.key] : undefined;
      if (values && !values.includes(s.value) && s.value !== '') {
        const cr = s.line.eol === '\r\n' ? ' (the line ends in a carriage return, which the starter reads as part of the value: save the file with LF line endings)' : '';
        sink.add(cr ? s.keyRange : s.valueRange, 'error', 'strongswan/invalid-value', `${s.key} takes ${values.join(', ')}; the starter ignores ${section.kind === 'config' ? 'the setting' : `"${where}"`} with ${quote(s.value)}${cr}.`);
      } else if (values && s.line.eol === '\r\n' && section.kind !== 'config') {
        sink.add(s.keyRange, 'error', 'strongswan/invalid-value', `This line ends in a carriage return (CRLF), which the starter reads as part of the value: ${quote(`${s.value}\\r`)} is not one of ${values.join(', ')}, so "${where}" is ignored. Save the file with LF line endings.`);
      }
      if (s.key === 'also' && section.kind !== 'config' && !doc.sections.some((x) => x.kind === section.kind && x.name === s.value)) {
        sink.add(s.valueRange, 'error', 'strongswan/missing-also', `also=${s.value} names no ${section.kind} section in this file; the starter stops with "section '${s.value}' referenced in section '${section.name}' not found" and refuses the file.`);
      }
      if (s.key === 'forceencaps' && s.value === 'yes') {
        sink.add(s.range, 'info', 'strongswan/forced-encapsulation', 'forceencaps=yes wraps ESP in UDP 4500 even without NAT by faking the NAT detection payloads: useful when a firewall blocks ESP, otherwise 8 bytes of overhead per packet.');
      }
    }
    if (section.kind === 'conn' && section.name !== '%default') lintConnLiveness(source, doc, section, sink, options);
  }
}

function lintConnLiveness(source: SourceText, doc: IpsecConfDocument, conn: IpsecSection, sink: FindingSink, options: LintOptions): void {
  const auto = effectiveSetting(doc, conn, 'auto')?.value ?? 'ignore';
  if (auto === 'ignore') return; // a template for also=, not a connection of its own
  const action = effectiveSetting(doc, conn, 'dpdaction');
  const delay = effectiveSetting(doc, conn, 'dpddelay');
  const keyexchange = effectiveSetting(doc, conn, 'keyexchange')?.value ?? 'ike';
  const dpdtimeout = effectiveSetting(doc, conn, 'dpdtimeout');
  if (dpdtimeout && keyexchange !== 'ikev1' && dpdtimeout.line.number >= conn.header.number && dpdtimeout.line.number <= conn.endLine) {
    sink.add(dpdtimeout.keyRange, 'info', 'strongswan/ikev1-only-option', 'dpdtimeout applies to IKEv1 only; with IKEv2 a dead peer is detected by the retransmission timeout (≈ 165 s by default).');
  }
  const { severity, why } = dpdAdvice(options);
  const responder = auto === 'add' || effectiveSetting(doc, conn, 'right')?.value === '%any';
  const wantAction = responder ? 'clear' : 'restart';
  if (!action || action.value === 'none') {
    const indent = conn.settings[0]?.indent ?? '\t';
    sink.add(conn.nameRange, severity, 'strongswan/dpd-disabled',
      `Dead peer detection is off for "${conn.name}" (dpdaction=none): ${why}the SA stays up but carries nothing. Set dpdaction=${wantAction} with dpddelay=30s.`, {
        title: `Enable DPD (dpddelay=30s, dpdaction=${wantAction})`,
        edits: [action
          ? { ...action.valueRange, text: wantAction }
          : source.insertLineAfter(conn.header, `${indent}dpddelay=30s${source.eol}${indent}dpdaction=${wantAction}`)],
        preferred: true,
      });
  } else if (delay && /^0+[smhd]?$/.test(delay.value)) {
    sink.add(delay.valueRange, severity, 'strongswan/dpd-disabled', `dpddelay=${delay.value}: with IKEv2 a delay of 0 sends no liveness checks at all, so dpdaction=${action.value} never fires.`, {
      title: 'Set dpddelay=30s', edits: [{ ...delay.valueRange, text: '30s' }], preferred: true,
    });
  }
}

const SWANCTL_BOOL = /^(yes|true|enabled|1|no|false|disabled|0)$/i;
const SWANCTL_TIME = /^[0-9]+[smhd]?$/;

function lintSwanctl(source: SourceText, doc: SwanctlDocument, sink: FindingSink, options: LintOptions): void {
  for (const p of doc.problems) sink.add(p.range, 'error', 'strongswan/syntax-error', p.message);
  const connections = doc.root.children.filter((c) => c.name === 'connections');
  for (const block of connections) {
    for (const conn of block.children) lintSwanctlConnection(source, doc, conn, sink, options);
  }
}

function lintSwanctlConnection(source: SourceText, doc: SwanctlDocument, conn: SwanctlSection, sink: FindingSink, options: LintOptions): void {
  // A connection may inherit from other sections ("alice : connections.nat-t {"): their settings count as its own.
  const get = (k: string): SwanctlSection['settings'][number] | undefined => swanctlSetting(doc, conn, k);
  for (const s of conn.settings) {
    if (!SWANCTL_CONNECTION_KEYS.has(s.key)) {
      const guess = closestName(s.key, SWANCTL_CONNECTION_KEYS);
      sink.add(s.keyRange, 'error', 'strongswan/unknown-keyword', `"${s.key}" is not a setting of a swanctl connection; swanctl discards the whole connection ("unknown option").${guess ? ` Did you mean ${guess}?` : ''}`,
        guess ? { title: `Change to ${guess}`, edits: [{ ...s.keyRange, text: guess }] } : undefined);
      continue;
    }
    if (['encap', 'mobike', 'aggressive', 'pull', 'send_certreq'].includes(s.key) && !SWANCTL_BOOL.test(s.value)) {
      sink.add(s.valueRange, 'error', 'strongswan/invalid-value', `${s.key} takes yes/no (or true/false, enabled/disabled, 1/0); swanctl refuses "${s.value}".`);
    }
    if (['dpd_delay', 'dpd_timeout', 'rekey_time', 'reauth_time', 'over_time'].includes(s.key) && !SWANCTL_TIME.test(s.value)) {
      sink.add(s.valueRange, 'error', 'strongswan/invalid-value', `${s.key} takes a time: a number with an optional s, m, h or d suffix; swanctl refuses "${s.value}".`);
    }
  }
  for (const children of conn.children.filter((c) => c.name === 'children')) {
    for (const child of children.children) {
      for (const s of child.settings) {
        if (s.key === 'dpd_action' && !SWANCTL_DPD_ACTIONS.has(s.value.toLowerCase())) {
          sink.add(s.valueRange, 'error', 'strongswan/invalid-value', `dpd_action takes clear, trap or restart (also none, route, start); swanctl discards the connection with "${s.value}".`);
        }
      }
    }
  }
  const encap = get('encap');
  if (encap && conn.settings.includes(encap) && /^(yes|true|enabled|1)$/i.test(encap.value)) {
    sink.add(encap.range, 'info', 'strongswan/forced-encapsulation', 'encap = yes wraps ESP in UDP 4500 even without NAT by faking the NAT detection payloads: useful when a firewall blocks ESP, otherwise 8 bytes of overhead per packet.');
  }
  const version = get('version')?.value ?? '0';
  const dpdTimeout = get('dpd_timeout');
  if (dpdTimeout && conn.settings.includes(dpdTimeout) && version === '2') {
    sink.add(dpdTimeout.keyRange, 'info', 'strongswan/ikev1-only-option', 'dpd_timeout applies to IKEv1 only; with IKEv2 a dead peer is detected by the retransmission timeout.');
  }
  const delay = get('dpd_delay');
  const ownDelay = delay !== undefined && conn.settings.includes(delay);
  if (!delay || /^0+[smhd]?$/.test(delay.value)) {
    const { severity, why } = dpdAdvice(options);
    const fix = delay && ownDelay
      ? { title: 'Set dpd_delay = 30s', edits: [{ ...delay.valueRange, text: '30s' }], preferred: true }
      : { title: 'Add dpd_delay = 30s', edits: [source.insertLineAfter(conn.line, `${conn.childIndent}dpd_delay = 30s`)], preferred: true };
    sink.add(delay && ownDelay ? delay.valueRange : conn.nameRange, severity, 'strongswan/dpd-disabled',
      `Dead peer detection is off for connection "${conn.name}" (dpd_delay defaults to 0s): ${why}the SA stays up but carries nothing. Set dpd_delay = 30s (and dpd_action in its children).`, fix);
  }
}
