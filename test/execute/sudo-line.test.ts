/**
 * The failing line of a step is the line that failed, also when it runs
 * under the root `sudo` stand-in (a shell function): never a line around it.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {runPlan} from '../../src/execute/executor.js'
import {hasCommand, isRoot, sudoPrelude} from '../../src/execute/sudo.js'
import {answers, makePlan, recorder, tempDir} from './helpers.js'

if (!isRoot()) console.warn('sudo stand-in tests skipped: the stand-in is used only as root')

describe.skipIf(!isRoot())('a failing line under the sudo stand-in', () => {
  // Where sudo is installed, the run sees a PATH with only what it needs (bash, cat, mkfifo for the output pipes, flock for the run's lock), as a container without sudo would.
  const path = process.env.PATH
  beforeAll(() => {
    if (!hasCommand('sudo')) return
    const bin = tempDir('rb-sudo-bin-')
    for (const program of ['bash', 'cat', 'flock', 'mkfifo']) {
      const dir = (path ?? '').split(':').find((d) => d && hasCommand(program, {PATH: d}))
      if (dir) symlinkSync(join(dir, program), join(bin, program))
    }
    process.env.PATH = bin
    expect(sudoPrelude()).toContain('sudo() {')
  })
  afterAll(() => {
    process.env.PATH = path
  })

  it('is reported as itself, for each way of calling sudo', async () => {
    expect(sudoPrelude()).toContain('sudo() {')
    const forms = ['sudo false', 'sudo -u root false', 'sudo -E -- false', 'sudo bash -c "exit 3"', 'sudo -u nobody true', 'x=1 && sudo false']
    for (const form of forms) {
      const script = `echo one\n# a comment above the line\n${form}\necho never`
      const rec = recorder()
      const r = await runPlan({plan: makePlan([{script}]), values: {}, stateRoot: tempDir('rb-sudo-'), reporter: rec.reporter, interaction: answers(), resumeCommand: (id) => id})
      expect(r.exitCode).toBe(1)
      const end = rec.events.find((e) => e.type === 'step-end') as {error?: string}
      expect({form, error: end.error}).toEqual({form, error: expect.stringMatching(new RegExp(`^Line 3 of the command, \`${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\`, exited with code \\d+\\.`))})
      expect(rec.lines()).not.toContain('never')
    }
  })

  it("bash's own messages name the step's line too, in the run's shell, in a bash of its own and on a terminal", async () => {
    expect(sudoPrelude()).toContain('sudo() {')
    // The stand-in's lines come before the step's in each shell; the step's eval is on the shell script's first line all the same.
    const cases = {
      "the run's shell": 'echo one\nnonexistent-command-xyz',
      'a bash of its own': `echo one\nnonexistent-command-xyz\n# ${'x'.repeat(40 * 1024)}`,
      'a terminal': 'echo one\nmysql_secure_installation',
    }
    for (const [where, script] of Object.entries(cases)) {
      const rec = recorder()
      const r = await runPlan({plan: makePlan([{script}]), values: {}, stateRoot: tempDir('rb-sudo-'), reporter: rec.reporter, interaction: answers(), resumeCommand: (id) => id})
      const command = script.split('\n')[1]
      expect({where, exitCode: r.exitCode, lines: rec.lines()}).toMatchObject({where, exitCode: 1})
      expect({where, said: rec.lines().filter((l) => l.startsWith('runbook: '))}).toEqual({where, said: [`runbook: line 2: ${command}: command not found`, 'runbook: line 2 exited with 127']})
    }
  })
})
