// Driving the VS Code workbench in Chromium as a user does (the command palette, the report
// webview's frame), shared by the UI end-to-end test and the lab screenshots.
import { readFileSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';

/** The quick-input row whose label starts with `label` (not merely one that mentions it). */
function rowStartingWith(page: Page, label: string) {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.locator('.quick-input-list .monaco-list-row', { hasText: new RegExp(`^\\s*${escaped}`) }).first();
}

/**
 * Runs a command by its title from the command palette (F1), picking exactly that command. A
 * palette that closes again before it could be typed in (focus moving between the workbench and a
 * webview as F1 arrives) is opened again, up to three times.
 */
export async function runFromPalette(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input[type="text"], .quick-input-widget input').first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  const row = rowStartingWith(page, title);
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** The frame of our report webview (VS Code nests it: webview host iframe → active frame). */
export async function reportFrame(page: Page, timeoutMs: number, selector = 'section[data-section="summary"]'): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.locator(selector).count() > 0) return frame;
      } catch {
        // A frame navigating or detached while we looked.
      }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`the report webview did not render ${selector}`);
}

/** The workbench's colour themes the panel must follow, by the name the pictures use. */
export const THEMES = {
  dark: { label: 'Default Dark Modern', bodyClass: 'vscode-dark', workbenchClass: 'vs-dark' },
  light: { label: 'Default Light Modern', bodyClass: 'vscode-light', workbenchClass: 'vs' },
  'high-contrast': { label: 'Default High Contrast', bodyClass: 'vscode-high-contrast', workbenchClass: 'hc-black' },
} as const;
export type ThemeName = keyof typeof THEMES;

/**
 * Changes user settings in VS Code's own settings.json editor, as a user does: the file's content
 * (read from `settingsFile`) with `changes` applied is typed in and saved; the editor stays open.
 */
export async function editUserSettings(page: Page, settingsFile: string, changes: Record<string, unknown>): Promise<void> {
  const current = readFileSync(settingsFile, 'utf8');
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(current) as Record<string, unknown>;
  } catch {
    throw new Error(`settings.json is not plain JSON:\n${current}`);
  }
  const settings = { ...parsed, ...changes };
  await runFromPalette(page, 'Preferences: Open User Settings (JSON)');
  await page.locator('.tab.active', { hasText: 'settings.json' }).waitFor({ timeout: 15_000 });
  // Typing goes to the editor once its text area has the focus.
  await page.waitForFunction('document.activeElement?.closest(".monaco-editor") !== null', undefined, { timeout: 15_000 });
  // Emptied first, so that what is typed is all there is (typing over a selection can leave the
  // closing brace the editor added).
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.waitForFunction('[...document.querySelectorAll(".part.editor .editor-instance .view-line")].every((l) => (l.textContent || "").trim() === "")', undefined, { timeout: 10_000 });
  const text = JSON.stringify(settings, null, 2);
  await page.keyboard.insertText(text);
  await page.keyboard.press('Control+S');
  // Saved: the tab loses its dirty marker, and the file (written through the server) holds what was typed.
  await page.locator('.tab.dirty').first().waitFor({ state: 'detached', timeout: 10_000 });
  const deadline = Date.now() + 10_000;
  while (readFileSync(settingsFile, 'utf8') !== text) {
    if (Date.now() > deadline) throw new Error(`settings.json was not saved as typed:\n${readFileSync(settingsFile, 'utf8')}`);
    await page.waitForTimeout(100);
  }
}

/** Switches the colour theme through settings.json and returns to the editor shown before. */
export async function selectTheme(page: Page, settingsFile: string, theme: ThemeName): Promise<void> {
  await editUserSettings(page, settingsFile, { 'workbench.colorTheme': THEMES[theme].label });
  await page.waitForFunction(`document.querySelector('.monaco-workbench')?.classList.contains(${JSON.stringify(THEMES[theme].workbenchClass)})`, undefined, { timeout: 15_000 });
  await runFromPalette(page, 'View: Close Editor');
  await page.locator('.tab.active', { hasText: 'settings.json' }).waitFor({ state: 'detached', timeout: 10_000 });
}
