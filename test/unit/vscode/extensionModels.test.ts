import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Memento } from 'vscode';
import { CGNAT_LABEL, NAT_TYPE_LABEL, OFFLINE_LABEL, natTypeLabel } from '../../../src/core/report/explain';
import { escapeMarkdown, formatMarkdownReport } from '../../../src/core/report/markdownReport';
import { reportSections } from '../../../src/core/report/reportSections';
import { formatTextReport } from '../../../src/core/report/textReport';
import type { CgnatVerdict, ClassicNatType, MappingBehavior, Report } from '../../../src/core/report/types';
import { isWebviewToHostMessage } from '../../../src/protocol';
import { ReportHistory } from '../../../src/vscode/reportHistory';
import { describeChanges, needsAttention } from '../../../src/vscode/reportWording';
import {
  parseHostPort, parseProbeTarget, readSettings, RESTRICTED_SETTINGS, SETTING_DEFAULTS, type SettingInspection, type SettingKey,
} from '../../../src/vscode/settingsModel';
import { statusBarView } from '../../../src/vscode/statusBarModel';

const packageJson = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown }> } };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};

function report(nat: Partial<Report['nat']>, extra: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'nat-doctor', version: '0.1.0' },
    startedAt: '2026-11-24T01:02:03.000Z',
    durationMs: 900,
    servers: [],
    publicAddress: { address: '198.51.100.23', port: 61234 },
    nat: { udp: 'ok', mapping: 'endpoint-independent', filtering: 'address-and-port-dependent', type: 'port-restricted-cone', portPreservation: true, hairpinning: null, alg: null, ...nat },
    cgnat: { verdict: 'no', confidence: 0.8, evidence: [] },
    portMapping: { upnp: { available: false }, natPmp: { available: false }, pcp: { available: false } },
    bindingLifetime: null,
    probes: [],
    recommendations: [],
    ranOn: 'local machine',
    ...extra,
  };
}

const inspectFrom = (values: Partial<Record<SettingKey, SettingInspection>>) => (key: SettingKey) => values[key];

