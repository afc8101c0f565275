/**
 * A runner killed with SIGKILL mid-step: its shell and the step's group do not
 * live on, the state holds the step's group, and a resume stops whatever a
 * killed runner left of the step before running it again.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {runPlan} from '../../src/execute/executor.js'
import {loadState} from '../../src/execute/state.js'
import {runPaths} from '../../src/execute/paths.js'
import type {RunEvent} from '../../src/execute/events.js'
import {answers, makePlan, tempDir} from './helpers.js'
import {childRunner, exited, processAlive, removeChildRunner, startRunner, waitForFile, waitForState, waitGone} from './child.js'
import {sessionMembers} from '../helpers/sessions.js'

beforeAll(() => {
  childRunner()
})
const started: number[] = []
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
  removeChildRunner()
})


async function waitSessionGone(sid: number): Promise<void> {
  while (sessionMembers(sid).length > 0) await new Promise((r) => setTimeout(r, 50))
}

function plan(dir: string) {
  // The first attempt leaves its pid and sleeps; once `again` exists the step just finishes.
  return makePlan([{id: 'serve', script: `if [ -e ${dir}/again ]; then echo again; else echo $BASHPID > ${dir}/step.pid; sleep 300; fi`}])
}

describe('a runner killed with SIGKILL', () => {
  it('takes its shell and its running step with it, and the state holds the step group', async () => {
    const root = tempDir('rb-kill9-')
    const child = startRunner({plan: plan(root), stateRoot: root}, root)
    const stepPid = Number(await waitForFile(join(root, 'step.pid'), child))
    started.push(stepPid)
    const state = await waitForState(root, (s) => s.steps[0]?.group !== undefined, child)
    expect(state.steps[0]!.status).toBe('running')
    expect(state.steps[0]!.group!.pgid).toBe(stepPid)
    const sid = state.steps[0]!.group!.sid
    // The step, its sleep and the shell are all in the shell's session.
    expect(sessionMembers(sid).length).toBeGreaterThanOrEqual(3)
    child.kill('SIGKILL')
    await exited(child)
    await waitSessionGone(sid)
    expect(processAlive(stepPid)).toBe(false)
  })

  it('on resume, stops the group the killed run left before running the step again', async () => {
    const root = tempDir('rb-kill9-')
    const p = plan(root)
    const child = startRunner({plan: p, stateRoot: root}, root)
    const stepPid = Number(await waitForFile(join(root, 'step.pid'), child))
    started.push(stepPid)
    const state = await waitForState(root, (s) => s.steps[0]?.group !== undefined, child)
    const {sid} = state.steps[0]!.group!
    // Kill the runner and its shell (with the shell's watcher) at once: only the step's group is left.
    child.kill('SIGKILL')
    process.kill(-sid, 'SIGKILL')
    await exited(child)
    expect(processAlive(stepPid)).toBe(true)
    writeFileSync(join(root, 'again'), '')
    const events: RunEvent[] = []
    const resumed = await runPlan({plan: p, values: {}, stateRoot: root, runId: state.runId, reporter: (e) => events.push(e), interaction: answers(), resumeCommand: (id) => id})
    expect(resumed.exitCode).toBe(0)
    const notices = events.filter((e) => e.type === 'notice').map((e) => (e as {message: string}).message)
    expect(notices.filter((m) => m.startsWith('Step 1 of the killed run'))).toEqual([
      expect.stringMatching(new RegExp(`^Step 1 of the killed run is still running \\(process group ${stepPid}: (\\d+, )*${stepPid}(, \\d+)*\\): stopping it before the step runs again\\.$`)),
    ])
    await waitGone(stepPid)
    expect(processAlive(stepPid)).toBe(false)
    const after = loadState(runPaths(root, state.runId).state)
    expect(after.steps[0]).toMatchObject({status: 'done', attempts: 2})
    expect(after.steps[0]!.group).toBeUndefined()
  })
})
