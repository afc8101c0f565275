import {defineConfig} from 'vitest/config'

/**
 * Files that change this machine itself (install and remove Tarantool with
 * apt, its user and its service): they run one at a time, after the rest.
 */
const MACHINE = ['test/rollback/tarantool-e2e.test.ts', 'test/export/tarantool-ansible.test.ts']

export default defineConfig({
  test: {
    // Real processes, corpora and package installs on a 2-core machine: a slow run is not a failure; a hang still is, after 5 minutes.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Real processes and real terminals: each file in its own process.
    pool: 'forks',
    // Each file's temp folders under one TMPDIR, removed after it (test/helpers/temp-root.ts).
    setupFiles: ['test/helpers/temp-root.ts'],
    globalSetup: ['test/helpers/temp-parent.ts'],
    reporters: ['default', './test/helpers/closing-line.ts'],
    projects: [
      {
        extends: true,
        // Two files at a time: most of a file's time is spent waiting on the programs it drives
        // (Ansible, sshd, tmux, shells), so two overlap well even on two cores.
        test: {name: 'suite', include: ['test/**/*.test.{ts,tsx}'], exclude: MACHINE, maxWorkers: 2, sequence: {groupOrder: 0}},
      },
      {extends: true, test: {name: 'machine', include: MACHINE, maxWorkers: 1, sequence: {groupOrder: 1}}},
    ],
  },
})
