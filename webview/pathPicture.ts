// The network path at the top of the panel, drawn from the host's model (src/protocol.ts
// NetworkPathView; core/report/networkPath derives it): a row of hops from this device to the
// internet with the STUN servers and probed endpoints fanning out at the end, or a column when the
// panel is narrow. Each hop shows its verdict by colour, a glyph and words; hovering one puts its
// reason under the picture; a list of the same hops in words is the screen reader's version.
import type { NetworkPathView, PathHopView, VerdictView } from '../src/protocol';
import { t } from './l10n';
import { arrowMarker, fit, responsive, svg, text, tooltip, verdictBadge, verdictWords, VERDICT_MARK } from './svg';

/** Below this width the path is drawn as a column. */
const COLUMN_BELOW_PX = 560;
const SEVERITY: Record<VerdictView, number> = { ok: 0, unknown: 1, warning: 2, blocking: 3 };

/** The hop's words: name, address, badges and measured value. */
export function hopWords(hop: PathHopView): string {
  return [hop.name, hop.address, hop.badges.length > 0 ? `(${hop.badges.join(', ')})` : undefined, hop.detail]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(' ');
}

function hopSentence(hop: PathHopView): string {
  return t('{0}: {1}. {2}', hopWords(hop), verdictWords(hop.verdict), hop.reason);
}

/** A small icon for each kind of hop, drawn around (0, 0) in a 24 px box. */
function icon(kind: PathHopView['kind']): SVGGElement {
  const g = svg('g', { class: 'hop-icon', 'aria-hidden': 'true' });
  switch (kind) {
    case 'device': // a laptop
      g.append(svg('rect', { x: -8, y: -7, width: 16, height: 11, rx: 1.5 }), svg('path', { d: 'M-11 7h22' }));
      break;
    case 'tunnel': // a padlock
      g.append(svg('rect', { x: -7, y: -2, width: 14, height: 10, rx: 1.5 }), svg('path', { d: 'M-4 -2v-3a4 4 0 0 1 8 0v3' }));
      break;
    case 'router': // a box with two antennas
      g.append(svg('rect', { x: -10, y: -1, width: 20, height: 8, rx: 2 }), svg('path', { d: 'M-6 -1l-2-7M6 -1l2-7M-5 3h1M-1 3h1' }));
      break;
    case 'carrier': // the ISP's building
      g.append(svg('rect', { x: -7, y: -9, width: 14, height: 18, rx: 1 }), svg('path', { d: 'M-3 -5h2M1 -5h2M-3 -1h2M1 -1h2M-3 3h2M1 3h2' }));
      break;
    case 'internet': // a globe
      g.append(svg('circle', { cx: 0, cy: 0, r: 9 }), svg('ellipse', { cx: 0, cy: 0, rx: 4, ry: 9 }), svg('path', { d: 'M-9 0h18' }));
      break;
    case 'stun':
    case 'probe':
      break;
  }
  return g;
}

interface Hover {
  show(hop: PathHopView): void;
  reset(): void;
}

/** One hop's group: node, icon, verdict badge and tooltip; hovering shows its reason. */
function node(hop: PathHopView, cx: number, cy: number, r: number, hover: Hover): SVGGElement {
  const scale = r / 20;
  const g = svg('g', { class: `hop hop-${hop.kind} verdict-${hop.verdict}`, 'data-hop': hop.name },
    tooltip(hopSentence(hop)),
    svg('circle', { cx, cy, r, class: 'node' }));
  if (hop.kind !== 'stun' && hop.kind !== 'probe') {
    const glyph = icon(hop.kind);
    glyph.setAttribute('transform', `translate(${cx} ${cy}) scale(${scale})`);
    g.append(glyph);
    g.append(verdictBadge(cx + r * 0.78, cy - r * 0.78, hop.verdict, Math.max(6, 7 * scale)));
  }
  g.addEventListener('mouseenter', () => hover.show(hop));
  g.addEventListener('mouseleave', () => hover.reset());
  return g;
}

/** A destination row's words: "STUN 203.0.113.10:3478 · 1 ms". */
function destinationWords(hop: PathHopView): string {
  return `${hop.name} ${hop.address ?? ''}${hop.detail ? ` · ${hop.detail}` : ''}`.trim();
}

