// The small pictures under their report sections, drawn from the host's data (src/protocol.ts
// FigureView; core/report/reportFigures derives it): who can get in through the NAT, round-trip
// times as bars, the binding lifetime and the path MTU on a scale against the values tunnels use.
// Each is an SVG for the eye plus its summary in words for screen readers. The switch in
// drawFigure is exhaustive: a new kind of figure (the pair test's two networks) must be drawn here
// before the webview compiles.
import type { FigureView, MarkView, VerdictView } from '../src/protocol';
import { t } from './l10n';
import { arrowMarker, fit, responsive, svg, text, tooltip, verdictBadge, verdictWords, VERDICT_MARK } from './svg';

type Figure<K extends FigureView['kind']> = Extract<FigureView, { kind: K }>;

function frame(width: number, height: number, className: string, ...parts: SVGElement[]): SVGSVGElement {
  return svg('svg', { class: `figure-svg ${className}`, width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false' }, ...parts);
}

/** Who can get in: each sender's packet either reaches you through the NAT or stops at it. */
function accessPicture(figure: Figure<'access'>, fullWidth: number): SVGSVGElement {
  const width = Math.min(fullWidth, 620);
  const youX = 22;
  const wallX = 84;
  const rowH = 38;
  const top = 26;
  const height = top + figure.senders.length * rowH + 6;
  const youY = top + (figure.senders.length * rowH) / 2;
  const parts: SVGElement[] = [arrowMarker('access-arrow') as SVGElement];
  parts.push(
    svg('g', { class: 'verdict-ok' }, svg('circle', { cx: youX, cy: youY, r: 15, class: 'node' })),
    text(youX, youY + 4, t('you'), 'figure-label', { 'text-anchor': 'middle' }),
    svg('rect', { x: wallX - 5, y: top, width: 10, height: figure.senders.length * rowH, rx: 2, class: 'wall' }),
    text(wallX, top - 8, t('NAT'), 'figure-axis', { 'text-anchor': 'middle' }),
  );
  const senderX = width - 14;
  figure.senders.forEach((sender, i) => {
    const y = top + i * rowH + 26;
    const verdict: VerdictView = sender.getsIn === null ? 'unknown' : sender.getsIn ? 'ok' : 'blocking';
    const words = sender.getsIn === null ? t('not measured') : sender.getsIn ? t('gets in') : t('stopped');
    const g = svg('g', { class: `sender verdict-${verdict}` }, tooltip(`${sender.who}: ${words}`));
    g.append(text(wallX + 14, y - 8, fit(`${sender.who} — ${words}`, senderX - wallX - 20), 'figure-label'));
    g.append(svg('circle', { cx: senderX, cy: y, r: 5, class: 'node' }));
    if (sender.getsIn === true) {
      // Through the NAT, then on to you.
      g.append(svg('path', { d: `M${senderX - 7} ${y}H${wallX + 14}C${wallX - 14} ${y} ${youX + 44} ${youY} ${youX + 20} ${youY}`, class: 'flow', 'marker-end': 'url(#access-arrow)' }));
    } else {
      g.append(svg('path', { d: `M${senderX - 7} ${y}H${wallX + 9}`, class: 'flow stopped' }));
      g.append(verdictBadge(wallX + 9, y, verdict, 6));
    }
    parts.push(g);
  });
  return frame(width, height, 'access-svg', ...parts);
}

/** Bars on one scale, longest = the slowest answer; a missing answer is said, not drawn as zero. */
function timingPicture(figure: Figure<'timing'>, fullWidth: number): SVGSVGElement {
  const width = Math.min(fullWidth, 720);
  const labelW = Math.min(260, Math.max(110, width * 0.42));
  const valueW = 76;
  const barX = labelW + 8;
  const barMax = Math.max(20, width - barX - valueW);
  const rowH = 22;
  const max = Math.max(1, ...figure.bars.map((b) => b.value ?? 0));
  const parts: SVGElement[] = [];
  figure.bars.forEach((bar, i) => {
    const y = 4 + i * rowH;
    const words = bar.value !== null ? `${bar.value} ${figure.unit}` : t('no answer');
    const g = svg('g', { class: `bar verdict-${bar.verdict}` }, tooltip(`${bar.label}: ${words}${bar.note && bar.note !== words ? ` (${bar.note})` : ''}`));
    g.append(text(labelW, y + 14, fit(bar.label, labelW - 4), 'figure-label', { 'text-anchor': 'end' }));
    const length = bar.value !== null ? Math.max(2, (bar.value / max) * barMax) : 0;
    if (bar.value !== null) g.append(svg('rect', { x: barX, y: y + 4, width: length, height: rowH - 9, rx: 2, class: 'bar-fill' }));
    else g.append(svg('path', { d: `M${barX} ${y + rowH / 2}h18`, class: 'bar-missing' }));
    g.append(text(barX + (bar.value !== null ? length : 18) + 6, y + 14, `${VERDICT_MARK[bar.verdict]} ${words}`, 'figure-value'));
    parts.push(g);
  });
  return frame(width, 8 + figure.bars.length * rowH, 'timing-svg', ...parts);
}

interface Scale {
  min: number;
  max: number;
  unit: string;
  /** The measured span: solid up to `from`, shaded over [from, to] (where the NAT forgets, or packets vanish). */
  solid: { to: number; verdict: VerdictView; label: string };
  shaded?: { from: number; to: number; verdict: VerdictView; label: string };
  marks: MarkView[];
}

/** A measurement on an axis with the values tunnels use marked on it, one label row per mark. */
function scalePicture(scale: Scale, fullWidth: number, className: string): SVGSVGElement {
  const width = Math.min(fullWidth, 720);
  const left = 8;
  const right = width - 8;
  const x = (v: number): number => left + ((Math.min(Math.max(v, scale.min), scale.max) - scale.min) / (scale.max - scale.min)) * (right - left);
  const barY = 18;
  const barH = 14;
  const rowH = 18;
  const parts: SVGElement[] = [];
  parts.push(
    text(left, 12, `${scale.min} ${scale.unit}`, 'figure-axis'),
    text(right, 12, `${scale.max} ${scale.unit}`, 'figure-axis', { 'text-anchor': 'end' }),
    svg('rect', { x: left, y: barY, width: right - left, height: barH, class: 'scale-track' }),
    svg('g', { class: `verdict-${scale.solid.verdict}` }, tooltip(scale.solid.label),
      svg('rect', { x: left, y: barY, width: Math.max(1, x(scale.solid.to) - left), height: barH, class: 'bar-fill' })),
  );
  if (scale.shaded) {
    parts.push(svg('g', { class: `verdict-${scale.shaded.verdict}` }, tooltip(scale.shaded.label),
      svg('rect', { x: x(scale.shaded.from), y: barY, width: Math.max(2, x(scale.shaded.to) - x(scale.shaded.from)), height: barH, class: 'bar-shaded' })));
  }
  scale.marks.forEach((mark, i) => {
    const mx = x(mark.value);
    const y = barY + barH + 14 + i * rowH;
    const words = `${mark.label} ${mark.value} ${scale.unit} — ${verdictWords(mark.verdict)}`;
    const anchorEnd = mx > left + (right - left) * 0.6;
    parts.push(svg('g', { class: `mark verdict-${mark.verdict}` }, tooltip(words),
      svg('path', { d: `M${mx} ${barY - 3}V${y - 3}`, class: 'mark-line' }),
      text(anchorEnd ? mx - 4 : mx + 4, y, fit(`${VERDICT_MARK[mark.verdict]} ${mark.label} (${mark.value} ${scale.unit})`, anchorEnd ? mx - left : right - mx), 'figure-label',
        anchorEnd ? { 'text-anchor': 'end' } : {})));
  });
  return frame(width, barY + barH + 14 + scale.marks.length * rowH, className, ...parts);
}

function lifetimePicture(figure: Figure<'lifetime'>, width: number): SVGSVGElement {
  const top = Math.max(figure.upperSec, ...figure.marks.map((m) => m.value));
  return scalePicture({
    min: 0,
    max: Math.ceil((top * 1.15) / 5) * 5,
    unit: 's',
    solid: { to: figure.lowerSec, verdict: 'ok', label: t('An idle mapping survives at least {0} s', figure.lowerSec) },
    shaded: { from: figure.lowerSec, to: figure.upperSec, verdict: 'blocking', label: t('The NAT forgets an idle mapping between {0} and {1} s', figure.lowerSec, figure.upperSec) },
    marks: figure.marks,
  }, width, 'lifetime-svg');
}

function mtuPicture(figure: Figure<'mtu'>, width: number): SVGSVGElement {
  const values = [...figure.marks.map((m) => m.value), ...(figure.bytes !== null ? [figure.bytes] : [])];
  const min = Math.floor((Math.min(...values) - 120) / 100) * 100;
  const max = Math.max(...values) + 20;
  const passes = figure.bytes ?? min;
  return scalePicture({
    min,
    max,
    unit: 'B',
    solid: { to: passes, verdict: 'ok', label: t('Packets up to {0} bytes get through', passes) },
    ...(figure.blackHole === true ? { shaded: { from: passes, to: max, verdict: 'blocking' as const, label: t('Larger packets vanish without an ICMP error') } } : {}),
    marks: figure.marks,
  }, width, 'mtu-svg');
}

/** The figure's drawing at a width; exhaustive over every kind the protocol knows. */
function drawFigure(figure: FigureView, width: number): SVGSVGElement {
  switch (figure.kind) {
    case 'access':
      return accessPicture(figure, width);
    case 'timing':
      return timingPicture(figure, width);
    case 'lifetime':
      return lifetimePicture(figure, width);
    case 'mtu':
      return mtuPicture(figure, width);
  }
}

/** A figure element: title, the picture (redrawn to the width), any words it needs, its summary for screen readers. */
export function figureElement(figure: FigureView): HTMLElement {
  const element = document.createElement('figure');
  element.className = `figure figure-${figure.kind}`;
  element.dataset.figure = figure.kind;
  const caption = document.createElement('figcaption');
  caption.textContent = figure.title;
  const picture = document.createElement('div');
  picture.className = 'figure-picture';
  responsive(picture, (width) => drawFigure(figure, width));
  // The summary is the figure in words: shown under the scales, whose meaning it spells out, and
  // kept for screen readers elsewhere (the bars and the access note already say it on screen).
  const summary = document.createElement('p');
  summary.className = figure.kind === 'lifetime' || figure.kind === 'mtu' ? 'figure-note' : 'sr-only';
  summary.textContent = figure.summary;
  element.append(caption, picture);
  if (figure.kind === 'access') {
    const mapping = document.createElement('p');
    mapping.className = `figure-note verdict-${figure.mappingVerdict}`;
    const same = figure.samePortForEveryone === null ? t('not measured') : figure.samePortForEveryone ? t('the same') : t('a new one');
    mapping.textContent = `${VERDICT_MARK[figure.mappingVerdict]} ${t('Your public port for a second destination: {0}.', same)} ${figure.mappingWords}`;
    mapping.setAttribute('aria-hidden', 'true');
    element.append(mapping);
  }
  element.append(summary);
  return element;
}
