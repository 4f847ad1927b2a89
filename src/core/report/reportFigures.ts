// The small pictures of the report panel, as data: who can get in (mapping × filtering drawn as
// which senders reach you), round-trip times as bars, the binding lifetime and the path MTU against
// the values tunnels use. Each says where it belongs (a report section, or the path) and carries
// its own text alternative; the webview only draws. A new picture is one more member of
// ReportFigure and one more case in the webview's exhaustive renderer switch (webview/figures.ts):
// the pair test's "two networks side by side with the path that worked" joins that way, made from
// the PairPrediction/PairResult beside pairSection() and placed under the 'pair' section.
import {
  keepaliveAdvice, measuredFromReport, mtuAdvice, OPENVPN_KEEPALIVE_DEFAULT, OPENVPN_MSSFIX_DEFAULT,
  IPSEC_NAT_KEEPALIVE_DEFAULT_SEC, WG_QUICK_DEFAULT_MTU, WIREGUARD_KEEPALIVE_DEFAULT_SEC, wireguardPacketBytes,
} from '../advice/tunnelAdvice';
import { FILTERING_MEANING, MAPPING_MEANING } from './explain';
import type { HopVerdict, NetworkPath, PathHop } from './networkPath';
import type { ReportSection } from './reportSections';
import type { Report } from './types';

/** The section a figure goes under (the panel shows it after the path when the section is absent). */
export type FigurePlace = ReportSection['id'];

interface FigureBase {
  place: FigurePlace;
  title: string;
  /** The figure in words: its text alternative. */
  summary: string;
}

/** One sender trying to reach you through the NAT (RFC 4787 §5 filtering). */
export interface AccessSender {
  who: string;
  /** null: the filtering was not measured. */
  getsIn: boolean | null;
}

export interface AccessFigure extends FigureBase {
  kind: 'access';
  /** Does a second destination see the same public port (RFC 4787 §4.1 mapping)? */
  samePortForEveryone: boolean | null;
  mappingVerdict: HopVerdict;
  mappingWords: string;
  senders: AccessSender[];
}

export interface Bar {
  label: string;
  /** null: no answer. */
  value: number | null;
  verdict: HopVerdict;
  note: string;
}

export interface TimingFigure extends FigureBase {
  kind: 'timing';
  unit: 'ms';
  bars: Bar[];
}

/** A value a tunnel uses, drawn against the measurement. */
export interface Mark {
  label: string;
  value: number;
  verdict: HopVerdict;
}

export interface LifetimeFigure extends FigureBase {
  kind: 'lifetime';
  unit: 's';
  lowerSec: number;
  upperSec: number;
  seconds: number | null;
  marks: Mark[];
}

export interface MtuFigure extends FigureBase {
  kind: 'mtu';
  unit: 'bytes';
  /** The largest packet proven to pass; null when only the black hole is known. */
  bytes: number | null;
  blackHole: boolean | null;
  marks: Mark[];
}

export type ReportFigure = AccessFigure | TimingFigure | LifetimeFigure | MtuFigure;

/** Which senders reach you once you have sent to one server, by the measured filtering. */
function accessFigure(report: Report): AccessFigure | undefined {
  const { nat } = report;
  if (nat.udp !== 'ok') return undefined;
  const f = nat.filtering;
  const known = f !== 'unknown';
  const senders: AccessSender[] = [
    { who: 'the server you sent to', getsIn: true },
    { who: 'that server, from another port', getsIn: known ? f !== 'address-and-port-dependent' : null },
    { who: 'a peer you never sent to', getsIn: known ? f === 'endpoint-independent' : null },
  ];
  const samePortForEveryone = nat.mapping === 'unknown' ? null : nat.mapping === 'none' || nat.mapping === 'endpoint-independent';
  const mappingVerdict: HopVerdict = samePortForEveryone === null ? 'unknown' : samePortForEveryone ? 'ok' : 'warning';
  const yes = senders.filter((s) => s.getsIn === true).map((s) => s.who);
  const no = senders.filter((s) => s.getsIn === false).map((s) => s.who);
  const summary = [
    `After you send to one server, ${yes.join(' and ')} can reach you${no.length > 0 ? `; ${no.join(' and ')} cannot` : ''}.`,
    known ? FILTERING_MEANING[f] : 'The filtering was not measured.',
    MAPPING_MEANING[nat.mapping],
  ].join(' ');
  return {
    kind: 'access',
    place: 'nat',
    title: 'Who can get in',
    summary,
    samePortForEveryone,
    mappingVerdict,
    mappingWords: MAPPING_MEANING[nat.mapping],
    senders,
  };
}

function timingFigure(place: 'servers' | 'probes', title: string, hops: PathHop[]): TimingFigure | undefined {
  if (hops.length === 0 || hops.every((h) => h.rttMs === null || h.rttMs === undefined)) return undefined;
  const bars = hops.map((h) => ({
    label: h.kind === 'probe' ? `${h.address ?? ''}/${h.name}` : (h.address ?? h.name),
    value: typeof h.rttMs === 'number' ? h.rttMs : null,
    verdict: h.verdict,
    note: h.detail ?? '',
  }));
  const words = bars.map((b) => `${b.label}: ${b.value !== null ? `${b.value} ms` : 'no answer'}`);
  return { kind: 'timing', place, title, unit: 'ms', bars, summary: `Round-trip times. ${words.join('; ')}.` };
}

