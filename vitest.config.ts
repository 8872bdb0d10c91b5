import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// The server's integration tests run twice: on embedded PGlite, and on a real PostgreSQL
// server named by TEST_DATABASE_URL (.ci/run always sets it).
const serverProject = (db: 'pglite' | 'postgres'): TestProjectInlineConfiguration => ({
  test: {
    name: `server-${db}`,
    include: ['apps/server/test/**/*.test.ts'],
    env: { PASSERELLE_TEST_DB: db },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: [`apps/server/test/support/global-setup-${db}.ts`],
  },
});

const projects: TestProjectInlineConfiguration[] = [
  {
    test: {
      name: 'packages',
      include: ['packages/*/test/**/*.test.ts'],
      testTimeout: 120_000,
    },
  },
  serverProject('pglite'),
];

if (process.env.TEST_DATABASE_URL) {
  projects.push(serverProject('postgres'));
} else {
  console.warn(
    '\n\x1b[41;97m POSTGRESQL RUN NOT RUN \x1b[0m TEST_DATABASE_URL is unset: the server tests ran on PGlite only.\n' +
      '  Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run them on PostgreSQL too.\n',
  );
}

export default defineConfig({ test: { projects } });
