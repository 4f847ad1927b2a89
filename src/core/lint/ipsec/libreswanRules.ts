// libreswan ipsec.conf rules. Sources: libreswan's keyword tables (config/ipsec/libreswanKeywords.ts),
// lib/libswan/ipsecconf/{parser.y,scanner.lex}, configs/d.ipsec.conf/*.xml and CHANGES. Errors are
// what addconn of the current release refuses; warnings what it ignores.
import type { FindingSink } from '../findings';
import { describeMeasuredNat, measuredBehindNat } from '../../advice/tunnelAdvice';
import type { SourceText } from '../../config/sourceText';
import type { Fix, LintOptions } from '../types';
import { effectiveSetting, parseIpsecConf, type IpsecConfDocument, type IpsecSection, type IpsecSetting } from '../../config/ipsec/ipsecConfParser';
import {
  isLibreswanCommentKey,
  LIBRESWAN_CURRENT,
  LIBRESWAN_RETIRED,
  libreswanKeyStatus,
  libreswanKeywordNames,
  libreswanValueSince,
  versionAtLeast,
  type LibreswanSection,
} from '../../config/ipsec/libreswanKeywords';
import { quote } from '../redact';
import { closestName } from '../suggest';

/** Which release's verdicts to give: the current one, unless a caller (the lab test) asks for another. */
function targetVersion(options: LintOptions): string {
  return options.libreswanVersion ?? LIBRESWAN_CURRENT;
}

export function lintLibreswan(source: SourceText, sink: FindingSink, options: LintOptions): IpsecConfDocument {
  const doc = parseIpsecConf(source);
  const version = targetVersion(options);
  if (source.hasBom) {
    sink.add({ line: 1, column: 1, endLine: 1, endColumn: (source.line(1)?.text.length ?? 0) + 1 }, 'error', 'libreswan/syntax-error',
      'This file starts with a UTF-8 byte-order mark, which addconn reads as part of the first word ("syntax error"). Save it as UTF-8 without BOM.');
  }
  const crlf = source.lines.find((l) => l.eol === '\r\n');
  if (crlf) {
    sink.add(source.lineRange(crlf), 'error', 'libreswan/carriage-return',
      'This file has Windows (CRLF) line endings. addconn reads the carriage return as part of each line: "config setup" becomes a syntax error and values such as auto=add become invalid. Save it with LF line endings.');
  }
  for (const p of doc.problems) sink.add(p.range, 'error', 'libreswan/syntax-error', `${p.message} addconn refuses the file.`);
  for (const section of doc.sections) {
    if (section.kind === 'ca') {
      sink.add(section.headerRange, 'error', 'libreswan/syntax-error', '"ca" sections are strongSwan\'s; libreswan has none and addconn refuses the file ("syntax error"). Put the CA into the NSS database instead.');
      continue;
    }
    const kind: LibreswanSection = section.kind === 'config' ? 'setup' : 'conn';
    for (const s of section.settings) {
      if (isLibreswanCommentKey(s.key)) {
        // Openswan's "x-" comment lines: skipped with a warning since 5.1; a bare one without "="
        // was a syntax error before that.
        if (!s.hasEquals && !versionAtLeast(version, '5.1')) sink.add(s.range, 'error', 'libreswan/syntax-error', `libreswan before 5.1 needs "=" after an x- comment key; addconn refuses "${s.key}".`);
        continue;
      }
      if (section.name === '%default' && s.key.toLowerCase() === 'also' && versionAtLeast(version, '5.0')) {
        sink.add(s.keyRange, 'error', 'libreswan/wrong-section', 'also= is not allowed in conn %default; libreswan 5 refuses the file ("unrecognized conn keyword").', { title: 'Delete the also line', edits: [source.deleteLine(s.line)] });
        continue;
      }
      if (reportKeyword(source, sink, s, kind, version)) continue;
      const key = s.key.toLowerCase();
      const valueSince = libreswanValueSince(key, s.value);
      if (valueSince && !versionAtLeast(version, valueSince)) {
        sink.add(s.valueRange, 'error', 'libreswan/invalid-value', `${s.key}=${s.value} needs libreswan ${valueSince} or later; libreswan ${version} refuses it ("invalid value").`);
      }
      if (key === 'keep-alive' && section.kind === 'config') {
        const n = parseSeconds(s.value);
        if (n === undefined || n < 1 || n > 86400) {
          sink.add(s.valueRange, 'warning', 'libreswan/invalid-value', `keep-alive must be from 1 second to 1 day; pluto ignores ${quote(s.value)} ("ignoring too small/big keep-alive period") and keeps 20 s.`);
        }
      }
      if (key === 'encapsulation' && s.value === 'yes') {
        sink.add(s.range, 'info', 'libreswan/forced-encapsulation', 'encapsulation=yes wraps ESP in UDP 4500 even without NAT (it fakes the NAT detection hashes): useful when a firewall blocks ESP, otherwise extra overhead.');
      }
      if (key === 'nat-keepalive' && s.value === 'no' && measuredBehindNat(options.measured)) {
        sink.add(s.range, 'warning', 'libreswan/nat-keepalive-disabled', `nat-keepalive=no: ${describeMeasuredNat(options.measured) ?? 'a NAT is in the way'}, and without the 1-byte keepalives the mapping expires when the tunnel is idle.`);
      }
    }
    if (section.kind === 'conn' && section.name !== '%default') lintDpd(source, doc, section, sink, options);
  }
  return doc;
}