function rowPicture(path: NetworkPathView, width: number, hover: Hover): SVGSVGElement {
  const hasEnds = path.destinations.length > 0;
  const endsWidth = hasEnds ? Math.min(360, Math.max(200, width * 0.36)) : 0;
  const chainWidth = width - endsWidth;
  const column = chainWidth / path.hops.length;
  const R = 20;
  const nodeY = 34;
  const rowH = 22;
  const parts: SVGElement[] = [];
  const centres = path.hops.map((_, i) => column * (i + 0.5));
  // Connectors first, so nodes sit on top of them.
  for (let i = 1; i < centres.length; i++) {
    parts.push(svg('path', { d: `M${(centres[i - 1] ?? 0) + R} ${nodeY}H${(centres[i] ?? 0) - R - 4}`, class: `link verdict-${path.hops[i]?.verdict ?? 'ok'}`, 'marker-end': 'url(#path-arrow)' }));
  }
  const endsTop = Math.max(8, nodeY - (path.destinations.length * rowH) / 2);
  const endX = chainWidth + 18;
  const last = centres[centres.length - 1] ?? 0;
  path.destinations.forEach((end, i) => {
    const y = endsTop + rowH * i + rowH / 2;
    const mid = (last + R + endX) / 2;
    parts.push(svg('path', { d: `M${last + R} ${nodeY}C${mid} ${nodeY} ${mid} ${y} ${endX - 8} ${y}`, class: `link verdict-${end.verdict}` }));
  });
  path.hops.forEach((hop, i) => {
    const x = centres[i] ?? 0;
    const g = node(hop, x, nodeY, R, hover);
    const room = column - 8;
    g.append(text(x, nodeY + R + 18, fit(hop.name, room), 'hop-name', { 'text-anchor': 'middle' }));
    if (hop.address) g.append(text(x, nodeY + R + 34, fit(hop.address, room), 'hop-address', { 'text-anchor': 'middle' }));
    const extra = [hop.badges.join(' · '), hop.detail].filter((s): s is string => !!s).join(' · ');
    if (extra) g.append(text(x, nodeY + R + 50, fit(extra, room), 'hop-extra', { 'text-anchor': 'middle' }));
    parts.push(g);
  });
  path.destinations.forEach((end, i) => {
    const y = endsTop + rowH * i + rowH / 2;
    const g = node(end, endX, y, 6, hover);
    g.append(text(endX + 12, y + 4, fit(`${VERDICT_MARK[end.verdict]} ${destinationWords(end)}`, width - endX - 14), 'end-words'));
    parts.push(g);
  });
  const height = Math.max(nodeY + R + 58, endsTop + rowH * path.destinations.length + 6);
  return frame(width, height, parts);
}

function columnPicture(path: NetworkPathView, width: number, hover: Hover): SVGSVGElement {
  const R = 16;
  const x = 24;
  const hopH = 54;
  const rowH = 40;
  const textX = x + R + 14;
  const room = width - textX - 4;
  const parts: SVGElement[] = [];
  const ys = path.hops.map((_, i) => 24 + i * hopH);
  for (let i = 1; i < ys.length; i++) {
    parts.push(svg('path', { d: `M${x} ${(ys[i - 1] ?? 0) + R}V${(ys[i] ?? 0) - R - 4}`, class: `link verdict-${path.hops[i]?.verdict ?? 'ok'}`, 'marker-end': 'url(#path-arrow)' }));
  }
  const lastY = ys[ys.length - 1] ?? 0;
  const endsTop = lastY + R + 10;
  const endX = x + 30;
  // Narrow: each destination on two lines (what, then its verdict and value), nothing cut short that fits.
  path.destinations.forEach((end, i) => {
    const y = endsTop + i * rowH + 12;
    parts.push(svg('path', { d: `M${x} ${lastY + R}V${y}H${endX - 8}`, class: `link verdict-${end.verdict}` }));
  });
  path.hops.forEach((hop, i) => {
    const y = ys[i] ?? 0;
    const g = node(hop, x, y, R, hover);
    g.append(text(textX, y - 2, fit(`${hop.name}${hop.address ? `  ${hop.address}` : ''}`, room), 'hop-name'));
    const extra = [verdictWords(hop.verdict), hop.badges.join(' · '), hop.detail].filter((s): s is string => !!s).join(' · ');
    g.append(text(textX, y + 15, fit(extra, room), 'hop-extra'));
    parts.push(g);
  });
  path.destinations.forEach((end, i) => {
    const y = endsTop + i * rowH + 12;
    const g = node(end, endX, y, 6, hover);
    g.append(text(endX + 12, y + 4, fit(`${end.name} ${end.address ?? ''}`, width - endX - 14), 'end-words'));
    g.append(text(endX + 12, y + 20, fit([`${VERDICT_MARK[end.verdict]} ${verdictWords(end.verdict)}`, end.detail].filter(Boolean).join(' · '), width - endX - 14), 'hop-extra'));
    parts.push(g);
  });
  return frame(width, endsTop + path.destinations.length * rowH + 4, parts);
}

