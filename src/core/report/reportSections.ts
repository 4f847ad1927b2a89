// The Report as titled sections of labelled rows: one model that the terminal, Markdown and
// webview renderers format, so every face shows the same facts with the same explanations.
import { formatAddress } from '../net/endpoint';
import {
  CGNAT_LABEL, CGNAT_MEANING, CONNECTIVITY_LABEL, CONNECTIVITY_MEANING, cgnatVerdictWords, FILTERING_MEANING, MAPPING_MEANING, natTypeLabel, natTypeMeaning, p2pDifficulty,
  p2pDifficultyMeaning, PAIR_VERDICT_LABEL, PORT_ALLOCATION_MEANING, portAllocationWords, yesNo,
} from './explain';
import type { PairPrediction } from '../p2p/pairPrediction';
import type { PairResult } from '../p2p/pairTest';
import type { LifetimeBracket, Report } from './types';

export interface ReportRow {
  label: string;
  value: string;
  /** What it means for a VPN or P2P connection. */
  meaning?: string;
}

export interface ReportSection {
  id: 'summary' | 'recommendations' | 'nat' | 'cgnat' | 'port-mapping' | 'lifetime' | 'probes' | 'network' | 'servers' | 'notes' | 'path-mtu' | 'p2p';
  title: string;
  rows: ReportRow[];
}

export interface SectionOptions {
  /** Replace addresses with "hidden" (screen sharing, screenshots). */
  hideAddresses?: boolean;
}

export function reportSections(report: Report, options: SectionOptions = {}): ReportSection[] {
  const hide = (text: string): string => (options.hideAddresses ? 'hidden' : text);
  const { nat } = report;
  const sections: ReportSection[] = [];

  sections.push({
    id: 'summary',
    title: 'Summary',
    rows: [
      { label: 'NAT type', value: natTypeLabel(nat, report.connectivity), meaning: natTypeMeaning(nat, report.connectivity) },
      { label: 'P2P difficulty', value: p2pDifficulty(nat), meaning: p2pDifficultyMeaning(nat) },
      {
        label: 'Public address',
        value: report.publicAddress ? hide(formatAddress(report.publicAddress)) : 'unknown',
        meaning: report.publicAddress ? 'What the internet sees when you send UDP.' : 'No STUN server told us.',
      },
      { label: 'UDP', value: nat.udp === 'ok' ? 'gets through' : 'blocked' },
      ...(report.connectivity
        ? [{ label: 'Network', value: CONNECTIVITY_LABEL[report.connectivity.state], meaning: CONNECTIVITY_MEANING[report.connectivity.state] }]
        : []),
      ...(report.connectivity?.captivePortal
        ? [{ label: 'Captive portal', value: 'yes: log in first', meaning: 'A login page answers in place of the web: until you log in, VPNs and P2P apps cannot connect.' }]
        : []),
      { label: 'Carrier-grade NAT', value: CGNAT_LABEL[report.cgnat.verdict], meaning: CGNAT_MEANING[report.cgnat.verdict] },
      ...(report.ranOn ? [{ label: 'Measured from', value: report.ranOn }] : []),
    ],
  });

  if (report.recommendations.length > 0) {
    sections.push({
      id: 'recommendations',
      title: 'Recommendations',
      rows: report.recommendations.map((r) => ({ label: r.severity, value: r.message })),
    });
  }

  sections.push({
    id: 'nat',
    title: 'NAT behaviour (RFC 5780)',
    rows: [
      { label: 'Mapping', value: nat.mapping, meaning: MAPPING_MEANING[nat.mapping] },
      { label: 'Filtering', value: nat.filtering, meaning: FILTERING_MEANING[nat.filtering] },
      {
        label: 'Port preservation',
        value: yesNo(nat.portPreservation),
        meaning: nat.portPreservation === null ? 'No mapping was seen to compare.' : nat.portPreservation ? 'The NAT kept your local port number.' : 'The NAT chose another port number.',
      },
      {
        label: 'Port allocation',
        value: portAllocationWords(nat.portAllocation),
        meaning: PORT_ALLOCATION_MEANING[nat.portAllocation?.pattern ?? 'absent'],
      },
      { label: 'Hairpinning', value: yesNo(nat.hairpinning), meaning: 'Whether you can reach your own public address from inside.' },
      {
        label: 'ALG',
        value: yesNo(nat.alg, 'rewrites addresses', 'none seen'),
        meaning: 'An application-level gateway that rewrites addresses inside packets breaks VPN and VoIP.',
      },
    ],
  });

  if (nat.notes && nat.notes.length > 0) {
    sections.push({ id: 'notes', title: 'Notes', rows: nat.notes.map((note) => ({ label: 'note', value: note })) });
  }

  sections.push({
    id: 'cgnat',
    title: 'Carrier-grade NAT',
    rows: [
      {
        label: 'Verdict',
        value: cgnatVerdictWords(report.cgnat),
        meaning: CGNAT_MEANING[report.cgnat.verdict],
      },
      ...report.cgnat.evidence.map((e) => ({ label: e.signal, value: hide(e.value), meaning: e.meaning })),
    ],
  });

  const pm = report.portMapping;
  const protocolRow = (label: string, p: typeof pm.upnp): ReportRow => ({
    label,
    value: p.available ? `available${p.externalAddress ? `, external ${hide(p.externalAddress)}` : ''}` : `no${p.error ? ` (${p.error})` : ''}`,
  });
  sections.push({
    id: 'port-mapping',
    title: 'Router port mapping',
    rows: [protocolRow('UPnP IGD', pm.upnp), protocolRow('NAT-PMP', pm.natPmp), protocolRow('PCP', pm.pcp)],
  });

  if (report.pathMtu) {
    const mtu = report.pathMtu;
    sections.push({
      id: 'path-mtu',
      title: 'Path MTU',
      rows: [
        {
          label: 'Largest packet',
          value: mtu.bytes !== null ? `${mtu.bytes} bytes (towards ${mtu.target})` : 'not measured',
          meaning: mtu.detail,
        },
        {
          label: 'Black hole',
          value: yesNo(mtu.blackHole, 'yes: larger packets vanish', 'no'),
          meaning: 'Without the ICMP "fragmentation needed", a tunnel whose packets are too big connects, then hangs on large transfers.',
        },
      ],
    });
  }

  const lifetime = report.bindingLifetime;
  sections.push({
    id: 'lifetime',
    title: 'UDP binding lifetime',
    rows: [
      lifetime
        ? {
            label: 'Idle mapping kept',
            value: bracketWords(lifetime),
            meaning: 'Send a keepalive more often than this, or the NAT forgets the tunnel.',
          }
        : { label: 'Idle mapping kept', value: 'not measured', meaning: 'Run with --lifetime (takes a few minutes).' },
      ...(lifetime?.established !== undefined
        ? [{
            label: 'Once packets went both ways',
            value: lifetime.established === null ? 'not measured' : bracketWords(lifetime.established),
            meaning: 'How long a tunnel\'s mapping lasts once it is up; the first keepalive of a new mapping still has to beat the line above.',
          }]
        : []),
    ],
  });

  if (report.probes.length > 0) {
    sections.push({
      id: 'probes',
      title: 'VPN reachability',
      rows: report.probes.map((p) => ({
        label: hide(p.target),
        value: `${p.state}${p.rttMs !== null ? ` (${p.rttMs} ms)` : ''}`,
        meaning: p.detail,
      })),
    });
  }

  const uplink = report.uplink;
  if (uplink || (report.candidates && report.candidates.length > 0)) {
    sections.push({
      id: 'network',
      title: 'This network',
      rows: [
        ...(uplink
          ? [
              {
                label: 'Uplink',
                value: `${uplink.interface ?? 'unknown'}${uplink.address ? `, ${hide(uplink.address)}` : ''}${uplink.gateway ? ` via ${hide(uplink.gateway)}` : ''}`,
                meaning: uplink.overlay ? 'A VPN or tunnel carries the default route: results describe the tunnel.' : 'The interface and gateway the tests went through.',
              },
            ]
          : []),
        ...(report.candidates ?? []).map((c) => ({
          label: `ICE ${c.type}`,
          value: `${hide(c.port !== null ? formatAddress({ address: c.address, port: c.port }) : c.address)} (${c.source})`,
        })),
      ],
    });
  }

  sections.push({
    id: 'servers',
    title: 'STUN servers',
    rows: report.servers.map((s) => ({
      label: s.server,
      value: [
        s.address ? hide(s.address) : null,
        s.rttMs !== null ? `${s.rttMs} ms` : null,
        s.rfc5780 ? 'RFC 5780' : null,
      ]
        .filter((x): x is string => x !== null)
        .join(', ') || 'no answer',
      ...(s.error ? { meaning: s.error } : {}),
    })),
  });
  return sections;
}

