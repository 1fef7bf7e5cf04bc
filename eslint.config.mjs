import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '*.js',
      '*.mjs',
      'clients/typescript/src/schema.ts',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/common',
              importNames: ['Body', 'Query'],
              message: 'Use Body and Query from common/http/validated-params: they validate against the DTO.',
            },
            {
              name: 'class-validator',
              importNames: ['IsOptional'],
              message: 'Use IsOmittable from common/validation/omittable: IsOptional lets null through.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only repositories and the database platform reach TypeORM's data access; entities keep
    // their column decorators. See README "Layers".
    files: ['src/**/*.ts'],
    ignores: [
      'src/**/*.repository.ts',
      'src/database/**',
      // The job engine's checkpoint hooks receive the repository's transaction (record(tx)).
      'src/jobs/job-definition.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='typeorm'] > ImportSpecifier[imported.name=/^(DataSource|Repository|EntityManager)$/]",
          message:
            'Only *.repository.ts files and src/database may use DataSource, Repository or EntityManager.',
        },
        {
          selector:
            "ImportDeclaration[source.value='@nestjs/typeorm'] > ImportSpecifier[imported.name=/^Inject(Repository|DataSource|EntityManager)$/]",
          message: 'Inject a *.repository.ts instead: only repositories and src/database inject TypeORM.',
        },
        {
          selector: 'ImportDeclaration[source.value=/^(@nestjs\\/)?typeorm$/] > ImportNamespaceSpecifier',
          message: 'Import TypeORM by name, so the data-access rule can see what is used.',
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.ts', 'simulators/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
