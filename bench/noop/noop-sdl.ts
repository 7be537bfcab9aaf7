/** The no-op subgraph's schema: one mutation that returns true. */
export const NOOP_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@shareable"])
  type Mutation { noop: Boolean! }
`;
