// Bundles the CLI, the extension and the engine and lint bundles it loads on demand for Node
// (CommonJS), and the report webview for the browser. `--watch` rebuilds on change; `--production`
// minifies.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints esbuild errors in the form VS Code's $esbuild-watch problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
  define: { __NAT_DOCTOR_VERSION__: JSON.stringify(version) },
};

const builds = [
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    define: {
      ...common.define,
      // Telemetry stays off unless a release build is given a connection string (src/vscode/telemetry.ts).
      __NAT_DOCTOR_TELEMETRY_CONNECTION_STRING__: JSON.stringify(process.env.NAT_DOCTOR_TELEMETRY_CONNECTION_STRING ?? ''),
    },
  },
  {
    // The engine apart from the extension: loaded on the first diagnosis, not at activation.
    ...common,
    entryPoints: ['src/vscode/engineBundle.ts'],
    outfile: 'dist/engine.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    // The lint engine apart from the extension: loaded when the first VPN config opens.
    ...common,
    entryPoints: ['src/vscode/configLanguages/lintBundle.ts'],
    outfile: 'dist/lint.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}
