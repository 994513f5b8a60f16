// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.tools/**',
      '.tmp/**',
      'packed/**',
      'coverage/**',
      'collector/**',
      'dashboards/**',
      'loadtests/**',
      'bench/results/**',
      'packages/generator/src/manifest/schema-validator.generated.ts',
      'packages/generator/test/fixtures/*/expected/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        performance: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        Response: 'readonly',
        Headers: 'readonly',
        Request: 'readonly',
        __ENV: 'readonly',
        document: 'readonly',
        window: 'readonly',
        EventSource: 'readonly',
        navigator: 'readonly',
        localStorage: 'readonly',
        location: 'readonly',
        HTMLElement: 'readonly',
        KeyboardEvent: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: {
      // Public surfaces are explicit lists of named exports (see ../shared/STYLE.md).
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'export names explicitly; `export *` leaks internals into the public API' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // CommonJS fixtures and preloads are CommonJS on purpose.
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
