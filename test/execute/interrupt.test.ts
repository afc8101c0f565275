import {describe, it, expect, beforeAll, afterAll, afterEach} from 'vitest'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {runPlan} from '../../src/execute/executor.js'
import {loadState} from '../../src/execute/state.js'
import {runPaths} from '../../src/execute/paths.js'
import {answers, makePlan, recorder, tempDir} from './helpers.js'
import {removeChildRunner, childRunner, exited, onlyRunId, processAlive, startRunner, waitForFile, waitForState, waitGone} from './child.js'
import {describeSession, sessionMembers} from '../helpers/sessions.js'

beforeAll(() => {
  childRunner()
})
afterAll(removeChildRunner)

const orphans: number[] = []
afterEach(() => {
  for (const pid of orphans.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
})


/** Polls `ok` until it holds; past `ms`, fails with what `why` says (a hang then names what was left, instead of the test's timeout). */
async function within(ms: number, ok: () => boolean, why: () => string): Promise<void> {
  const deadline = Date.now() + ms
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(why())
    await new Promise((r) => setTimeout(r, 20))
  }
}

const counter = (dir: string, name: string) => `echo x >> ${dir}/${name}`
const counted = (dir: string, name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean).length : 0)

function killablePlan(dir: string) {
  return makePlan([
    {id: 'first', script: counter(dir, 's1')},
    {id: 'second', script: `${counter(dir, 's2')}\necho $$ > ${dir}/leader.tmp && mv ${dir}/leader.tmp ${dir}/leader\nif [ ! -f ${dir}/go ]; then sleep 300; fi\necho second-done`},
    {id: 'third', script: counter(dir, 's3')},
  ])
}