describe('settings', () => {
  it('package.json declares every setting with the same default as the reader', () => {
    const properties = packageJson.contributes.configuration.properties;
    for (const [key, fallback] of Object.entries(SETTING_DEFAULTS)) {
      assert.ok(`natDoctor.${key}` in properties, `natDoctor.${key} is contributed`);
      assert.deepEqual(properties[`natDoctor.${key}`]?.default, fallback, `natDoctor.${key} default`);
    }
    assert.deepEqual(
      [...packageJson.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
      RESTRICTED_SETTINGS.map((k) => `natDoctor.${k}`).sort(),
    );
  });

  it('replaces bad values with the default and says which setting and why', () => {
    const { settings, problems } = readSettings(inspectFrom({
      'monitor.intervalMinutes': { globalValue: -5 },
      stunServers: { globalValue: ['stun.example.org:3478', 'not a server'] },
      'probe.defaultProtocol': { globalValue: 'gopher' },
      turnServers: { globalValue: [{ server: 'turn.example.org:3478', username: 'u', password: 'hunter2' }] },
      hideAddresses: { globalValue: 'yes' },
    }), true);
    assert.equal(settings.monitorIntervalMinutes, 30);
    assert.deepEqual(settings.stunServers, []);
    assert.equal(settings.probeDefaultProtocol, 'wireguard');
    assert.deepEqual(settings.turnServers, []);
    assert.equal(settings.hideAddresses, false);
    assert.equal(problems.length, 5);
    assert.match(problems.join('\n'), /natDoctor\.monitor\.intervalMinutes must be a whole number from 0 to 1440; using the default \(30\)/);
    assert.match(problems.join('\n'), /"not a server"/);
    assert.match(problems.join('\n'), /must not contain a password/);
    assert.doesNotMatch(problems.join('\n'), /hunter2/);
  });

  it('does not use hosts from workspace settings in an untrusted workspace, and reports them', () => {
    const inspect = inspectFrom({
      stunServers: { globalValue: ['stun.mine.example:3478'], workspaceValue: ['evil.example:3478'] },
      'probe.targets': { workspaceValue: ['evil.example:51820/wireguard'] },
      'monitor.intervalMinutes': { workspaceValue: 5 },
    });
    const untrusted = readSettings(inspect, false);
    assert.deepEqual(untrusted.settings.stunServers, ['stun.mine.example:3478']);
    assert.deepEqual(untrusted.settings.probeTargets, []);
    assert.equal(untrusted.settings.monitorIntervalMinutes, 5, 'harmless settings still apply');
    assert.deepEqual(untrusted.ignoredWorkspaceSettings.map((i) => i.key).sort(), ['probe.targets', 'stunServers']);
    const trusted = readSettings(inspect, true);
    assert.deepEqual(trusted.settings.stunServers, ['evil.example:3478']);
    assert.deepEqual(trusted.settings.probeTargets, ['evil.example:51820/wireguard']);
  });

  it('parses host:port and host:port/protocol', () => {
    assert.deepEqual(parseHostPort('stun.example.org:3478'), { host: 'stun.example.org', port: 3478 });
    assert.deepEqual(parseHostPort('[2001:db8::1]:3478'), { host: '2001:db8::1', port: 3478 });
    assert.equal(parseHostPort('example.org:70000'), undefined);
    assert.equal(parseHostPort('example.org'), undefined);
    assert.deepEqual(parseProbeTarget('vpn.example.org:51820/WireGuard'), { host: 'vpn.example.org', port: 51820, protocol: 'wireguard' });
    assert.equal(parseProbeTarget('vpn.example.org:51820/gopher'), undefined);
  });
});

describe('status bar', () => {
  it('shows the NAT type in words with a codicon and an accessible label', () => {
    const view = statusBarView({ kind: 'report', report: report({}) }, { hideAddresses: false, formatTime: () => 'T' });
    assert.equal(view.text, '$(shield) Port-restricted cone NAT');
    assert.equal(view.background, 'none');
    assert.match(view.accessibilityLabel, /Port-restricted cone NAT, not behind CGNAT/);
    assert.match(view.tooltipMarkdown, /198\\\.51\\\.100\\\.23:61234/);
    assert.match(view.tooltipMarkdown, /Last check \| T/);
    assert.match(view.tooltipMarkdown, /\| P2P difficulty \| \w+: /, 'the tooltip says how hard direct P2P is from here');
  });

  it('warns for CGNAT, UDP blocked and symmetric NAT', () => {
    const cgnat = statusBarView({ kind: 'report', report: report({}, { cgnat: { verdict: 'yes', confidence: 0.9, evidence: [] } }) }, { hideAddresses: false });
    assert.equal(cgnat.text, '$(warning) Port-restricted cone NAT · behind CGNAT');
    assert.equal(cgnat.background, 'warning');
    const blocked = statusBarView({ kind: 'report', report: report({ udp: 'blocked', type: 'udp-blocked', mapping: 'unknown' }) }, { hideAddresses: false });
    assert.equal(blocked.text, '$(warning) UDP blocked');
    const quickSymmetric = report({ type: 'unknown', mapping: 'address-and-port-dependent', filtering: 'unknown' });
    assert.equal(natTypeLabel(quickSymmetric.nat), 'Symmetric NAT');
    assert.equal(needsAttention(quickSymmetric), true);
  });

  it('hides the public address when natDoctor.hideAddresses is on', () => {
    const view = statusBarView({ kind: 'report', report: report({}) }, { hideAddresses: true });
    assert.doesNotMatch(view.tooltipMarkdown, /198/);
    assert.match(view.tooltipMarkdown, /hidden/);
  });

  it('escapes network-derived text in the Markdown tooltip', () => {
    const view = statusBarView({ kind: 'report', report: report({}, { ranOn: '[click](command:evil) <img src=x>' }) }, { hideAddresses: false });
    assert.doesNotMatch(view.tooltipMarkdown, /\[click\]\(command:evil\)/);
    assert.doesNotMatch(view.tooltipMarkdown, /(?<!\\)<img/);
  });
});

describe('report history wording', () => {
  it('says what changed since the previous report', () => {
    const before = report({});
    const after = report({ type: 'symmetric', mapping: 'address-and-port-dependent' }, { publicAddress: { address: '203.0.113.9', port: 1 } });
    const changes = describeChanges(before, after, false);
    assert.ok(changes.includes('NAT type: Port-restricted cone NAT → Symmetric NAT'));
    assert.ok(changes.includes('Public address: 198.51.100.23 → 203.0.113.9'));
    assert.ok(describeChanges(before, after, true).includes('Public address changed'));
    assert.deepEqual(describeChanges(undefined, after, false), []);
  });
});

describe('webview protocol', () => {
  it('accepts the webview messages and rejects anything else', () => {
    assert.ok(isWebviewToHostMessage({ type: 'ready' }));
    assert.ok(isWebviewToHostMessage({ type: 'selectHistory', index: 2 }));
    assert.ok(isWebviewToHostMessage({ type: 'rendered', startedAt: 'x', sections: ['summary'] }));
    assert.ok(isWebviewToHostMessage({ type: 'rendered', startedAt: 'x', sections: ['summary'], path: ['you', 'router'], figures: ['access'] }));
    assert.ok(!isWebviewToHostMessage({ type: 'rendered', startedAt: 'x', sections: ['summary'], path: [1] }));
    assert.ok(!isWebviewToHostMessage({ type: 'selectHistory', index: -1 }));
    assert.ok(!isWebviewToHostMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' }));
    assert.ok(!isWebviewToHostMessage('ready'));
    assert.ok(!isWebviewToHostMessage(null));
  });
});

const NAT_TYPES = Object.keys(NAT_TYPE_LABEL) as ClassicNatType[];
const CGNAT_VERDICTS = Object.keys(CGNAT_LABEL) as CgnatVerdict[];

/** The mapping each type is derived from (docs/report-schema.md, `nat.type`). */
const MAPPING_OF: Record<ClassicNatType, MappingBehavior> = {
  'open-internet': 'none',
  'full-cone': 'endpoint-independent',
  'restricted-cone': 'endpoint-independent',
  'port-restricted-cone': 'endpoint-independent',
  symmetric: 'address-and-port-dependent',
  'symmetric-udp-firewall': 'none',
  'udp-blocked': 'unknown',
  unknown: 'unknown',
};

/** A report of `type` and CGNAT `verdict`; a quick check when the type is unknown but the mapping is not. */
function verdictReport(type: ClassicNatType, verdict: CgnatVerdict, mapping: MappingBehavior = MAPPING_OF[type]): Report {
  return report(
    { udp: type === 'udp-blocked' ? 'blocked' : 'ok', mapping, filtering: 'unknown', type, portPreservation: null },
    { cgnat: { verdict, confidence: 0.7, evidence: [] }, ...(type === 'udp-blocked' ? { publicAddress: null } : {}) },
  );
}

/** A Memento held in memory: ReportHistory's storage outside VS Code. */
function memoryMemento(): Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? values.get(key) as T : fallback),
    update: async (key: string, value: unknown) => { values.set(key, value); },
  } as Memento;
}

