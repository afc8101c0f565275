import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Real processes, corpora and package installs on a 2-core machine: a slow run is not a failure; a hang still is, after 5 minutes.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Real processes and real terminals: keep files apart, not threads fighting over one pty.
    pool: 'forks',
    // Each file's temp folders under one TMPDIR, removed after it (test/helpers/temp-root.ts).
    setupFiles: ['test/helpers/temp-root.ts'],
    reporters: ['default', './test/helpers/closing-line.ts'],
  },
})
