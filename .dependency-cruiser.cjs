/**
 * Module boundaries that must hold (STYLE.md): domain code is pure, subgraphs never reach into
 * each other's code, and shared packages never depend on a subgraph or the gateway.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ takes no I/O: no adapters, no Prisma, Redis, Kafka, HTTP or GraphQL server code',
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/src/domain/' },
      to: {
        path: [
          '^subgraphs/[^/]+/src/(adapters|application)/',
          '^subgraphs/[^/]+/generated/',
          'node_modules/(@prisma|prisma|ioredis|redlock|kafkajs|mongodb|pg|express|@apollo)/',
        ],
      },
    },
    {
      name: 'application-knows-ports-not-adapters',
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/src/application/' },
      to: { path: '^subgraphs/[^/]+/src/adapters/' },
    },
    {
      name: 'no-cross-subgraph-imports',
      comment: 'subgraphs meet in the supergraph and on Kafka, never in code',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: '^subgraphs/([^/]+)/', pathNot: '^subgraphs/$1/' },
    },
    {
      name: 'packages-stay-generic',
      severity: 'error',
      from: { path: '^packages/(platform|contracts)/' },
      to: { path: '^(subgraphs|gateway)/' },
    },
    {
      name: 'gateway-has-no-domain',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^subgraphs/[^/]+/src/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    // Generated code is not cruised itself, but edges into it still count (domain → Prisma is caught).
    doNotFollow: { path: ['node_modules', '(^|/)generated/'] },
    // dist/: the services' compiled output (scripts/build.ts); its .ts sources are what is checked.
    exclude: { path: '(^|/)(\\.local|\\.run|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
  },
};
