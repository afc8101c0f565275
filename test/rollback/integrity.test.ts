/**
 * Rollback integrity: writes through symlinks and hard links are restored
 * where they landed; rollback says "complete" only for what it checked; and
 * it stops, listing them, before overwriting or deleting what changed after
 * the run (unless --force).
 */
import {existsSync, linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {planRollback, runRollback, type RollbackEvent} from '../../src/execute/rollback/index.js'
import {RunbookError} from '../../src/errors.js'
import {runSteps} from './helpers/steps.js'
import {tempDir} from '../execute/helpers.js'

const temp = tempDir('rb-integrity-')
afterAll(() => rmSync(temp, {recursive: true, force: true}))
let n = 0
function machine(): {base: string; root: string; id: string} {
  n++
  const base = join(temp, `m${n}`)
  mkdirSync(base)
  return {base, root: join(temp, `state${n}`), id: `r${n}`}
}
const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null)

async function rollBack(root: string, id: string, force = false) {
  const events: RollbackEvent[] = []
  const plan = await planRollback(join(root, 'runs', id))
  const result = await runRollback(plan, {yes: true, force, reporter: (e) => events.push(e)})
  return {result, events}
}

describe('writes through links', () => {
  it('restores the target of a symlink written through, for a file link and for a path under a linked folder', async () => {
    const {base, root, id} = machine()
    mkdirSync(join(base, 'real-dir'))
    writeFileSync(join(base, 'target.conf'), 'original\n')
    writeFileSync(join(base, 'real-dir', 'inner.conf'), 'inner original\n')
    symlinkSync(join(base, 'target.conf'), join(base, 'link'))
    symlinkSync(join(base, 'real-dir'), join(base, 'dir-link'))
    await runSteps(root, id, [{id: 'write', title: 'Write', script: `echo X > ${base}/link\necho Y >> ${base}/dir-link/inner.conf\necho Z > ${base}/dir-link/new.conf`}], base)
    expect([read(join(base, 'target.conf')), read(join(base, 'real-dir', 'inner.conf'))]).toEqual(['X\n', 'inner original\nY\n'])
    const {result} = await rollBack(root, id)
    expect(result).toEqual({exitCode: 0, status: 'done'})
    expect([read(join(base, 'target.conf')), read(join(base, 'real-dir', 'inner.conf')), existsSync(join(base, 'real-dir', 'new.conf'))]).toEqual(['original\n', 'inner original\n', false])
  })

  it('restores a hard-linked file in place, so every name of it has the old content', async () => {
    const {base, root, id} = machine()
    writeFileSync(join(base, 'a.conf'), 'original\n')
    linkSync(join(base, 'a.conf'), join(base, 'b.conf'))
    await runSteps(root, id, [{id: 'write', title: 'Write', script: `echo changed > ${base}/a.conf`}], base)
    expect(read(join(base, 'b.conf'))).toBe('changed\n')
    expect((await rollBack(root, id)).result).toEqual({exitCode: 0, status: 'done'})
    expect([read(join(base, 'a.conf')), read(join(base, 'b.conf'))]).toEqual(['original\n', 'original\n'])
  })
})

describe('changes made after the run', () => {
  it('stops before deleting a file written since into a folder the run created, and before overwriting an edited file', async () => {
    const {base, root, id} = machine()
    writeFileSync(join(base, 'app.conf'), 'original\n')
    await runSteps(root, id, [
      {id: 'data', title: 'Data folder', script: `mkdir -p ${base}/srv/data`},
      {id: 'conf', title: 'Config', script: `echo port=1 >> ${base}/app.conf`},
    ], base)
    // Later, someone uses the machine.
    writeFileSync(join(base, 'srv', 'data', 'db'), 'precious\n')
    writeFileSync(join(base, 'app.conf'), 'original\nport=1\nadmin-edit=yes\n')
    const plan = await planRollback(join(root, 'runs', id))
    const error = await runRollback(plan, {yes: true}).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(RunbookError)
    expect((error as RunbookError).exitCode).toBe(1)
    expect((error as Error).message).toBe(
      `Rollback of run ${id} stopped before step 2 (conf): a path it changed was changed again after the run, and undoing the step would overwrite or delete that: ${base}/app.conf (content or metadata changed). Nothing of this step was undone. Check it; to roll back anyway, run 'runbook rollback ${id} --force'.`,
    )
    expect(read(join(base, 'app.conf'))).toBe('original\nport=1\nadmin-edit=yes\n')
    expect(read(join(base, 'srv', 'data', 'db'))).toBe('precious\n')
  })

  it('with --force, undoes them anyway', async () => {
    const {base, root, id} = machine()
    await runSteps(root, id, [{id: 'data', title: 'Data folder', script: `mkdir -p ${base}/srv/data`}], base)
    writeFileSync(join(base, 'srv', 'data', 'db'), 'precious\n')
    const refused = await runRollback(await planRollback(join(root, 'runs', id)), {yes: true}).then(() => undefined, (e: unknown) => e)
    expect((refused as Error).message).toBe(
      `Rollback of run ${id} stopped before step 1 (data): a path it changed was changed again after the run, and undoing the step would overwrite or delete that: ${base}/srv/data/db (new since the run). Nothing of this step was undone. Check it; to roll back anyway, run 'runbook rollback ${id} --force'.`,
    )
    expect(read(join(base, 'srv', 'data', 'db'))).toBe('precious\n')
    expect((await rollBack(root, id, true)).result).toEqual({exitCode: 0, status: 'done'})
    expect(existsSync(join(base, 'srv'))).toBe(false)
  })
})
