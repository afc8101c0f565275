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
  // Where sudo is installed, the run sees a PATH with only what it needs (bash, and flock for the run's lock), as a container without sudo would.
  const path = process.env.PATH
  beforeAll(() => {
    if (!hasCommand('sudo')) return
    const bin = tempDir('rb-sudo-bin-')
    for (const program of ['bash', 'flock']) {
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
})
