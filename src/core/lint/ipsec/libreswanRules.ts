// libreswan ipsec.conf rules. Sources: configs/d.ipsec.conf/{conn,setup}/*.xml,
// lib/libswan/ipsecconf/{conn,setup}.c and CHANGES.
import type { FindingSink } from '../findings';
import { describeMeasuredNat, measuredBehindNat } from '../../advice/tunnelAdvice';
import type { SourceText } from '../../config/sourceText';
import type { Fix, LintOptions } from '../types';
import { effectiveSetting, parseIpsecConf, type IpsecConfDocument, type IpsecSection, type IpsecSetting } from '../../config/ipsec/ipsecConfParser';

interface Removed {
  message: string;
  fix?: (s: IpsecSetting) => string | undefined;
}

/** Keywords libreswan no longer knows: addconn refuses the connection ("unknown keyword"). */
const REMOVED: Readonly<Record<string, Removed>> = {
  nat_traversal: { message: 'nat_traversal was removed in libreswan 4.0 (it was ignored before that): NAT traversal is always on.' },
  'nat-traversal': { message: '"nat-traversal" has never been a libreswan keyword (the old one was nat_traversal, removed in 4.0): NAT traversal is always on.' },
  forceencaps: {
    message: 'forceencaps was removed in libreswan 5.0; use encapsulation=yes (since 3.19).',
    fix: (s) => (s.value === 'yes' ? `${s.indent}encapsulation=yes` : undefined),
  },
  keep_alive: { message: 'keep_alive is the strongSwan 4 spelling; libreswan\'s is keep-alive (in config setup).', fix: (s) => `${s.indent}keep-alive=${s.value}` },
};

/** Accepted but ignored since 5.0 (kt_obsolete). */
const OBSOLETE: Readonly<Record<string, string>> = {
  dpdaction: 'dpdaction is obsolete since libreswan 5.0 and ignored: a dead peer is always cleared (and restarted for auto=start).',
  keyingtries: 'keyingtries is obsolete since libreswan 5.0 and ignored.',
};

/** Keywords valid only in config setup. */
const SETUP_ONLY: ReadonlySet<string> = new Set(['keep-alive', 'virtual-private', 'ikev1-policy', 'protostack', 'logfile', 'plutodebug', 'listen', 'myvendorid', 'uniqueids']);

export function lintLibreswan(source: SourceText, sink: FindingSink, options: LintOptions): IpsecConfDocument {
  const doc = parseIpsecConf(source);
  for (const p of doc.problems) sink.add(p.range, 'error', 'libreswan/syntax-error', `${p.message} addconn refuses the file.`);
  for (const section of doc.sections) {
    for (const s of section.settings) {
      const removed = REMOVED[s.key];
      if (removed) {
        const replacement = removed.fix?.(s);
        const fix: Fix = replacement
          ? { title: `Replace with "${replacement.trim()}"`, edits: [{ line: s.line.number, column: 1, endLine: s.line.number, endColumn: s.line.text.length + 1, text: replacement }], preferred: true }
          : { title: `Delete the ${s.key} line`, edits: [source.deleteLine(s.line)], preferred: s.key !== 'forceencaps' };
        sink.add(s.keyRange, 'error', 'libreswan/removed-option', `${removed.message} Current libreswan refuses the unknown keyword.`, fix);
        continue;
      }
      const obsolete = OBSOLETE[s.key];
      if (obsolete) {
        sink.add(s.keyRange, 'warning', 'libreswan/obsolete-option', obsolete, { title: `Delete the ${s.key} line`, edits: [source.deleteLine(s.line)] });
        continue;
      }
      if (section.kind === 'conn' && SETUP_ONLY.has(s.key)) {
        sink.add(s.keyRange, 'error', 'libreswan/wrong-section', `${s.key} belongs in "config setup", not in a conn; addconn refuses it here.`);
        continue;
      }
      if (s.key === 'keep-alive' && section.kind === 'config') {
        const n = parseSeconds(s.value);
        if (n === undefined || n < 1 || n > 86400) {
          sink.add(s.valueRange, 'warning', 'libreswan/invalid-value', `keep-alive must be from 1 second to 1 day; pluto ignores "${s.value}" ("ignoring too small/big keep-alive period") and keeps 20 s.`);
        }
      }
      if (s.key === 'encapsulation' && s.value === 'yes') {
        sink.add(s.range, 'info', 'libreswan/forced-encapsulation', 'encapsulation=yes wraps ESP in UDP 4500 even without NAT (it fakes the NAT detection hashes): useful when a firewall blocks ESP, otherwise extra overhead.');
      }
      if (s.key === 'nat-keepalive' && s.value === 'no' && measuredBehindNat(options.measured)) {
        sink.add(s.range, 'warning', 'libreswan/nat-keepalive-disabled', `nat-keepalive=no: ${describeMeasuredNat(options.measured) ?? 'a NAT is in the way'}, and without the 1-byte keepalives the mapping expires when the tunnel is idle.`);
      }
    }
    if (section.kind === 'conn' && section.name !== '%default') lintDpd(source, doc, section, sink, options);
  }
  return doc;
}

function parseSeconds(v: string): number | undefined {
  const m = /^([0-9]+)([smhd]?)$/.exec(v);
  if (!m) return undefined;
  const mult: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
  return Number(m[1]) * (mult[m[2] as string] ?? 1);
}

function lintDpd(source: SourceText, doc: IpsecConfDocument, conn: IpsecSection, sink: FindingSink, options: LintOptions): void {
  const auto = effectiveSetting(doc, conn, 'auto')?.value ?? 'ignore';
  if (auto === 'ignore') return;
  const delay = effectiveSetting(doc, conn, 'dpddelay');
  if (delay && parseSeconds(delay.value) !== 0) return;
  const words = describeMeasuredNat(options.measured);
  const indent = conn.settings[0]?.indent ?? '\t';
  sink.add(delay ? delay.valueRange : conn.nameRange, measuredBehindNat(options.measured) ? 'warning' : 'info', 'libreswan/dpd-disabled',
    `Liveness checks are off for "${conn.name}" (dpddelay defaults to 0): ${words ? `${words}; ` : 'behind NAT a mapping can vanish silently; '}the SA stays up but carries nothing. Set dpddelay=30.`, {
      title: 'Set dpddelay=30',
      edits: [delay ? { ...delay.valueRange, text: '30' } : source.insertLineAfter(conn.header, `${indent}dpddelay=30`)],
      preferred: true,
    });
}
