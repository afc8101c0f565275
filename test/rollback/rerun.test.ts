/**
 * Rollback across attempts, with the real executor: a retried step is undone
 * to where it was before its first attempt; a rolled-back run says so, and a
 * resume runs its undone steps anew, which the next rollback undoes again; a
 * rollback waits for nobody and refuses a run that is being run.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runPlan} from '../../src/execute/executor.js'
import {loadState} from '../../src/execute/state.js'
import {runPaths} from '../../src/execute/paths.js'
import {acquireLock} from '../../src/execute/lock.js'
import {RunbookError} from '../../src/errors.js'
import {createRollbackHooks, defaultScriptsOf, planRollback, runRollback} from '../../src/execute/rollback/index.js'
import {answers, makePlan, recorder, tempDir} from '../execute/helpers.js'

const read = (file: string) => readFileSync(file, 'utf8')

function setup() {
  const root = tempDir('rb-rerun-state-')
  const base = tempDir('rb-rerun-machine-')
  const conf = join(base, 'app.conf')
  writeFileSync(conf, 'original\n')
  // Step 2 appends a line each attempt, and fails until `ready` exists.
  const plan = makePlan([
    {id: 'write', script: `echo one > ${base}/one`},
    {id: 'append', script: `echo "attempt" >> ${conf}\ntest -f ${base}/ready`},
  ])
  const run = (runId?: string) =>
    runPlan({
      plan, values: {}, stateRoot: root, ...(runId ? {runId} : {}), reporter: recorder().reporter, interaction: answers(),
      resumeCommand: (id) => `runbook resume ${id}`, hooks: createRollbackHooks({scriptsOf: defaultScriptsOf, cwd: base}),
    })
  return {root, base, conf, run}
}

describe('rollback across attempts', () => {
  it('undoes every attempt of a step run again, back to before the first', async () => {
    const {base, conf, run} = setup()
    const first = await run()
    expect(first.exitCode).toBe(1)
    writeFileSync(join(base, 'ready'), '')
    const again = await run(first.runId)
    expect(again.exitCode).toBe(0)
    expect(read(conf)).toBe('original\nattempt\nattempt\n')
    expect(await runRollback(await planRollback(first.runDir), {yes: true})).toEqual({exitCode: 0, status: 'done'})
    expect(read(conf)).toBe('original\n')
  })

  it('marks the run rolled back, resumes it from its first undone step, and undoes the new attempt too', async () => {
    const {root, base, conf, run} = setup()
    writeFileSync(join(base, 'ready'), '')
    const first = await run()
    expect(first.exitCode).toBe(0)
    await runRollback(await planRollback(first.runDir), {yes: true})
    const state = loadState(runPaths(root, first.runId).state)
    expect([state.status, state.steps.map((s) => `${s.status}/${s.attempts}`)]).toEqual(['rolled-back', ['pending/1', 'pending/1']])
    expect(read(conf)).toBe('original\n')

    const resumed = await run(first.runId)
    expect(resumed.exitCode).toBe(0)
    expect(loadState(runPaths(root, first.runId).state).steps.map((s) => `${s.status}/${s.attempts}`)).toEqual(['done/2', 'done/2'])
    expect(read(conf)).toBe('original\nattempt\n')
    const plan = await planRollback(first.runDir)
    expect(plan.steps.map((s) => s.stepId)).toEqual(['append', 'write'])
    await runRollback(plan, {yes: true})
    expect(read(conf)).toBe('original\n')
  })

  it('refuses to roll back a run that a runner holds', async () => {
    const {root, base, run} = setup()
    writeFileSync(join(base, 'ready'), '')
    const first = await run()
    const lock = acquireLock(runPaths(root, first.runId).lock, first.runId)
    try {
      const plan = await planRollback(first.runDir)
      const error = await runRollback(plan, {yes: true}).then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(RunbookError)
      expect((error as Error).message).toMatch(new RegExp(`^Run ${first.runId} is already being run by process ${process.pid} on `))
      expect(read(join(base, 'one'))).toBe('one\n')
    } finally {
      lock.release()
    }
  })
})
