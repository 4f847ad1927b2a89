// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The engine is shared by the CLI and the extension: it must run without VS Code.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core is pure Node: drive it from src/vscode instead.' }],
        patterns: [{ group: ['**/vscode/**', '../vscode', '../../vscode'], message: 'src/core must not depend on the VS Code adapters.' }],
      }],
    },
  },
  {
    // The faces (CLI, VS Code adapters) reach the engine through its one public module,
    // src/core/index.ts, so the core can be reorganised without touching them.
    files: ['src/cli.ts', 'src/cli/**/*.ts', 'src/extension.ts', 'src/vscode/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/core/*', '**/core/**'], message: 'Import the engine from src/core (its index.ts), not from a module inside it.' }],
      }],
    },
  },
  {
    // Test doubles answer the product with encoders of their own, so that a codec bug in the product
    // cannot be cancelled out by the same bug in the double; only the product's types may be shared.
    files: ['test/lab/stunWire.ts', 'test/unit/probes/fakeResponders.ts', 'test/unit/probes/openvpnWire.ts', 'test/unit/probes/wireguardResponder.ts', 'test/unit/stun/rfc5769.ts', 'test/lab/peers/pairAttacker.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ group: ['**/src/**'], allowTypeImports: true, message: 'A test double must not build its answers with product code: write the encoder from the spec.' }],
      }],
    },
  },
  {
    // The report webview is a browser bundle that renders what the host sends: it may import the
    // message types (src/protocol.ts) and the section explanations it shows
    // (src/sectionExplanations.ts), nothing else of src/ — no adapter, no engine internal, no Node
    // module.
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview runs in a browser frame: talk to the host through src/protocol.ts.' }],
        patterns: [
          { group: ['node:*'], message: 'The webview is a browser bundle: no Node modules.' },
          {
            group: ['**/src/**', '!../src/protocol', '!../src/sectionExplanations'],
            message: 'The webview imports only src/protocol.ts and src/sectionExplanations.ts: the host sends it the rows to render.',
          },
        ],
      }],
    },
  },
  {
    // Bundled into the webview as well as the host: keep them free of imports, so nothing from
    // Node or the engine can reach the browser bundle through them.
    files: ['src/protocol.ts', 'src/sectionExplanations.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['*'], message: 'Imported by the browser webview: this module must not import anything.' }],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);