describe('kill -9 of the runner, then resume', () => {
  const moments = [
    {name: 'as soon as step 2 is running', wait: async () => undefined},
    {name: 'once step 2 has started its command', wait: async (dir: string, child: ReturnType<typeof startRunner>) => void (await waitForFile(join(dir, 'leader'), child))},
    {name: 'once step 2 wrote its log', wait: async (dir: string, child: ReturnType<typeof startRunner>, root: string) => {
      await waitForFile(join(dir, 'leader'), child)
      const log = join(runPaths(root, onlyRunId(root)!).logs, '02-second.log')
      await within(60_000, () => readFileSync(log, 'utf8').includes('$ '), () => `the step's log never showed its command:\n${readFileSync(log, 'utf8')}`)
    }},
  ]
  for (const moment of moments) {
    it(`re-runs the interrupted step and not the earlier one when killed ${moment.name}`, async () => {
      const root = tempDir('rb-kill-state-')
      const dir = tempDir('rb-kill-work-')
      const plan = killablePlan(dir)
      const child = startRunner({plan, stateRoot: root}, dir)
      const running = await waitForState(root, (s) => s.steps[1]?.status === 'running', child)
      expect(running.steps.map((s) => s.status)).toEqual(['done', 'running', 'pending'])
      await moment.wait(dir, child, root)
      child.kill('SIGKILL')
      expect(await exited(child)).toEqual({code: null, signal: 'SIGKILL'})
      if (existsSync(join(dir, 'leader'))) {
        // `$$` in a step is the run's shell, which leads its session: the runner's death takes the whole session down.
        const sid = Number(readFileSync(join(dir, 'leader'), 'utf8'))
        orphans.push(sid)
        // The shell's watcher stops the step within a second or two of the runner's death; a minute is the bound.
        await within(60_000, () => sessionMembers(sid).length === 0, () => `the run's session ${sid} outlived its runner by a minute:\n${describeSession(sid)}`)
      }
      const runId = onlyRunId(root)!
      // The checkpoint survived the kill intact.
      expect(loadState(runPaths(root, runId).state).steps.map((s) => s.status)).toEqual(['done', 'running', 'pending'])

      const {writeFileSync} = await import('node:fs')
      writeFileSync(join(dir, 'go'), '')
      const rec = recorder()
      const resumed = runPlan({plan, values: {}, stateRoot: root, runId, reporter: rec.reporter, interaction: answers(), resumeCommand: (id) => `runbook resume ${id}`})
      let timer: ReturnType<typeof setTimeout> | undefined
      const stuck = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the resume did not end in two minutes; its events so far:\n${rec.events.map((e) => JSON.stringify(e)).join('\n')}`)), 120_000)
      })
      const result = await Promise.race([resumed, stuck]).finally(() => clearTimeout(timer))
      expect(result.exitCode).toBe(0)
      expect([counted(dir, 's1'), counted(dir, 's3')]).toEqual([1, 1])
      expect(counted(dir, 's2')).toBeGreaterThanOrEqual(1)
      expect(rec.lines()).toEqual(['second-done'])
      expect(rec.events.filter((e) => e.type === 'notice').map((e) => e.type === 'notice' && e.message.replace(/process \d+ on \S+, started \S+,/, 'process P on H, started T,'))).toEqual([
        `Took over a stale lock of run ${runId} (process P on H, started T, is gone).`,
        'Re-running step 2 from its start.',
      ])
      expect(loadState(runPaths(root, runId).state).steps.map((s) => `${s.status}/${s.attempts}`)).toEqual(['done/1', 'done/2', 'done/1'])
    })
  }
})

describe('SIGINT while a step runs', () => {
  it('kills the step process group, records the step interrupted and exits 130', async () => {
    const root = tempDir('rb-int-state-')
    const dir = tempDir('rb-int-work-')
    const plan = makePlan([
      {id: 'long', script: `bash -c 'sleep 300' &\necho $! > ${dir}/grandchild.tmp && mv ${dir}/grandchild.tmp ${dir}/grandchild\nwait`},
      {id: 'never', script: counter(dir, 'never')},
    ])
    const child = startRunner({plan, stateRoot: root}, dir)
    const grandchild = Number(await waitForFile(join(dir, 'grandchild'), child))
    expect(processAlive(grandchild)).toBe(true)
    child.kill('SIGINT')
    expect(await exited(child)).toEqual({code: 130, signal: null})
    await waitGone(grandchild)
    expect(processAlive(grandchild)).toBe(false)
    const state = loadState(runPaths(root, onlyRunId(root)!).state)
    expect(state.status).toBe('interrupted')
    expect(state.steps.map((s) => s.status)).toEqual(['interrupted', 'pending'])
    expect(counted(dir, 'never')).toBe(0)
    expect(existsSync(runPaths(root, state.runId).lock)).toBe(false)
    expect(child.output()).toContain('! Stopping (Ctrl-C again to kill the step at once)…\n')
    expect(child.output()).toContain(`✗ Step 1 interrupted — log: ${runPaths(root, state.runId).logs}/01-long.log\n`)
    expect(child.output()).toContain(`Resume with: runbook resume ${state.runId}\n`)
  })

  it('kills a step that ignores SIGTERM at the second Ctrl-C', async () => {
    const root = tempDir('rb-int2-state-')
    const dir = tempDir('rb-int2-work-')
    const plan = makePlan([{id: 'stubborn', script: `trap '' TERM\nsleep 300 &\necho $! > ${dir}/grandchild.tmp && mv ${dir}/grandchild.tmp ${dir}/grandchild\nwhile :; do wait || true; done`}])
    // Without the second Ctrl-C nothing would kill the step for an hour: the test would time out.
    const child = startRunner({plan, stateRoot: root, killAfterMs: 3_600_000}, dir)
    const grandchild = Number(await waitForFile(join(dir, 'grandchild'), child))
    child.kill('SIGINT')
    while (!child.output().includes('! Stopping (Ctrl-C again to kill the step at once)…\n')) await new Promise((r) => setTimeout(r, 20))
    child.kill('SIGINT')
    expect(await exited(child)).toEqual({code: 130, signal: null})
    await waitGone(grandchild)
    expect(loadState(runPaths(root, onlyRunId(root)!).state).steps[0]!.status).toBe('interrupted')
  })
})