/** The idle lifetime against the keepalive intervals tunnels send by default and the one advised here. */
function lifetimeFigure(report: Report): LifetimeFigure | undefined {
  const lifetime = report.bindingLifetime;
  if (!lifetime) return undefined;
  // The NAT forgets an idle mapping somewhere in [lowerSec, upperSec]; a keepalive must come first.
  const forgetsAfter = lifetime.seconds ?? lifetime.lowerSec;
  const advised = keepaliveAdvice(measuredFromReport(report)).wireguard.persistentKeepalive;
  const mark = (label: string, value: number): Mark => ({ label, value, verdict: value < forgetsAfter ? 'ok' : 'blocking' });
  // Ordered by value; the advised interval first where it equals a tool's default.
  const marks = [
    ...(advised !== WIREGUARD_KEEPALIVE_DEFAULT_SEC ? [mark('advised here', advised)] : []),
    mark('OpenVPN keepalive ping', OPENVPN_KEEPALIVE_DEFAULT.ping),
    mark('IPsec NAT-T keepalive', IPSEC_NAT_KEEPALIVE_DEFAULT_SEC),
    mark('WireGuard PersistentKeepalive', WIREGUARD_KEEPALIVE_DEFAULT_SEC),
  ].sort((a, b) => a.value - b.value);
  const measured = lifetime.seconds !== null ? `about ${lifetime.seconds} s` : `between ${lifetime.lowerSec} and ${lifetime.upperSec} s`;
  const established = lifetime.established;
  const flow = established ? ` (a flow that carried packets both ways: ${established.seconds !== null ? `about ${established.seconds} s` : `between ${established.lowerSec} and ${established.upperSec} s`})` : '';
  const late = marks.filter((m) => m.verdict !== 'ok').map((m) => `${m.label} (${m.value} s)`);
  return {
    kind: 'lifetime',
    place: 'lifetime',
    title: 'Idle mapping lifetime against tunnel keepalives',
    unit: 's',
    lowerSec: lifetime.lowerSec,
    upperSec: lifetime.upperSec,
    seconds: lifetime.seconds,
    marks,
    summary: `Your NAT keeps an idle UDP mapping ${measured}${flow}. ${late.length > 0 ? `Too slow for it: ${late.join(', ')}.` : 'Every default keepalive comes in time.'} Advised keepalive: ${advised} s.`,
  };
}

/**
 * The largest packet that passes against the packets tunnels send: WireGuard with the MTU advised
 * for this path and with wg-quick's default, OpenVPN 2.6's default `mssfix`, a full Ethernet frame.
 */
function mtuFigure(report: Report): MtuFigure | undefined {
  const mtu = report.pathMtu;
  if (!mtu || (mtu.bytes === null && mtu.blackHole !== true)) return undefined;
  const measured = measuredFromReport(report);
  const family = measured.pathMtu?.family ?? 'IPv4';
  const advice = mtuAdvice(measured, family);
  const fits = (value: number): HopVerdict => (mtu.bytes !== null && value <= mtu.bytes ? 'ok' : mtu.blackHole === true ? 'blocking' : 'warning');
  const marks: Mark[] = [
    ...(advice && advice.wireguard.mtu !== WG_QUICK_DEFAULT_MTU
      ? [{ label: `WireGuard ${advice.wireguard.line} (advised)`, value: wireguardPacketBytes(advice.wireguard.mtu, family), verdict: 'ok' as const }]
      : []),
    { label: `WireGuard default (MTU ${WG_QUICK_DEFAULT_MTU})`, value: wireguardPacketBytes(WG_QUICK_DEFAULT_MTU, family), verdict: 'ok' as const },
    { label: `OpenVPN 2.6 default (mssfix ${OPENVPN_MSSFIX_DEFAULT} mtu)`, value: OPENVPN_MSSFIX_DEFAULT, verdict: 'ok' as const },
    { label: 'Ethernet', value: 1500, verdict: 'ok' as const },
  ].map((m) => ({ ...m, verdict: fits(m.value) }));
  const largest = mtu.bytes !== null ? `Packets up to ${mtu.bytes} bytes reach ${mtu.target}` : `Large packets to ${mtu.target} vanish`;
  const tooBig = marks.filter((m) => m.verdict !== 'ok').map((m) => `${m.label} (${m.value} bytes)`);
  // A path every default tunnel packet fits says all in its one row; the picture is for the others.
  if (tooBig.length === 0 && mtu.blackHole !== true) return undefined;
  return {
    kind: 'mtu',
    place: 'path-mtu',
    title: 'Path MTU against tunnel packet sizes',
    unit: 'bytes',
    bytes: mtu.bytes,
    blackHole: mtu.blackHole,
    marks,
    summary: `${largest}${mtu.blackHole === true ? ', and larger ones vanish without an ICMP error (a black hole)' : ''}. ${tooBig.length > 0 ? `Too large for this path: ${tooBig.join(', ')}.` : 'Every tunnel packet marked here fits.'}`,
  };
}

/** The figures for a report, from the same path model the path picture draws. */
export function reportFigures(report: Report, path: NetworkPath): ReportFigure[] {
  return [
    mtuFigure(report),
    accessFigure(report),
    timingFigure('servers', 'STUN round-trip times', path.destinations.filter((d) => d.kind === 'stun')),
    timingFigure('probes', 'VPN endpoint round-trip times', path.destinations.filter((d) => d.kind === 'probe')),
    lifetimeFigure(report),
  ].filter((f): f is ReportFigure => f !== undefined);
}
