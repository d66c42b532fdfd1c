import js from '@eslint/js';
import globals from 'globals';
import path from 'node:path';
import tseslint from 'typescript-eslint';

/**
 * Guard rails from STYLE.md, enforced here rather than in prose: small files, named exports only,
 * `import type` for types, no `any`, file names by kind (PascalCase.tsx components, camelCase.ts modules),
 * and nothing but the config module reads process.env.
 */
const fileNames = {
  meta: { type: 'suggestion', schema: [] },
  create(context) {
    return {
      Program(node) {
        const base = path.basename(context.filename);
        const stem = base.replace(/(\.(test|int\.test|config|d))?\.(ts|tsx|js)$/, '');
        const ok = base.endsWith('.tsx')
          ? /^[A-Z][A-Za-z0-9]*$/.test(stem) || stem === 'main'
          : /^[a-z][A-Za-z0-9]*$/.test(stem) || /^\d{4}_[a-z0-9_]+$/.test(stem);
        if (!ok) context.report({ node, message: `file name "${base}": components are PascalCase.tsx, modules camelCase.ts, migrations NNNN_name.ts` });
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'web/dist/**', 'data/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { flowlens: { rules: { 'file-names': fileNames } } },
    rules: {
      'flowlens/file-names': 'error',
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'no `export *`: export names explicitly' },
        { selector: 'ExportDefaultDeclaration', message: 'named exports only' },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through server/config/config.ts' }],
    },
  },
  {
    // The places allowed to read the environment or to default-export (tool configs).
    files: ['server/config/config.ts', 'test/**/*.ts', '*.config.{ts,js}', 'web/vite.config.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-syntax': 'off' },
  },
);
