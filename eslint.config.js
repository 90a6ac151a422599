// Lint rules: typescript-eslint's recommended set; type errors are tsc's job (npm run typecheck).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.tap/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  // Layers (README, Architecture): the kernel knows no kind and no server; the Atlas
  // transport knows neither. Import cycles are madge's job (npm run check:cycles).
  {
    files: ['src/kernel/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/kinds/**', '**/server/**', '**/sim/**', '**/demo/**', '**/plan/**'], message: 'the kernel imports no kind, server, simulator or demo' }] }] },
  },
  {
    files: ['src/atlas/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/kernel/**', '**/kinds/**', '**/server/**', '**/sim/**', '**/demo/**', '**/plan/**'], message: 'src/atlas is transport only' }] }] },
  },
  {
    files: ['src/sim/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/kernel/**', '**/kinds/**', '**/server/**', '**/atlas/**', '**/demo/**', '**/plan/**'], message: 'the simulator stands alone, as Atlas does' }] }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