/** What each face calls the NAT and the CGNAT verdict of `r`. */
async function wordsOfEveryFace(r: Report): Promise<Record<string, { nat: string | undefined; cgnat: string | undefined }>> {
  const bar = statusBarView({ kind: 'report', report: r }, { hideAddresses: false });
  const [barNat, barCgnat] = bar.text.replace(/^\$\([a-z-]+\) /, '').split(' · ');
  const summary = reportSections(r).find((s) => s.id === 'summary')?.rows ?? [];
  const history = new ReportHistory(memoryMemento());
  await history.add(r, 'full');
  const [historyNat, historyCgnat] = (history.summaries()[0]?.summary ?? '').split(' · ');
  const text = formatTextReport(r);
  const markdown = formatMarkdownReport(r);
  return {
    'status bar': {
      nat: barNat,
      // The text names CGNAT only when it is there; the accessible label always does.
      cgnat: barCgnat ?? /^NAT Doctor: [^,]+, (.+) \(confidence/.exec(bar.accessibilityLabel)?.[1],
    },
    'panel summary': {
      nat: summary.find((row) => row.label === 'NAT type')?.value,
      cgnat: summary.find((row) => row.label === 'Carrier-grade NAT')?.value,
    },
    history: { nat: historyNat, cgnat: historyCgnat },
    'text report': {
      nat: /^ {2}NAT type +(.+)$/m.exec(text)?.[1],
      cgnat: /^ {2}Carrier-grade NAT +(.+)$/m.exec(text)?.[1],
    },
    'Markdown report': {
      nat: /^\| NAT type \| (.+?) \|/m.exec(markdown)?.[1],
      cgnat: /^\| Carrier\\-grade NAT \| (.+?) \|/m.exec(markdown)?.[1],
    },
  };
}

function expectSame(faces: Record<string, { nat: string | undefined; cgnat: string | undefined }>, nat: string, cgnat: string): void {
  for (const [face, words] of Object.entries(faces)) {
    const escaped = face === 'Markdown report';
    assert.equal(words.nat, escaped ? escapeMarkdown(nat) : nat, `${face} names the NAT "${nat}"`);
    assert.equal(words.cgnat, escaped ? escapeMarkdown(cgnat) : cgnat, `${face} names the CGNAT verdict "${cgnat}"`);
  }
}

// One vocabulary for verdicts: the status bar, the report panel's summary, the history list,
// "what changed", the terminal report and the Markdown report name every NAT type and every CGNAT
// verdict with the same words (core/report/explain.ts).
describe('verdict words', () => {
  it('every NAT type and CGNAT verdict has the same words on every face', async () => {
    for (const type of NAT_TYPES) {
      for (const verdict of CGNAT_VERDICTS) {
        expectSame(await wordsOfEveryFace(verdictReport(type, verdict)), NAT_TYPE_LABEL[type], CGNAT_LABEL[verdict]);
      }
    }
  });

  it('a quick check (mapping only) gets the same words on every face', async () => {
    const quick = (mapping: MappingBehavior) => wordsOfEveryFace(verdictReport('unknown', 'unknown', mapping));
    expectSame(await quick('endpoint-independent'), 'Cone NAT', CGNAT_LABEL.unknown);
    expectSame(await quick('address-dependent'), NAT_TYPE_LABEL.symmetric, CGNAT_LABEL.unknown);
    expectSame(await quick('none'), 'No NAT', CGNAT_LABEL.unknown);
  });

  it('a machine with nothing reachable is "Offline" on every face, never "UDP blocked"', async () => {
    const offline: Report = {
      ...verdictReport('unknown', 'unknown', 'unknown'),
      nat: { udp: 'blocked', mapping: 'unknown', filtering: 'unknown', type: 'unknown', portPreservation: null, hairpinning: null, alg: null },
      connectivity: { state: 'offline', dns: 'failed', tcp: 'blocked', captivePortal: null },
    };
    expectSame(await wordsOfEveryFace(offline), OFFLINE_LABEL, CGNAT_LABEL.unknown);
    const changes = describeChanges(verdictReport('full-cone', 'no'), offline, false);
    assert.ok(changes.includes(`NAT type: ${NAT_TYPE_LABEL['full-cone']} → ${OFFLINE_LABEL}`), changes.join('\n'));
  });

  it('"what changed" uses the same words', () => {
    for (const type of NAT_TYPES) {
      const other: ClassicNatType = type === 'symmetric' ? 'full-cone' : 'symmetric';
      const changes = describeChanges(verdictReport(other, 'no'), verdictReport(type, 'yes'), false);
      assert.ok(changes.includes(`NAT type: ${NAT_TYPE_LABEL[other]} → ${NAT_TYPE_LABEL[type]}`), changes.join('\n'));
      assert.ok(changes.includes(`CGNAT: ${CGNAT_LABEL.no} → ${CGNAT_LABEL.yes}`), changes.join('\n'));
    }
  });

  it('no two NAT types or CGNAT verdicts share words', () => {
    assert.equal(new Set(Object.values(NAT_TYPE_LABEL)).size, NAT_TYPES.length);
    assert.equal(new Set(Object.values(CGNAT_LABEL)).size, CGNAT_VERDICTS.length);
  });
});
