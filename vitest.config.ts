import { defineConfig } from 'vitest/config';

// Two projects:
//   unit — fast node tests (tests/unit/**/*.test.ts)
//   e2e  — real Chromium + the production build of the extension (tests/e2e/**/*.e2e.test.ts):
//          one `wxt build` in the global setup (TELEMASK_SKIP_BUILD=1 reuses .output/chrome-mv3),
//          files run one after another, long timeouts.
// `vitest run --project unit` / `--project e2e` picks one. Unit runs first (sequence.groupOrder).
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
