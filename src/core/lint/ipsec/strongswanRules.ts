// strongSwan rules for ipsec.conf (starter) and swanctl.conf (vici). Sources: man/ipsec.conf.5.in,
// src/starter/keywords.txt and confread.c, src/swanctl/swanctl.opt, vici_config.c.
import type { FindingSink } from '../findings';
import { describeMeasuredNat, measuredBehindNat } from '../../advice/tunnelAdvice';
import type { SourceText } from '../../config/sourceText';
import { closestName } from '../suggest';
import type { LintOptions } from '../types';
import { effectiveSetting, parseIpsecConf, type IpsecConfDocument, type IpsecSection } from '../../config/ipsec/ipsecConfParser';
import { STRONGSWAN_BOOLEANS, STRONGSWAN_DEPRECATED, STRONGSWAN_KEYWORDS, SWANCTL_CONNECTION_KEYS, SWANCTL_DPD_ACTIONS } from './strongswanKeywords';
import { parseSwanctl, type SwanctlDocument, type SwanctlSection } from '../../config/ipsec/swanctlParser';

/** swanctl.conf syntax (braces) rather than ipsec.conf (indented key=value under "conn"). */
export function isSwanctlSyntax(text: string, fileName: string | undefined): boolean {
  const base = (fileName ?? '').split(/[\\/]/).pop() ?? '';
  if (base === 'swanctl.conf' || /[\\/]swanctl[\\/]/.test(fileName ?? '')) return true;
  if (base === 'ipsec.conf') return false;
  return /^\s*(connections|secrets|pools|authorities)\s*\{/m.test(text.slice(0, 65536));
}

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
  for (const p of doc.problems) sink.add(p.range, 'error', 'strongswan/syntax-error', `${p.message} The starter refuses the file.`);
  for (const section of doc.sections) {
    for (const s of section.settings) {
      if (!STRONGSWAN_KEYWORDS.has(s.key)) {
        const guess = closestName(s.key, STRONGSWAN_KEYWORDS);
        sink.add(s.keyRange, 'warning', 'strongswan/unknown-keyword', `"${s.key}" is not an ipsec.conf keyword of strongSwan 5.9; the starter reports a parse error for it.${guess ? ` Did you mean ${guess}?` : ''}`);
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
      if (STRONGSWAN_BOOLEANS.has(s.key) && !/^(yes|no)$/.test(s.value) && s.value !== '') {
        sink.add(s.valueRange, 'error', 'strongswan/invalid-value', `${s.key} takes only "yes" or "no" in ipsec.conf; the starter refuses "${s.value}".`);
      }
      if (s.key === 'dpdaction' && !/^(none|clear|hold|restart)$/.test(s.value) && s.value !== '') {
        sink.add(s.valueRange, 'error', 'strongswan/invalid-value', `dpdaction takes none, clear, hold or restart; the starter refuses "${s.value}".`);
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
    for (const conn of block.children) lintSwanctlConnection(source, conn, sink, options);
  }
}

function lintSwanctlConnection(source: SourceText, conn: SwanctlSection, sink: FindingSink, options: LintOptions): void {
  const get = (k: string): SwanctlSection['settings'][number] | undefined => [...conn.settings].reverse().find((s) => s.key === k);
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
  if (encap && /^(yes|true|enabled|1)$/i.test(encap.value)) {
    sink.add(encap.range, 'info', 'strongswan/forced-encapsulation', 'encap = yes wraps ESP in UDP 4500 even without NAT by faking the NAT detection payloads: useful when a firewall blocks ESP, otherwise 8 bytes of overhead per packet.');
  }
  const version = get('version')?.value ?? '0';
  const dpdTimeout = get('dpd_timeout');
  if (dpdTimeout && version === '2') {
    sink.add(dpdTimeout.keyRange, 'info', 'strongswan/ikev1-only-option', 'dpd_timeout applies to IKEv1 only; with IKEv2 a dead peer is detected by the retransmission timeout.');
  }
  const delay = get('dpd_delay');
  if (!delay || /^0+[smhd]?$/.test(delay.value)) {
    const { severity, why } = dpdAdvice(options);
    const fix = delay
      ? { title: 'Set dpd_delay = 30s', edits: [{ ...delay.valueRange, text: '30s' }], preferred: true }
      : { title: 'Add dpd_delay = 30s', edits: [source.insertLineAfter(conn.line, `${conn.childIndent}dpd_delay = 30s`)], preferred: true };
    sink.add(delay ? delay.valueRange : conn.nameRange, severity, 'strongswan/dpd-disabled',
      `Dead peer detection is off for connection "${conn.name}" (dpd_delay defaults to 0s): ${why}the SA stays up but carries nothing. Set dpd_delay = 30s (and dpd_action in its children).`, fix);
  }
}
