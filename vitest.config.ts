import { defineConfig } from 'vitest/config';

// Four projects, one per placement (STYLE.md): unit tests beside the code, integration tests against the
// real embedded ClickHouse (*.int.test.ts), browser tests in test/e2e, and the fault suite in test/faults
// (docs/faults.md). The engine binds one data folder per process, so integration, e2e and fault files each run
// in their own forked process.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'collectors/**/*.test.ts', 'dashboards/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}', 'deploy/**/*.test.ts', 'test/bench/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
          // A few unit tests do real work (the simulator's planner, scrypt hashes): room for a shared, busy machine.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['server/**/*.int.test.ts', 'collectors/**/*.int.test.ts', 'test/integration/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          // Kills, outages, overload and fuzzing, bounded for CI (FLOWLENS_FAULTS_SCALE=10 for a longer run).
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
