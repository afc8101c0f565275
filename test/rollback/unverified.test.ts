/**
 * Rollback reports "complete" only for what it checked: here the restore of
 * files is made to do nothing (as a filesystem that drops writes would), and
 * the rollback must say which paths are not restored, and exit 1.
 */
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it, vi} from 'vitest'

vi.mock('../../src/execute/rollback/snapshot-files.js', async (original) => ({
  ...(await original<typeof import('../../src/execute/rollback/snapshot-files.js')>()),
  restoreSnapshot: async () => {},
}))

const {planRollback, runRollback} = await import('../../src/execute/rollback/index.js')
const {runSteps} = await import('./helpers/steps.js')
const {tempDir} = await import('../execute/helpers.js')

const temp = tempDir('rb-unverified-')
afterAll(() => rmSync(temp, {recursive: true, force: true}))

describe('a restore that did not take', () => {
  it('is listed as not verified, the rollback is not complete, exit 1', async () => {
    const base = join(temp, 'm')
    mkdirSync(base)
    writeFileSync(join(base, 'edited.conf'), 'original\n')
    await runSteps(join(temp, 'state'), 'r1', [{id: 'write', title: 'Write', script: `echo changed > ${base}/edited.conf\necho new > ${base}/created.conf`}], base)
    const events: Array<{type: string}> = []
    const result = await runRollback(await planRollback(join(temp, 'state', 'runs', 'r1')), {yes: true, reporter: (e) => events.push(e)})
    expect(result).toEqual({exitCode: 1, status: 'unverified'})
    expect(events.find((e) => e.type === 'unverified')).toEqual({type: 'unverified', paths: [join(base, 'created.conf'), join(base, 'edited.conf')]})
    expect(events.at(-1)).toEqual({type: 'end', status: 'unverified'})
    expect(events.filter((e) => e.type === 'action').map((e) => (e as unknown as {state: string}).state)).toEqual(['start', 'unverified', 'start', 'unverified'])
    expect([readFileSync(join(base, 'edited.conf'), 'utf8'), existsSync(join(base, 'created.conf'))]).toEqual(['changed\n', true])
  })
})
