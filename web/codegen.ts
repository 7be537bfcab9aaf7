import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * The web client's operations, typed by GraphQL Code Generator's client preset against
 * web/schema.graphql (the gateway's API schema, printed by scripts/web-schema.ts). Run from the
 * repository root by `npm run codegen:web`; `npm run codegen:check` fails when either is stale.
 * Documents are strings (documentMode 'string'): the bundle needs no GraphQL parser.
 */
const config: CodegenConfig = {
  overwrite: true,
  schema: 'web/schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', '!web/src/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
