// Regenerates the README's pictures from real lab results: for every scenario in
// test/vscode/labScenarios.ts (LAB_SCENARIOS), the code the UI end-to-end test runs
// (test/vscode/labScreenshots.ts) builds the lab, installs the packaged .vsix into code-server
// inside the lab's client namespace, runs the diagnosis and photographs the report panel and the
// quick fix in the dark and light themes. A new scenario brings its pictures with it.
//   sudo npm run screenshots            (packages the .vsix, compiles the tests, then runs this)
//   node scripts/code-server-screenshots.mjs [OUT_DIR]   (default: media/screenshots)
// Writes report-<scenario>-<theme>.png and quickfix-<scenario>-<theme>.png. Needs root (the lab).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const harness = require(join(root, 'out/test/vscode/codeServerHarness.js'));
const { LAB_SCENARIOS } = require(join(root, 'out/test/vscode/labScenarios.js'));
const { captureScenario } = require(join(root, 'out/test/vscode/labScreenshots.js'));
const { labGate } = require(join(root, 'out/test/lab/labEnv.js'));

const outDir = resolve(process.argv[2] ?? join(root, 'media/screenshots'));
const vsix = join(root, 'nat-doctor.vsix');
const THEMES = ['dark', 'light'];

const ready = harness.ensureCodeServer();
if ('skip' in ready) {
  console.error(ready.skip);
  process.exit(1);
}
if (!existsSync(vsix)) {
  console.error(`${vsix} is missing: run npm run package first (or npm run screenshots)`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
for (const scenario of LAB_SCENARIOS) {
  labGate(scenario.binaries).assertReady();
  const work = mkdtempSync(join(tmpdir(), `nat-doctor-readme-${scenario.name}-`));
  try {
    const capture = await captureScenario(scenario, {
      entry: ready.entry, vsix, outDir: work, themes: THEMES, quickFixThemes: THEMES, log: (line) => console.error(line),
    });
    // The README shows the panel and the quick fix in one picture each; the single steps and the
    // first-screen check stay with the test.
    const pictures = [...capture.themes.map((t) => t.screenshot), ...capture.quickFixes.map((q) => q.stepwise)];
    for (const picture of pictures) {
      const target = join(outDir, basename(picture));
      copyFileSync(picture, target);
      console.log(target);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
