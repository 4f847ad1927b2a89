// Building SVG with DOM calls only (createElementNS, setAttribute, textContent): no markup is
// parsed and no style attribute is written, so the pictures need nothing the CSP forbids. Looks
// come from classes in media/report.css, on VS Code's theme variables.
import type { VerdictView } from '../src/protocol';
import { t } from './l10n';

const NS = 'http://www.w3.org/2000/svg';

export type SvgAttributes = Record<string, string | number>;

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: SvgAttributes = {}, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
}

/** A text element whose content is set as text. */
export function text(x: number, y: number, content: string, className: string, attributes: SvgAttributes = {}): SVGTextElement {
  const node = svg('text', { x, y, class: className, ...attributes });
  node.textContent = content;
  return node;
}

/** The native hover tooltip of an SVG element. */
export function tooltip(content: string): SVGTitleElement {
  const node = svg('title');
  node.textContent = content;
  return node;
}

/** Average advance of a character at the pictures' 12 px text, used to fit labels into columns. */
export const CHAR_PX = 7;

/** Cuts `value` to `maxPx` of text with an ellipsis; the full text stays in the tooltip and the list. */
export function fit(value: string, maxPx: number): string {
  const max = Math.max(3, Math.floor(maxPx / CHAR_PX));
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** The verdict in words: the pictures never say it by colour alone. */
export function verdictWords(verdict: VerdictView): string {
  switch (verdict) {
    case 'ok':
      return t('ok');
    case 'warning':
      return t('warning');
    case 'blocking':
      return t('blocking');
    case 'unknown':
      return t('not measured');
  }
}

/** The glyph drawn in a verdict badge (✓ ! ✕ ?), beside the colour. */
export const VERDICT_GLYPH: Record<VerdictView, string> = { ok: '✓', warning: '!', blocking: '✕', unknown: '?' };

/** The verdict's mark in running text, as the terminal report writes it (✓ ⚠ ✖ ?). */
export const VERDICT_MARK: Record<VerdictView, string> = { ok: '✓', warning: '⚠', blocking: '✖', unknown: '?' };

/** A verdict badge: a small disc in the verdict's colour with its glyph. */
export function verdictBadge(x: number, y: number, verdict: VerdictView, r = 7): SVGGElement {
  return svg('g', { class: `badge verdict-${verdict}`, 'aria-hidden': 'true' },
    svg('circle', { cx: x, cy: y, r, class: 'badge-disc' }),
    text(x, y + r * 0.45, VERDICT_GLYPH[verdict], 'badge-glyph', { 'text-anchor': 'middle' }));
}

/** An arrowhead for `marker-end: url(#id)`; ids are per picture, as each picture is its own <svg>. */
export function arrowMarker(id: string): SVGMarkerElement {
  return svg('marker', { id, viewBox: '0 0 8 8', refX: 7, refY: 4, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    svg('path', { d: 'M0 0L8 4L0 8z', class: 'arrowhead' }));
}

const observers: ResizeObserver[] = [];

/** Stops following the sizes of pictures that a new render replaced. */
export function forgetResponsive(): void {
  for (const observer of observers.splice(0)) observer.disconnect();
}

/**
 * Keeps a picture fitted to its container: draws it now at the container's width and again
 * whenever that width changes (a narrower panel gets a narrower layout, never smaller text).
 */
export function responsive(container: HTMLElement, draw: (width: number) => SVGSVGElement): void {
  let drawnWidth = -1;
  const redraw = (): void => {
    const width = Math.floor(container.clientWidth);
    if (width <= 0 || width === drawnWidth) return;
    drawnWidth = width;
    container.replaceChildren(draw(width));
  };
  const observer = new ResizeObserver(() => redraw());
  observer.observe(container);
  observers.push(observer);
  // The first draw happens once the container is in the DOM and has a width.
  requestAnimationFrame(redraw);
}
