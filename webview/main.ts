// The report panel's page. Lays out what the host sends (src/protocol.ts): the network path and
// the small pictures as data, rows already worded, addresses already hidden when
// natDoctor.hideAddresses is on. DOM APIs only: every value is set through textContent, never
// innerHTML, because server names, SOFTWARE attributes, UPnP names and host names come from the
// network. No inline script or style (the CSP forbids both); looks come from media/report.css on
// VS Code's theme variables. The panel's own words go through t() (webview/l10n.ts).
import type { FigureView, HistoryEntry, HostToWebview, ReportSectionView, WebviewToHost } from '../src/protocol';
import { sectionExplanation } from '../src/sectionExplanations';
import { figureElement } from './figures';
import { t } from './l10n';
import { pathFigure } from './pathPicture';
import { forgetResponsive } from './svg';

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}


type Attributes = Record<string, string>;

/** Creates an element whose text is set as text (never parsed as HTML). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attributes: Attributes = {}, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (className) node.className = className;
  return node;
}

function sectionShell(id: string, title: string, figures: FigureView[] = []): HTMLElement {
  const section = el('section', undefined, { 'aria-labelledby': `h-${id}`, 'data-section': id }, `section section-${id}`);
  section.append(el('h2', title, { id: `h-${id}` }));
  section.append(el('p', t(sectionExplanation(id)), {}, 'explanation'));
  for (const figure of figures) section.append(figureElement(figure));
  return section;
}

function recommendationsSection(section: ReportSectionView | undefined): HTMLElement {
  const shell = sectionShell('recommendations', t('Recommendations'));
  if (!section || section.rows.length === 0) {
    shell.append(el('p', t('Nothing to change: no problem found for VPN or peer-to-peer traffic.'), {}, 'empty'));
    return shell;
  }
  const list = el('ul', undefined, {}, 'recommendations');
  for (const row of section.rows) {
    const severity = ['error', 'warning', 'info'].includes(row.label) ? row.label : 'info';
    const item = el('li', undefined, {}, `recommendation severity-${severity}`);
    item.append(el('span', severity, {}, 'severity'), el('span', row.value, {}, 'message'));
    list.append(item);
  }
  shell.append(list);
  return shell;
}

function tableSection(section: ReportSectionView, figures: FigureView[]): HTMLElement {
  const shell = sectionShell(section.id, section.title, figures);
  if (section.rows.length === 0) {
    shell.append(el('p', t('Nothing to show.'), {}, 'empty'));
    return shell;
  }
  const table = el('table');
  const head = el('thead');
  const headRow = el('tr');
  headRow.append(el('th', t('Item'), { scope: 'col' }), el('th', t('Result'), { scope: 'col' }), el('th', t('What it means'), { scope: 'col' }));
  head.append(headRow);
  const body = el('tbody');
  for (const row of section.rows) {
    const tr = el('tr');
    tr.append(el('th', row.label, { scope: 'row' }), el('td', row.value, {}, 'value'), el('td', row.meaning ?? '', {}, 'meaning'));
    body.append(tr);
  }
  table.append(head, body);
  shell.append(table);
  return shell;
}

function changesSection(changes: string[]): HTMLElement | undefined {
  if (changes.length === 0) return undefined;
  const shell = sectionShell('changes', t('Changed since the previous check'));
  const list = el('ul', undefined, {}, 'changes');
  for (const change of changes) list.append(el('li', change));
  shell.append(list);
  return shell;
}

function historySection(history: HistoryEntry[], selected: number | undefined): HTMLElement | undefined {
  if (history.length === 0) return undefined;
  const shell = sectionShell('history', t('History'));
  const list = el('ol', undefined, {}, 'history');
  history.forEach((entry, index) => {
    const item = el('li');
    const when = new Date(entry.startedAt);
    const label = `${Number.isNaN(when.getTime()) ? entry.startedAt : when.toLocaleString()} · ${entry.mode} · ${entry.summary}`;
    const button = el('button', label, { type: 'button', 'data-index': String(index) }, 'link');
    if (index === selected) {
      button.setAttribute('aria-current', 'true');
      button.classList.add('selected');
    }
    button.addEventListener('click', () => post({ type: 'selectHistory', index }));
    item.append(button);
    list.append(item);
  });
  shell.append(list);
  return shell;
}

function toolbar(hasReport: boolean): HTMLElement {
  const bar = el('div', undefined, { role: 'toolbar', 'aria-label': t('Report actions') }, 'toolbar');
  const rerun = el('button', t('Re-run'), { type: 'button', id: 'rerun' });
  rerun.addEventListener('click', () => post({ type: 'rerun' }));
  const copy = el('button', t('Copy as Markdown'), { type: 'button', id: 'copy-markdown' }, 'secondary');
  copy.addEventListener('click', () => post({ type: 'copyMarkdown' }));
  const exportJson = el('button', t('Export JSON'), { type: 'button', id: 'export-json' }, 'secondary');
  exportJson.addEventListener('click', () => post({ type: 'exportJson' }));
  copy.disabled = !hasReport;
  exportJson.disabled = !hasReport;
  bar.append(rerun, copy, exportJson);
  return bar;
}

const statusLine = el('div', undefined, { role: 'status', id: 'status' }, 'status');

function render(message: Extract<HostToWebview, { type: 'report' | 'empty' }>): void {
  forgetResponsive();
  const children: HTMLElement[] = [];
  const header = el('header');
  header.append(el('h1', t('NAT Doctor report')));
  if (message.type === 'empty') {
    header.append(toolbar(false), statusLine);
    children.push(header, el('p', t('No diagnosis yet. Press Re-run (or run "NAT Doctor: Run Diagnostics") to check your NAT.'), {}, 'empty'));
    const history = historySection(message.history, undefined);
    if (history) children.push(history);
    app.replaceChildren(...children);
    return;
  }
  const started = new Date(message.startedAt);
  const meta = [
    Number.isNaN(started.getTime()) ? message.startedAt : started.toLocaleString(),
    t('{0} s', (message.durationMs / 1000).toFixed(1)),
    message.mode === 'quick' ? t('quick check') : t('full diagnosis'),
    t('measured from {0}', message.ranOn ?? t('this machine')),
    `nat-doctor ${message.version}`,
  ].join(' · ');
  header.append(el('p', meta, {}, 'meta'), toolbar(true), statusLine);
  // The path comes first, before any section: where the problem is, at a glance.
  children.push(header, pathFigure(message.path));

  const sectionIds = new Set(message.sections.map((s) => s.id));
  const figuresFor = (id: string): FigureView[] => message.figures.filter((f) => f.place === id);
  // A figure whose section this report lacks still shows, after the path.
  const homeless = message.figures.filter((f) => !sectionIds.has(f.place));
  if (homeless.length > 0) {
    const extra = el('div', undefined, {}, 'path-figures');
    for (const figure of homeless) extra.append(figureElement(figure));
    children.push(extra);
  }
  const byId = new Map(message.sections.map((s) => [s.id, s] as const));
  children.push(recommendationsSection(byId.get('recommendations')));
  const changes = changesSection(message.changes);
  if (changes) children.push(changes);
  for (const section of message.sections) {
    if (section.id === 'recommendations') continue;
    children.push(tableSection(section, figuresFor(section.id)));
  }
  const history = historySection(message.history, message.historyIndex);
  if (history) children.push(history);
  app.replaceChildren(...children);
  post({
    type: 'rendered',
    startedAt: message.startedAt,
    sections: children.map((c) => c.getAttribute('data-section')).filter((s): s is string => s !== null),
    path: [...message.path.hops, ...message.path.destinations].map((h) => h.name),
    figures: [...app.querySelectorAll('figure[data-figure]')].map((f) => f.getAttribute('data-figure') ?? ''),
  });
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'report':
    case 'empty':
      render(message);
      statusLine.textContent = '';
      return;
    case 'running': {
      statusLine.textContent = message.running ? (message.message ?? t('Running…')) : '';
      statusLine.classList.toggle('running', message.running);
      statusLine.classList.remove('error');
      const rerun = document.getElementById('rerun') as HTMLButtonElement | null;
      if (rerun) rerun.disabled = message.running;
      return;
    }
    case 'error':
      statusLine.textContent = t('The diagnosis failed: {0}', message.message);
      statusLine.classList.add('error');
      return;
  }
});

post({ type: 'ready' });