/** The <svg> around a layout, with the arrowhead marker its links use. */
function frame(width: number, height: number, parts: SVGElement[]): SVGSVGElement {
  return svg('svg', {
    class: 'path-svg', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-hidden': 'true', focusable: 'false',
  }, svg('defs', {}, arrowMarker('path-arrow')), ...parts);
}

/** The caption's lines until a hop is hovered: where the problems are, worst first. */
const PROBLEM_LINES = 4;

/** One caption line: the hop in its verdict's colour and mark, then why. */
function reasonLine(hop: PathHopView): HTMLLIElement {
  const item = document.createElement('li');
  const who = document.createElement('strong');
  who.className = `verdict-${hop.verdict}`;
  who.textContent = `${VERDICT_MARK[hop.verdict]} ${hopWords(hop)}`;
  item.append(who, `: ${hop.reason}`);
  return item;
}

function textLine(words: string): HTMLLIElement {
  const item = document.createElement('li');
  item.textContent = words;
  return item;
}

function problemLines(path: NetworkPathView): HTMLLIElement[] {
  const problems = [...path.hops, ...path.destinations].filter((h) => h.verdict !== 'ok')
    .sort((a, b) => SEVERITY[b.verdict] - SEVERITY[a.verdict]);
  if (problems.length === 0) return [textLine(t('✓ Nothing on this path stands in the way of VPN or peer-to-peer traffic.'))];
  const lines = problems.slice(0, PROBLEM_LINES).map(reasonLine);
  if (problems.length > PROBLEM_LINES) lines.push(textLine(t('…and {0} more (hover a hop, or see the sections below).', problems.length - PROBLEM_LINES)));
  return lines;
}

/**
 * The figure: the picture (redrawn to the panel's width), the hovered hop's reason under it, and
 * the hops in words for screen readers.
 */
export function pathFigure(path: NetworkPathView): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = `path-figure verdict-${path.verdict}`;
  figure.setAttribute('aria-labelledby', 'path-heading');
  const heading = document.createElement('figcaption');
  heading.id = 'path-heading';
  heading.className = 'path-heading';
  heading.textContent = t('Network path');
  const picture = document.createElement('div');
  picture.className = 'path-picture';
  const caption = document.createElement('ul');
  caption.className = 'path-caption';
  // Sighted users' summary and hover text; screen readers get the list below instead.
  caption.setAttribute('aria-hidden', 'true');
  const defaultLines = problemLines(path);
  caption.replaceChildren(...defaultLines);
  const hover: Hover = {
    show: (hop) => {
      caption.replaceChildren(reasonLine(hop));
      caption.dataset.hop = hop.name;
    },
    reset: () => {
      caption.replaceChildren(...defaultLines);
      delete caption.dataset.hop;
    },
  };
  responsive(picture, (width) => (width < COLUMN_BELOW_PX ? columnPicture(path, width, hover) : rowPicture(path, width, hover)));

  const list = document.createElement('ol');
  list.className = 'path-text sr-only';
  list.setAttribute('aria-label', t('Network path, hop by hop'));
  for (const hop of path.hops) {
    const item = document.createElement('li');
    item.textContent = hopSentence(hop);
    list.append(item);
  }
  for (const end of path.destinations) {
    const item = document.createElement('li');
    item.textContent = t('then {0}', hopSentence(end));
    list.append(item);
  }
  figure.append(heading, picture, caption, list);
  return figure;
}
