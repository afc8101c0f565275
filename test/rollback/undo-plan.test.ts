/**
 * The undo plan: newest step first, stopping before a step it cannot undo,
 * the page's declared undo taking precedence, `--to`, failed steps.
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {UsageError} from '../../src/errors.js'
import {describeAction, planRollback, runRollback} from '../../src/execute/rollback/index.js'
import {runSteps, writeState} from './helpers/steps.js'

const temp = mkdtempSync(join(tmpdir(), 'rb-plan-'))
afterAll(() => rmSync(temp, {recursive: true, force: true}))

function machine(name: string): string {
  const base = join(temp, name)
  mkdirSync(base)
  for (const f of ['one', 'two', 'three']) writeFileSync(join(base, f), `${f} before\n`)
  return base
}
const read = (base: string, f: string) => (existsSync(join(base, f)) ? readFileSync(join(base, f), 'utf8') : null)

describe('planRollback and runRollback', () => {
  it('names each path once: a new folder holding several written files is one removal that lists them', async () => {
    const base = machine('one-folder')
    const root = join(temp, 'one-folder-state')
    await runSteps(root, 'r0', [
      {id: 'write', title: 'Write', script: `mkdir -p ${base}/nd/sub\necho a > ${base}/nd/a\necho b > ${base}/nd/sub/b\necho c > ${base}/nd/a\necho after > ${base}/one\necho again >> ${base}/one`},
    ], base)
    const plan = await planRollback(join(root, 'runs', 'r0'))
    const described = plan.steps.flatMap((s) => s.actions.map(describeAction))
    expect(described).toEqual([`restore ${base}/one (content, mode and owner)`, `remove ${base}/nd (it did not exist before; the step wrote a, sub, sub/b in it)`])
    expect(await runRollback(plan, {yes: true})).toEqual({exitCode: 0, status: 'done'})
    expect([read(base, 'one'), existsSync(join(base, 'nd'))]).toEqual(['one before\n', false])
  })

  it('stops before a step it cannot undo and lists what to undo by hand', async () => {
    const base = machine('blocked')
    const root = join(temp, 'blocked-state')
    await runSteps(root, 'r1', [
      {id: 'one', title: 'One', script: `echo after > ${base}/one`},
      {id: 'installer', title: 'Run the installer', script: `true | sh`},
      {id: 'three', title: 'Three', script: `echo after > ${base}/three`},
    ], base)
    const plan = await planRollback(join(root, 'runs', 'r1'))
    expect(plan.steps.map((s) => [s.stepId, s.actions.map(describeAction)])).toEqual([['three', [`restore ${base}/three (content, mode and owner)`]]])
    expect(plan.blocked).toEqual({stepId: 'installer', number: 2, title: 'Run the installer', manual: ['runs a script read from standard input with sh (sh)']})
    expect(await runRollback(plan, {yes: true})).toEqual({exitCode: 1, status: 'blocked'})
    expect([read(base, 'one'), read(base, 'three')]).toEqual(['after\n', 'three before\n'])
  })

  it("runs the page's declared undo instead of the inferred one, newest step first", async () => {
    const base = machine('declared')
    const root = join(temp, 'declared-state')
    await runSteps(root, 'r2', [
      {id: 'one', title: 'One', script: `echo after > ${base}/one`},
      {id: 'installer', title: 'Installer', script: `true | sh; echo x > ${base}/made-by-installer`, rollback: [`rm ${base}/made-by-installer`, `echo undone >> ${base}/log`]},
    ], base)
    const plan = await planRollback(join(root, 'runs', 'r2'))
    expect(plan.blocked).toBeUndefined()
    expect(plan.steps.map((s) => [s.stepId, s.declared, s.actions.map(describeAction)])).toEqual([
      ['installer', true, [`run the page's undo script: rm ${base}/made-by-installer`, `run the page's undo script: echo undone >> ${base}/log`]],
      ['one', false, [`restore ${base}/one (content, mode and owner)`]],
    ])
    expect(await runRollback(plan, {yes: true})).toEqual({exitCode: 0, status: 'done'})
    expect([read(base, 'one'), read(base, 'made-by-installer'), read(base, 'log')]).toEqual(['one before\n', null, 'undone\n'])
  })

  it('--to stops after the given step; a later rollback undoes the rest', async () => {
    const base = machine('to')
    const root = join(temp, 'to-state')
    await runSteps(root, 'r3', ['one', 'two', 'three'].map((f) => ({id: f, title: f, script: `echo after > ${base}/${f}`})), base)
    const runDir = join(root, 'runs', 'r3')
    await expect(planRollback(runDir, {to: 'nine'})).rejects.toThrow(UsageError)
    const plan = await planRollback(runDir, {to: '2'})
    expect(plan.steps.map((s) => s.stepId)).toEqual(['three', 'two'])
    await runRollback(plan, {yes: true})
    expect(['one', 'two', 'three'].map((f) => read(base, f))).toEqual(['after\n', 'two before\n', 'three before\n'])
    const rest = await planRollback(runDir)
    expect(rest.steps.map((s) => s.stepId)).toEqual(['one'])
    await runRollback(rest, {yes: true})
    expect(read(base, 'one')).toBe('one before\n')
  })

  it('undoes what a failed step changed before it failed, and skips steps that never ran', async () => {
    const base = machine('failed')
    const root = join(temp, 'failed-state')
    const steps = [
      {id: 'one', title: 'One', script: `echo after > ${base}/one`},
      {id: 'two', title: 'Two', script: `mkdir -p ${base}/new/dir && echo half > ${base}/two && false`},
      {id: 'three', title: 'Three', script: `echo after > ${base}/three`},
    ]
    expect(await runSteps(root, 'r4', steps, base)).toEqual(['done', 'failed'])
    const plan = await planRollback(join(root, 'runs', 'r4'))
    expect(plan.steps.map((s) => [s.stepId, s.status])).toEqual([['two', 'failed'], ['one', 'done']])
    await runRollback(plan, {yes: true})
    expect(['one', 'two', 'three', 'new'].map((f) => read(base, f))).toEqual(['one before\n', 'two before\n', 'three before\n', null])
  })

  it('a dry run changes nothing; without confirmation a real run is refused', async () => {
    const base = machine('dry')
    const root = join(temp, 'dry-state')
    await runSteps(root, 'r5', [{id: 'one', title: 'One', script: `echo after > ${base}/one; touch ${base}/brand-new`}], base)
    const plan = await planRollback(join(root, 'runs', 'r5'))
    expect(plan.steps[0]!.actions.map(describeAction)).toEqual([`remove ${base}/brand-new (it did not exist before)`, `restore ${base}/one (content, mode and owner)`])
    expect(await runRollback(plan, {dryRun: true})).toEqual({exitCode: 0, status: 'dry-run'})
    await expect(runRollback(plan, {})).rejects.toThrow('not confirmed; pass --yes')
    expect([read(base, 'one'), existsSync(join(root, 'runs', 'r5', 'rollback.json'))]).toEqual(['after\n', false])
  })

  it('reads runs without state.json from their journal, and state.json without journals as nothing to do', async () => {
    const base = machine('nostate')
    const root = join(temp, 'nostate-state')
    await runSteps(root, 'r6', [{id: 'one', title: 'One', script: `echo after > ${base}/one`}], base)
    rmSync(join(root, 'runs', 'r6', 'state.json'))
    expect((await planRollback(join(root, 'runs', 'r6'))).steps.map((s) => s.stepId)).toEqual(['one'])
    const empty = join(root, 'runs', 'r7')
    mkdirSync(empty, {recursive: true})
    writeState(empty, 'r7', [{id: 'x', title: 'X', script: ''}], ['done'])
    expect((await planRollback(empty)).steps).toEqual([])
  })
})