/** "~30 s (between 25 and 35 s)", or "at least 300 s" when it outlived every trial. */
function bracketWords(b: LifetimeBracket): string {
  return b.seconds !== null ? `~${b.seconds} s (between ${b.lowerSec} and ${b.upperSec} s)` : `at least ${b.lowerSec} s`;
}

/**
 * A direct connection with a peer: the prediction (from two reports) and, after a live pair
 * test, its result. The report panel shows it above the report it was made with.
 */
export function pairSection(prediction: PairPrediction, result: PairResult | null, options: SectionOptions & { peer?: string } = {}): ReportSection {
  const hide = (text: string): string => (options.hideAddresses ? 'hidden' : text);
  const rows: ReportRow[] = [];
  if (options.peer) rows.push({ label: 'Peer', value: options.peer });
  rows.push({ label: 'Prediction', value: `${PAIR_VERDICT_LABEL[prediction.verdict]} (confidence ${Math.round(prediction.confidence * 100)} %)`, meaning: prediction.reason });
  if (result) {
    rows.push({
      label: 'Live test',
      value: result.result === 'direct' ? `direct${result.rttMs !== null ? `, ${result.rttMs} ms round trip` : ''}` : 'failed: no direct path',
      // The detail names the candidates tried: addresses, hidden on request like everywhere else.
      meaning: options.hideAddresses ? result.detail.replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, 'hidden') : result.detail,
    });
    if (result.path) rows.push({ label: 'Path', value: `${hide(result.path.local)} ↔ ${hide(result.path.remote)}`, meaning: 'You as your peer saw you, and the peer’s address that answered.' });
  }
  return { id: 'p2p', title: 'Direct connection with a peer', rows };
}
