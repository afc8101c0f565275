/**
 * A rollback killed with SIGKILL in the middle, then run again: it continues
 * from its checkpoint (rollback.json) and ends in the same final state.
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {planRollback, runRollback, type RollbackEvent} from '../../src/execute/rollback/index.js'
import type {Checkpoint} from '../../src/execute/rollback/checkpoint.js'
import {listing} from './helpers/listing.js'
import {runSteps} from './helpers/steps.js'
import {cleanTranspiled, transpile} from './helpers/transpile.js'

const temp = mkdtempSync(join(tmpdir(), 'rb-kill-'))
afterAll(() => {
  rmSync(temp, {recursive: true, force: true})
  cleanTranspiled()
})

async function until<T>(check: () => T | undefined): Promise<T> {
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    await new Promise((r) => setTimeout(r, 20))
  }
}

it('resumes a rollback killed with SIGKILL and ends in the state before the run', {timeout: 120_000}, async () => {
  const base = join(temp, 'machine')
  mkdirSync(base)
  writeFileSync(join(base, 'a.txt'), 'a1\n')
  writeFileSync(join(base, 'c.txt'), 'c1\n')
  const release = join(temp, 'release')
  const before = listing(base)
  const root = join(temp, 'state')
  const runDir = join(root, 'runs', 'run-kill')
  const statuses = await runSteps(root, 'run-kill', [
    {id: 's1', title: 'One', script: `echo a2 > ${base}/a.txt`},
    // The page's own undo for s2 waits for the test, so the kill lands while it runs.
    {id: 's2', title: 'Two', script: `echo b > ${base}/b.txt`, rollback: [`while [ ! -e ${release} ]; do sleep 0.05; done\nrm -f ${base}/b.txt`]},
    {id: 's3', title: 'Three', script: `echo c2 > ${base}/c.txt`},
  ], base)
  expect(statuses).toEqual(['done', 'done', 'done'])

  const child = spawn(process.execPath, [transpile('test/rollback/helpers/rollback-child.ts'), runDir], {detached: true, stdio: 'ignore'})
  const exited = new Promise<number | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal === 'SIGKILL' ? 137 : _code)))
  const checkpointFile = join(runDir, 'rollback.json')
  await until(() => {
    if (!existsSync(checkpointFile)) return undefined
    const cp = JSON.parse(readFileSync(checkpointFile, 'utf8')) as Checkpoint
    return cp.done.includes('s3#1') ? cp : undefined
  })
  process.kill(-child.pid!, 'SIGKILL')
  expect(await exited).toBe(137)

  const cut = JSON.parse(readFileSync(checkpointFile, 'utf8')) as Checkpoint
  expect(cut.status).toBe('running')
  expect(cut.done).toEqual(['s3#1'])
  expect(readFileSync(join(base, 'c.txt'), 'utf8')).toBe('c1\n')
  expect(readFileSync(join(base, 'a.txt'), 'utf8')).toBe('a2\n')
  expect(existsSync(join(base, 'b.txt'))).toBe(true)

  writeFileSync(release, '')
  const plan = await planRollback(runDir)
  expect(plan.resumed).toBe(true)
  const events: RollbackEvent[] = []
  expect(await runRollback(plan, {yes: true, reporter: (e) => events.push(e)})).toEqual({exitCode: 0, status: 'done'})
  expect(events.filter((e) => e.type === 'action').map((e) => e.type === 'action' && `${e.action.id} ${e.state}`)).toEqual(['s3#1 already-done', 's2#1 start', 's2#1 done', 's1#1 start', 's1#1 done'])
  expect(listing(base)).toEqual(before)

  // Once done, there is nothing left to undo.
  const again = await planRollback(runDir)
  expect(again.steps).toEqual([])
  expect(await runRollback(again, {yes: true})).toEqual({exitCode: 0, status: 'nothing'})
})
