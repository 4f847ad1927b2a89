// A lab scenario photographed in a real VS Code: the scenario's network is built (test/lab), the
// packaged .vsix is installed into code-server, and code-server, its extension host and Chromium
// all run inside the lab's client namespace, so the diagnosis measures the lab's NATs and servers
// as it would a user's. "Run Diagnostics" runs from the palette; the report panel is read through
// its accessible text and photographed in each theme, then the WireGuard quick fix is shown in
// three steps with the keepalive the diagnosis measured. The UI end-to-end test asserts on what
// this returns; scripts/code-server-screenshots.mjs runs it for the README's pictures.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { Lab } from '../lab/netns';
import { installExtension, launchChromium, startCodeServer } from './codeServerHarness';
import type { LabScenario, ScenarioSetup } from './labScenarios';
import { reportFrame, runFromPalette, selectTheme, THEMES, type ThemeName } from './workbench';

/** The window the pictures are taken at: a common laptop screen. */
export const VIEWPORT = { width: 1280, height: 800 } as const;

export interface ThemeCapture {
  theme: ThemeName;
  /** The body class VS Code gave the webview in this theme. */
  bodyClass: string;
  /** The accessible text of the path: the items of the list "Network path, hop by hop". */
  pathItems: string[];
  /** The problems listed under the picture. */
  caption: string[];
  /** Small pictures drawn, by kind. */
  figures: string[];
  /** Where the path figure and its first problem line are on screen (first theme only: sidebar open). */
  screenshot: string;
}

export interface QuickFixCapture {
  theme: ThemeName;
  /** The hover's message on the Endpoint line. */
  problem: string;
  /** The quick fix's title as the menu shows it. */
  fixTitle: string;
  /** The line the fix put into the file. */
  fixedLine: string;
  /** The three steps, one picture each. */
  screenshots: string[];
  /** The three steps in one picture, captioned (quickfix-<scenario>-<theme>.png). */
  stepwise: string;
}

export interface NarrowCapture {
  /** The webview's width in CSS pixels. */
  panelWidth: number;
  /** The path is drawn as a column. */
  column: boolean;
  /** Texts of the path picture that run past its right edge (must be none). */
  overflowing: string[];
  screenshot: string;
}

export interface ScenarioCapture {
  setup: Pick<ScenarioSetup, 'hops' | 'destinations' | 'figures' | 'quickFix'>;
  /** First screen at 1280×800 with the Explorer open, as a newcomer sees it. */
  firstScreen: { screenshot: string; pathBottom: number; firstProblemBottom: number; viewportHeight: number };
  /** The panel's lifetime row ("~20 s (between 18 and 22 s)"). */
  lifetimeRow: string;
  themes: ThemeCapture[];
  /** The panel at its narrowest: a window of NARROW_WIDTH with nothing beside the panel. */
  narrow: NarrowCapture;
  quickFixes: QuickFixCapture[];
  cspViolations: string[];
}

/** A narrow window: the panel gets what is left beside the activity bar. */
export const NARROW_WIDTH = 480;

export interface CaptureOptions {
  /** code-server's entry script (ensureCodeServer). */
  entry: string;
  vsix: string;
  outDir: string;
  themes: readonly ThemeName[];
  /** Themes to show the quick fix in (none: skip it). */
  quickFixThemes: readonly ThemeName[];
  log?: (line: string) => void;
}

async function waitForTheme(frame: Frame, theme: ThemeName): Promise<string> {
  const wanted = THEMES[theme].bodyClass;
  await frame.waitForFunction(`document.body.classList.contains(${JSON.stringify(wanted)})`, undefined, { timeout: 15_000 });
  return wanted;
}

async function readPanel(frame: Frame): Promise<Pick<ThemeCapture, 'pathItems' | 'caption' | 'figures'>> {
  const list = frame.getByRole('list', { name: 'Network path, hop by hop' });
  return {
    pathItems: await list.getByRole('listitem').allTextContents(),
    caption: await frame.locator('.path-caption li').allTextContents(),
    figures: await frame.locator('figure[data-figure]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-figure') ?? '')),
  };
}

/** Waits until every notification toast (the run's progress) has closed. */
async function noToasts(page: Page): Promise<void> {
  await page.waitForFunction('document.querySelectorAll(".notifications-toasts .notification-toast").length === 0', undefined, { timeout: 30_000 })
    .catch(() => undefined);
}

