// Runs a real VS Code here: code-server 4.100.3 (Code 1.100.3 workbench + Node extension host,
// installed by scripts/code-server-setup.sh into .cache/code-server) driven by Debian's Chromium
// through playwright-core. Used by the node:test wrappers in this folder; recipe in
// shared/LAB.md "A real VS Code here".
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';

export const REPO_ROOT = resolve(__dirname, '../../..');
const SETUP_SCRIPT = join(REPO_ROOT, 'scripts', 'code-server-setup.sh');
export const CHROMIUM = process.env.NAT_DOCTOR_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium on a closed network: without these it keeps trying to reach Google (LAB.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage',
];

export function isCi(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

function codeServerEntry(): string {
  const printed = spawnSync('bash', [SETUP_SCRIPT, '--print'], { encoding: 'utf8' });
  return printed.stdout.trim();
}

/**
 * Makes sure code-server and Chromium are there. Root (or CI) installs what is missing; anyone
 * else gets a reason to skip. Returns the code-server entry script, or a skip reason.
 */
export function ensureCodeServer(): { entry: string } | { skip: string } {
  let entry = codeServerEntry();
  const installable = isCi() || process.getuid?.() === 0;
  if ((!existsSync(entry) || !existsSync(CHROMIUM)) && installable) {
    const setup = spawnSync('bash', [SETUP_SCRIPT], { stdio: 'inherit' });
    if (setup.status !== 0) throw new Error(`scripts/code-server-setup.sh failed with ${setup.status}`);
    entry = codeServerEntry();
  }
  if (!existsSync(entry)) return { skip: 'code-server is not installed: run `bash scripts/code-server-setup.sh` (root installs it automatically)' };
  if (!existsSync(CHROMIUM)) return { skip: `Chromium is not installed at ${CHROMIUM}: apt-get install chromium` };
  return { entry };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface CodeServer {
  url: string;
  port: number;
  userDataDir: string;
  extensionsDir: string;
  output(): string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  entry: string;
  folder: string;
  /** User settings.json content. */
  userSettings?: Record<string, unknown>;
  /** Reuse an extensions folder (the UI test installs the .vsix into it first). */
  extensionsDir?: string;
  /** Keep workspace trust on (the folder then opens in restricted mode). Default: off. */
  workspaceTrust?: boolean;
  /** Extra environment for code-server, which its extension host inherits. */
  env?: Record<string, string>;
  /**
   * Run code-server (and so its extension host, which runs the diagnoses) inside this lab network
   * namespace; open it with a browser from launchChromium({ netns }) in the same namespace.
   */
  netns?: string;
}

const BASE_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'security.workspace.trust.enabled': false,
  'window.commandCenter': false,
  'workbench.colorTheme': 'Default Dark Modern',
  // Tests type whole files (settings.json) into editors: nothing may be added as they type.
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoIndent': 'none',
  // Tests talk only to loopback: the captive-portal check would look up a public name.
  'natDoctor.captivePortal.url': '',
};

function codeServerArgs(entry: string, extensionsDir: string, userDataDir: string, workspaceTrust = false): string[] {
  // --config keeps code-server from writing ~/.config/code-server/config.yaml.
  return [entry, '--config', join(userDataDir, 'code-server.yaml'), '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
}

/** `code-server --install-extension FILE.vsix`: installs the package the way a user would. */
export function installExtension(entry: string, vsix: string, extensionsDir: string, userDataDir: string): string {
  mkdirSync(userDataDir, { recursive: true });
  writeFileSync(join(userDataDir, 'code-server.yaml'), '');
  const result = spawnSync(process.execPath, [...codeServerArgs(entry, extensionsDir, userDataDir), '--install-extension', vsix],
    { encoding: 'utf8', timeout: 120_000 });
  const output = `${result.stdout}\n${result.stderr}`;
  if (result.status !== 0) throw new Error(`--install-extension failed (${result.status}): ${output}`);
  return output;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const work = mkdtempSync(join(tmpdir(), 'nat-doctor-code-server-'));
  const userDataDir = join(work, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(work, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'code-server.yaml'), '');
  const trustSettings = options.workspaceTrust
    ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }
    : {};
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_USER_SETTINGS, ...trustSettings, ...options.userSettings }, null, 2));
  const port = await freePort();
  let output = '';
  const command = [process.execPath, ...codeServerArgs(options.entry, extensionsDir, userDataDir, options.workspaceTrust), '--bind-addr', `127.0.0.1:${port}`, options.folder];
  const [file, ...args] = options.netns ? ['ip', 'netns', 'exec', options.netns, ...command] : command;
  const child: ChildProcess = spawn(file as string, args,
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VSCODE_CLI: undefined, ELECTRON_RUN_AS_NODE: undefined, ...options.env } });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const collect = (chunk: Buffer) => { output += chunk.toString(); };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
    rmSync(work, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (!/HTTP server listening/.test(output)) {
    if (child.exitCode !== null) throw new Error(`code-server exited early:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not start within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, port, userDataDir, extensionsDir, output: () => output, stop };
}

/**
 * Chromium, headless. With `netns` it runs inside that lab namespace (where code-server listens
 * on the namespace's loopback): playwright starts a two-line wrapper that enters the namespace and
 * execs Chromium, which keeps the pipes playwright talks through.
 */
export async function launchChromium(options: { netns?: string } = {}): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  if (!options.netns) return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const dir = mkdtempSync(join(tmpdir(), 'nat-doctor-chromium-'));
  const wrapper = join(dir, 'chromium-in-netns');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec '${options.netns}' '${CHROMIUM}' "$@"\n`, { mode: 0o755 });
  try {
    const browser = await chromium.launch({ executablePath: wrapper, args: CHROMIUM_ARGS, headless: true });
    browser.on('disconnected', () => rmSync(dir, { recursive: true, force: true }));
    return browser;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export interface ExtensionTestRun {
  exitCode: number;
  /** What the extension host printed (mocha's spec reporter), as forwarded to the browser console. */
  log: string[];
}

/**
 * Runs an extensionTestsPath module in code-server's extension host through the workbench
 * `payload` query (the mechanism VS Code's own web integration tests use), and resolves with the
 * exit code the workbench passes to codeAutomationExit.
 */
export async function runExtensionTests(server: CodeServer, browser: Browser, options: {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  folder: string;
  timeoutMs?: number;
}): Promise<ExtensionTestRun> {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(options.extensionTestsPath)],
    ['skipWelcome', 'true'],
  ];
  const url = `${server.url}/?folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page: Page = await context.newPage();
  const log: string[] = [];
  // Extension-host console output reaches the page console with its %c styling; keep the text.
  page.on('console', (message) => log.push(message.text().replace(/^%c\s*\w+\s+color:\s*#\w+\s*/, '')));
  let settle: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolveExit) => { settle = resolveExit; });
  await page.exposeFunction('codeAutomationExit', (code: number) => settle(code));
  await page.goto(url);
  const timeoutMs = options.timeoutMs ?? 240_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<number>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`extension tests did not finish within ${timeoutMs} ms\n${log.join('\n')}`)), timeoutMs);
  });
  try {
    const exitCode = await Promise.race([exit, timeout]);
    return { exitCode, log };
  } finally {
    clearTimeout(timer);
    await context.close();
  }
}
