/**
 * At a terminal, a failed step offers Roll back; choosing it undoes what the
 * run changed: files it created are gone, files it changed are as before.
 * Driven in a real terminal (tmux) through the plain reporter.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {cliPath} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'

const hasTmux = spawnSync('tmux', ['-V']).status === 0
const socket = `runbook-rollback-${process.pid}`
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'})

async function waitFor(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (test()) return
    await new Promise((done) => setTimeout(done, 100))
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${tmux('capture-pane', '-p', '-t', 'main').stdout}`)
}

describe.skipIf(!hasTmux)('Roll back from the failure menu', () => {
  it('undoes step 1 after step 2 fails, once confirmed as runbook rollback asks', async () => {
    const work = mkdtempSync(join(tmpdir(), 'runbook-rb-work-'))
    const state = mkdtempSync(join(tmpdir(), 'runbook-rb-state-'))
    writeFileSync(join(work, 'existing.txt'), 'original\n')
    const exitFile = join(work, 'exit-code')
    const page = resolve(repoRoot, 'test/fixtures/runbooks/fail-then-rollback.md')
    const command = `NO_COLOR=1 ${process.execPath} ${cliPath} run ${page} --no-tui --state-dir ${state} --set TEST_DIR=${work}; echo $? > ${exitFile}`
    tmux('new-session', '-d', '-s', 'main', '-x', '120', '-y', '40', command)
    try {
      await waitFor(() => tmux('capture-pane', '-p', '-t', 'main').stdout.includes('roll[b]ack?'), 'the failure prompt')
      expect(readFileSync(join(work, 'existing.txt'), 'utf8')).toBe('original\nchanged\n')
      expect(existsSync(join(work, 'created.txt'))).toBe(true)
      tmux('send-keys', '-t', 'main', 'b', 'Enter')
      // The same plan and question as `runbook rollback`; nothing changes before the answer.
      await waitFor(() => /Roll back 1 step\(s\) of run \S+\? \[y\/N\]/.test(tmux('capture-pane', '-p', '-t', 'main').stdout), 'the confirmation')
      const screen = tmux('capture-pane', '-p', '-t', 'main').stdout
      expect(screen).toContain(`  - remove ${join(work, 'created.txt')} (it did not exist before)`)
      expect(readFileSync(join(work, 'existing.txt'), 'utf8')).toBe('original\nchanged\n')
      expect(existsSync(join(work, 'created.txt'))).toBe(true)
      tmux('send-keys', '-t', 'main', 'y', 'Enter')
      await waitFor(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').endsWith('\n'), 'the run to end')
      expect(readFileSync(exitFile, 'utf8')).toBe('1\n')
      expect(existsSync(join(work, 'created.txt'))).toBe(false)
      expect(readFileSync(join(work, 'existing.txt'), 'utf8')).toBe('original\n')
    } finally {
      tmux('kill-server')
    }
  })

  it('changes nothing when the confirmation is declined', async () => {
    const work = mkdtempSync(join(tmpdir(), 'runbook-rb-work-'))
    const state = mkdtempSync(join(tmpdir(), 'runbook-rb-state-'))
    writeFileSync(join(work, 'existing.txt'), 'original\n')
    const exitFile = join(work, 'exit-code')
    const page = resolve(repoRoot, 'test/fixtures/runbooks/fail-then-rollback.md')
    tmux('new-session', '-d', '-s', 'main', '-x', '120', '-y', '40', `NO_COLOR=1 ${process.execPath} ${cliPath} run ${page} --no-tui --state-dir ${state} --set TEST_DIR=${work}; echo $? > ${exitFile}`)
    try {
      await waitFor(() => tmux('capture-pane', '-p', '-t', 'main').stdout.includes('roll[b]ack?'), 'the failure prompt')
      tmux('send-keys', '-t', 'main', 'b', 'Enter')
      await waitFor(() => tmux('capture-pane', '-p', '-t', 'main').stdout.includes('[y/N]'), 'the confirmation')
      tmux('send-keys', '-t', 'main', 'n', 'Enter')
      await waitFor(() => existsSync(exitFile) && readFileSync(exitFile, 'utf8').endsWith('\n'), 'the run to end')
      expect(readFileSync(exitFile, 'utf8')).toBe('1\n')
      expect(readFileSync(join(work, 'existing.txt'), 'utf8')).toBe('original\nchanged\n')
      expect(existsSync(join(work, 'created.txt'))).toBe(true)
    } finally {
      tmux('kill-server')
    }
  })
})