async function quickFix(page: Page, theme: ThemeName, outDir: string, name: string): Promise<QuickFixCapture> {
  const editor = await page.locator('.part.editor').boundingBox();
  const shot = async (step: string): Promise<string> => {
    const path = join(outDir, `quickfix-${name}-${step}-${theme}.png`);
    // The top of the editor: the file, the hover or menu, nothing of the empty page below.
    await page.screenshot({ path, clip: { x: editor?.x ?? 0, y: editor?.y ?? 0, width: Math.min(editor?.width ?? VIEWPORT.width, 900), height: 280 } });
    return path;
  };
  const endpointLine = page.locator('.view-line', { hasText: 'Endpoint =' }).first();
  await endpointLine.waitFor({ timeout: 15_000 });
  // 1. The problem, with the measured NAT in its words.
  await page.locator('.squiggly-warning, .squiggly-info').first().waitFor({ timeout: 30_000 });
  await endpointLine.locator('span').last().hover();
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'PersistentKeepalive' }).first();
  await hover.waitFor({ timeout: 15_000 });
  const problem = (await hover.innerText()).trim();
  const screenshots = [await shot('1-problem')];
  // 2. The quick-fix menu on that line.
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await endpointLine.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Control+.');
  // The sure fix is the preferred one: the menu opens with it selected.
  const menuItem = page.locator('.action-widget .monaco-list-row.focused', { hasText: 'PersistentKeepalive' }).first();
  await menuItem.waitFor({ timeout: 15_000 });
  const fixTitle = (await menuItem.innerText()).trim();
  screenshots.push(await shot('2-menu'));
  // 3. Applied, with Enter as a user does.
  await page.keyboard.press('Enter');
  const fixed = page.locator('.view-line', { hasText: 'PersistentKeepalive =' }).first();
  await fixed.waitFor({ timeout: 15_000 });
  await page.waitForFunction('document.querySelectorAll(".squiggly-warning").length === 0', undefined, { timeout: 15_000 }).catch(() => undefined);
  const fixedLine = (await fixed.innerText()).replace(/\u00a0/g, ' ').trim();
  screenshots.push(await shot('3-fixed'));
  // Back to the file as it was, for the next theme.
  await page.keyboard.press('Control+Z');
  await page.locator('.view-line', { hasText: 'PersistentKeepalive =' }).waitFor({ state: 'detached', timeout: 10_000 });
  const stepwise = await stepwisePicture(page, theme, screenshots, [
    '1. The problem, in the words of the NAT that was measured',
    `2. Quick fix (Ctrl+.): ${fixTitle}`,
    '3. Fixed',
  ], join(outDir, `quickfix-${name}-${theme}.png`));
  return { theme, problem, fixTitle, fixedLine, screenshots, stepwise };
}

/** The steps one under the other with a caption each, rendered by the same browser as one picture. */
async function stepwisePicture(page: Page, theme: ThemeName, frames: string[], captions: string[], path: string): Promise<string> {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser to draw the stepwise picture');
  const sheet = await browser.newPage({ viewport: { width: 920, height: 400 } });
  try {
    const dark = theme !== 'light';
    await sheet.setContent(`<!DOCTYPE html><html><body></body></html>`);
    await sheet.evaluate(`(() => {
      const steps = ${JSON.stringify(frames.map((frame, i) => ({ image: `data:image/png;base64,${readFileSync(frame).toString('base64')}`, caption: captions[i] ?? '' })))};
      document.body.style.cssText = 'margin:0;padding:10px;font:14px system-ui,sans-serif;background:${dark ? '#181818' : '#f3f3f3'};color:${dark ? '#cccccc' : '#3b3b3b'}';
      for (const step of steps) {
        const caption = document.createElement('div');
        caption.textContent = step.caption;
        caption.style.cssText = 'margin:8px 0 4px;font-weight:600';
        const image = document.createElement('img');
        image.src = step.image;
        image.style.cssText = 'display:block;border:1px solid ${dark ? '#2b2b2b' : '#e5e5e5'}';
        document.body.append(caption, image);
      }
    })()`);
    await sheet.waitForFunction('[...document.images].every((i) => i.complete && i.naturalWidth > 0)');
    await sheet.screenshot({ path, fullPage: true });
    return path;
  } finally {
    await sheet.close();
  }
}

