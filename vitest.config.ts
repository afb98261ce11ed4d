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
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    env: { TF_CPP_MIN_LOG_LEVEL: '2' },
  },
});
