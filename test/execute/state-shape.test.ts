/**
 * A state.json of the wrong shape is that run's problem: reported with its
 * path and field, skipped by `runbook runs` and `--resume`, never a TypeError.
 */
import {describe, expect, it} from 'vitest'
import {cpSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {runPlan} from '../../src/execute/executor.js'
import {loadState} from '../../src/execute/state.js'
import {stateShapeProblem} from '../../src/execute/state-shape.js'
import {runPaths} from '../../src/execute/paths.js'
import {runCli} from '../helpers/cli.js'
import {answers, makePlan, tempDir} from './helpers.js'

const breakages: Array<[string, (s: any) => void, string]> = [
  ['a null step', (s) => (s.steps = [null]), 'steps[0]: expected an object'],
  ['a null platform', (s) => (s.platform = null), 'platform: missing or of the wrong type'],
  ['steps not a list', (s) => (s.steps = {}), 'steps: missing or of the wrong type'],
  ['a step without a status', (s) => delete s.steps[0].status, 'steps[0].status: missing or of the wrong type'],
  ['an unknown step status', (s) => (s.steps[0].status = 'exploded'), 'steps[0].status: missing or of the wrong type'],
  ['a run status of the wrong type', (s) => (s.status = 3), 'status: missing or of the wrong type'],
  ['a string attempt count', (s) => (s.steps[0].attempts = '1'), 'steps[0].attempts: missing or of the wrong type'],
  ['a null runbook', (s) => (s.runbook = null), 'runbook: missing or of the wrong type'],
  ['a parameter without a value', (s) => (s.parameters = [{name: 'X', secret: false}]), 'parameters[0].value: missing or of the wrong type'],
  ['a choice that is not text', (s) => (s.choices = {os: 1}), 'choices: missing or of the wrong type'],
]

describe('state.json by shape', () => {
  it('names the field of each kind of damage; runs lists the others and marks the bad one', async () => {
    const root = tempDir('rb-shape-')
    const plan = makePlan([{script: 'true'}, {script: 'false'}])
    const good = await runPlan({plan, values: {}, stateRoot: root, reporter: () => {}, interaction: answers(), resumeCommand: (id) => id})
    const goodState = JSON.parse(readFileSync(runPaths(root, good.runId).state, 'utf8'))
    expect(stateShapeProblem(goodState)).toBeUndefined()
    const ids: string[] = []
    breakages.forEach(([, breakIt, problem], i) => {
      const id = good.runId.replace(/-[0-9a-f]{4}$/, `-${(0xa000 + i).toString(16)}`)
      ids.push(id)
      cpSync(runPaths(root, good.runId).dir, runPaths(root, id).dir, {recursive: true})
      const state = structuredClone(goodState)
      state.runId = id
      breakIt(state)
      writeFileSync(runPaths(root, id).state, JSON.stringify(state))
      const file = runPaths(root, id).state
      expect(() => loadState(file)).toThrow(`The run state ${file} is not a runbook state of version 1 (${problem}). It was left as it is; start a new run, or delete that run folder.`)
    })
    const listed = runCli(['runs', '--state-dir', root])
    expect(listed.stderr).toBe('')
    expect(listed.code).toBe(0)
    const lines = listed.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(1 + 1 + breakages.length)
    expect(lines.find((l) => l.startsWith(good.runId))).toMatch(/ failed +2\/2 /)
    for (const [i, id] of ids.entries()) {
      const line = lines.find((l) => l.startsWith(id))!
      expect(line).toMatch(new RegExp(`^${id} +\\? +\\? +unreadable +The run state .*state\\.json is not a runbook state of version 1 \\(${breakages[i]![2].replace(/[[\]().]/g, '\\$&')}\\)$`))
    }
    const resume = runCli(['resume', ids[0]!, '--state-dir', root])
    expect(resume.code).toBe(2)
    expect(resume.stderr).toContain('(steps[0]: expected an object)')
    expect(resume.stderr).not.toMatch(/TypeError|    at /)
  })
})