/** Builds the scenario's lab, runs the packaged extension inside it and photographs the result. */
export async function captureScenario(scenario: LabScenario, options: CaptureOptions): Promise<ScenarioCapture> {
  const log = options.log ?? (() => undefined);
  mkdirSync(options.outDir, { recursive: true });
  const lab = new Lab();
  const work = mkdtempSync(join(tmpdir(), `nat-doctor-shots-${scenario.name}-`));
  try {
    log(`${scenario.name}: building ${scenario.title}`);
    const setup = await scenario.build(lab);
    const folder = join(work, 'workspace');
    mkdirSync(folder);
    if (setup.quickFix) writeFileSync(join(folder, setup.quickFix.fileName), setup.quickFix.text);
    const extensionsDir = join(work, 'extensions');
    installExtension(options.entry, options.vsix, extensionsDir, join(work, 'install-user-data'));
    const server = await startCodeServer({
      entry: options.entry, folder, extensionsDir, netns: setup.client.name,
      userSettings: { ...setup.settings, 'workbench.colorTheme': THEMES.dark.label, 'editor.hover.delay': 100 },
    });
    const settingsFile = join(server.userDataDir, 'User', 'settings.json');
    const browser = await launchChromium({ netns: setup.client.name });
    const cspViolations: string[] = [];
    try {
      const page = await browser.newPage({ viewport: VIEWPORT });
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text()) && /webview\.js|report\.css|nat-doctor/i.test(message.text())) cspViolations.push(message.text());
      });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.locator('.statusbar [aria-label^="NAT Doctor:"]').first().waitFor({ timeout: 60_000 });
      log(`${scenario.name}: Run Diagnostics (the binding lifetime takes a while)`);
      await runFromPalette(page, 'NAT Doctor: Run Diagnostics');
      const frame = await reportFrame(page, 60_000, 'h1');
      await frame.locator('p.meta', { hasText: 'full diagnosis' }).waitFor({ timeout: 180_000 });
      await frame.locator('figure.path-figure').waitFor({ timeout: 10_000 });
      await noToasts(page);
      const lifetimeRow = (await frame.locator('section[data-section="lifetime"] td.value').first().textContent()) ?? '';

      // The first screen as a newcomer sees it: Explorer open, nothing scrolled.
      const firstScreenshot = join(options.outDir, `first-screen-${scenario.name}.png`);
      await page.screenshot({ path: firstScreenshot });
      const frameBox = await page.locator('iframe.webview').first().boundingBox();
      const pathBox = await frame.locator('figure.path-figure').boundingBox();
      const problemBox = await frame.locator('.path-caption li').first().boundingBox();
      const top = frameBox?.y ?? 0;
      const firstScreen = {
        screenshot: firstScreenshot,
        pathBottom: top + (pathBox ? pathBox.y + pathBox.height : Number.POSITIVE_INFINITY),
        firstProblemBottom: top + (problemBox ? problemBox.y + problemBox.height : Number.POSITIVE_INFINITY),
        viewportHeight: VIEWPORT.height,
      };

      // The pictures: the panel alone beside the activity bar.
      await runFromPalette(page, 'View: Close Primary Side Bar');
      const themes: ThemeCapture[] = [];
      for (const theme of options.themes) {
        await selectTheme(page, settingsFile, theme);
        const current = await reportFrame(page, 30_000, 'figure.path-figure');
        const bodyClass = await waitForTheme(current, theme);
        await noToasts(page);
        const screenshot = join(options.outDir, `report-${scenario.name}-${theme}.png`);
        await page.screenshot({ path: screenshot });
        themes.push({ theme, bodyClass, screenshot, ...(await readPanel(current)) });
        log(`${scenario.name}: ${screenshot}`);
      }

      // The narrowest panel: every label of the path still fits inside the picture.
      await page.setViewportSize({ width: NARROW_WIDTH, height: VIEWPORT.height });
      const narrowFrame = await reportFrame(page, 30_000, 'figure.path-figure');
      await narrowFrame.waitForFunction('document.querySelector(".path-svg")?.getAttribute("width") === String(document.querySelector(".path-picture").clientWidth)', undefined, { timeout: 10_000 });
      const measured = await narrowFrame.evaluate(`(() => {
        const svg = document.querySelector('.path-svg');
        const width = Number(svg.getAttribute('width'));
        const texts = [...svg.querySelectorAll('text')];
        return {
          panelWidth: document.documentElement.clientWidth,
          column: svg.querySelectorAll('g.hop').length > 0 && new Set([...svg.querySelectorAll('g.hop:not(.hop-stun):not(.hop-probe) circle.node')].map((c) => c.getAttribute('cx'))).size === 1,
          overflowing: texts.filter((t) => { const b = t.getBBox(); return b.x < 0 || b.x + b.width > width + 0.5; }).map((t) => t.textContent),
        };
      })()`) as Omit<NarrowCapture, 'screenshot'>;
      const narrowShot = join(options.outDir, `narrow-${scenario.name}.png`);
      await page.screenshot({ path: narrowShot });
      const narrow: NarrowCapture = { ...measured, screenshot: narrowShot };
      await page.setViewportSize(VIEWPORT);

      const quickFixes: QuickFixCapture[] = [];
      if (setup.quickFix && options.quickFixThemes.length > 0) {
        await page.keyboard.press('Control+P');
        await page.locator('.quick-input-widget input').first().fill(setup.quickFix.fileName);
        await page.locator('.quick-input-list .monaco-list-row', { hasText: setup.quickFix.fileName }).first().waitFor({ timeout: 15_000 });
        await page.keyboard.press('Enter');
        for (const theme of options.quickFixThemes) {
          await selectTheme(page, settingsFile, theme);
          quickFixes.push(await quickFix(page, theme, options.outDir, scenario.name));
          log(`${scenario.name}: quick fix in ${theme}`);
        }
      }
      return { setup, firstScreen, lifetimeRow, themes, narrow, quickFixes, cspViolations };
    } finally {
      await browser.close();
      await server.stop();
    }
  } finally {
    await lab.close();
    rmSync(work, { recursive: true, force: true });
  }
}