const SECTION_WORDS: Record<LibreswanSection, string> = { setup: 'config setup', conn: 'a conn' };

/** Reports what libreswan `version` does with the keyword of `s`; true when it said something final. */
function reportKeyword(source: SourceText, sink: FindingSink, s: IpsecSetting, section: LibreswanSection, version: string): boolean {
  const status = libreswanKeyStatus(s.key, section, version);
  const v = `libreswan ${version}`;
  const deleteFix = (preferred = false): Fix => ({ title: `Delete the ${s.key} line`, edits: [source.deleteLine(s.line)], preferred });
  const replaceKey = (name: string): Fix => ({ title: `Change to ${name}`, edits: [{ ...s.keyRange, text: name }], preferred: true });
  switch (status.kind) {
    case 'ok':
      return false;
    case 'obsolete': {
      const note = OBSOLETE_NOTES[status.match.keyword.name] ?? '';
      sink.add(s.keyRange, 'warning', 'libreswan/obsolete-option', `${s.key} is obsolete since libreswan ${status.since}: addconn logs "obsolete keyword ignored" and ignores it.${note}`, deleteFix());
      return true;
    }
    case 'removed': {
      const forceencaps = status.match.keyword.name === 'forceencaps';
      const fix: Fix = forceencaps && s.value === 'yes'
        ? { title: 'Replace with "encapsulation=yes"', edits: [{ line: s.line.number, column: 1, endLine: s.line.number, endColumn: s.line.text.length + 1, text: `${s.indent}encapsulation=yes` }], preferred: true }
        : deleteFix(!forceencaps);
      sink.add(s.keyRange, 'error', 'libreswan/removed-option', `${s.key} was removed in libreswan ${status.removed}${forceencaps ? ' (it had been ignored since 4.x); use encapsulation=yes' : ''}. ${v} refuses the file ("unrecognized keyword").`, fix);
      return true;
    }
    case 'not-yet':
      sink.add(s.keyRange, 'error', 'libreswan/unknown-keyword', `${s.key} needs libreswan ${status.since} or later; ${v} refuses the file ("unrecognized keyword").`);
      return true;
    case 'wrong-section': {
      const home = status.match.keyword.section;
      sink.add(s.keyRange, 'error', 'libreswan/wrong-section', `${s.key} belongs in ${SECTION_WORDS[home]}, not in ${SECTION_WORDS[section]}; ${v} refuses the file ("unrecognized ${section === 'setup' ? 'config setup' : 'conn'} keyword").`);
      return true;
    }
    case 'unknown': {
      const retired = LIBRESWAN_RETIRED[s.key.toLowerCase()];
      if (retired) {
        sink.add(s.keyRange, 'error', 'libreswan/removed-option', `${s.key} is no longer a libreswan keyword (4.10 and later refuse it): ${retired.why}. ${v} refuses the file.`,
          retired.successor ? replaceKey(retired.successor) : deleteFix(true));
        return true;
      }
      const hyphenated = s.key.replace(/_/g, '-');
      const renamed = hyphenated !== s.key && libreswanKeyStatus(hyphenated, section, version).kind === 'ok' ? hyphenated : undefined;
      const guess = renamed ?? closestName(s.key, libreswanKeywordNames(section));
      sink.add(s.keyRange, 'error', 'libreswan/unknown-keyword', `${quote(s.key)} is not a libreswan ${section === 'setup' ? 'config setup' : 'conn'} keyword; ${v} refuses the whole file ("unrecognized keyword").${guess ? ` Did you mean ${guess}?` : ''}`,
        guess ? { ...replaceKey(guess), preferred: renamed !== undefined } : undefined);
      return true;
    }
  }
}

const OBSOLETE_NOTES: Readonly<Record<string, string>> = {
  dpdaction: ' A dead peer is always cleared (and restarted for auto=start).',
  keyingtries: ' libreswan keeps trying (revival) on its own.',
  interfaces: ' pluto listens on every interface.',
  virtual_private: ' Write virtual-private.',
  plutostderrlog: ' Use logfile=.',
};

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
