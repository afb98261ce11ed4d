import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Sized for a loaded 2-core machine, where one CLI process (tsx + TensorFlow start-up) takes
    // 10-15 s instead of 2-3 s: a timeout is a hang detector, never a speed assertion (speed is
    // measured in bench/). Tests that run several CLI processes set their own, longer timeout.
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // Two test files at a time even on 2 cores (vitest's default there is 1): most of the suite's
    // CPU time is single-threaded CLI start-up (~3 s of tsx + TensorFlow per process, ~90
    // processes), so the second core would otherwise idle. `--maxWorkers=1` runs them one by one.
    maxWorkers: 2,
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    env: { TF_CPP_MIN_LOG_LEVEL: '2' },
  },
});
