/**
 * Running steps the way the executor does, for tests of rollback alone: a
 * state.json in the executor's shape, the rollback hooks around each step,
 * each step's script run with bash. Stops at the first failing step.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {createRollbackHooks} from '../../../src/execute/rollback/index.js'
import type {PlannedStep} from '../../../src/resolve/types.js'

export interface TestStep {
  id: string
  title: string
  script: string
  /** Undo scripts the page declares for the step. */
  rollback?: string[]
}

/** Root in a container has no sudo: the executor puts a function in its place; so do we. */
const SUDO = 'sudo() { while [ "${1#-}" != "$1" ]; do shift; done; "$@"; }; export -f sudo\n'

export function plannedStep(step: TestStep, number: number): PlannedStep {
  return {
    id: step.id, number, title: step.title, source: {file: 'test.md', line: number}, prose: '', host: 'local', hash: `h${number}`, skipped: [],
    actions: [{
      id: `${step.id}/a1`, kind: 'exec', role: 'command', lang: 'bash', script: step.script, template: step.script, variant: [], source: {file: 'test.md', line: number},
      placeholders: [], host: {where: 'local', reason: ''}, sudo: false, interactive: false,
    }],
  }
}

export function writeState(runDir: string, runId: string, steps: TestStep[], statuses: string[]): void {
  const state = {
    version: 1, runId, runbook: {file: 'test.md', title: 'Test', hash: 'h'}, status: 'running',
    steps: steps.map((s, i) => ({id: s.id, number: i + 1, title: s.title, hash: `h${i + 1}`, status: statuses[i] ?? 'pending', attempts: 0})),
  }
  writeFileSync(join(runDir, 'state.json'), JSON.stringify(state, null, 2))
}

/** Runs the steps under `<stateRoot>/runs/<runId>`; returns each step's status. */
export async function runSteps(stateRoot: string, runId: string, steps: TestStep[], cwd: string): Promise<string[]> {
  const runDir = join(stateRoot, 'runs', runId)
  mkdirSync(join(runDir, 'journal'), {recursive: true})
  const byId = new Map(steps.map((s) => [s.id, s]))
  const hooks = createRollbackHooks({
    scriptsOf: (step) => step.actions.map((a) => a.script),
    rollbackOf: (step) => byId.get(step.id)?.rollback ?? [],
    cwd,
  })
  const statuses: string[] = []
  writeState(runDir, runId, steps, statuses)
  for (const [i, step] of steps.entries()) {
    const planned = plannedStep(step, i + 1)
    const journal = join(runDir, 'journal', step.id)
    mkdirSync(journal, {recursive: true})
    statuses[i] = 'running'
    writeState(runDir, runId, steps, statuses)
    await hooks.beforeStep!(planned, journal)
    const r = await execa('bash', ['-e', '-o', 'pipefail', '-c', SUDO + step.script], {cwd, reject: false, stdin: 'ignore', all: true})
    statuses[i] = r.exitCode === 0 ? 'done' : 'failed'
    writeState(runDir, runId, steps, statuses)
    await hooks.afterStep!(planned, journal, statuses[i] as 'done' | 'failed')
    if (r.exitCode !== 0) break
  }
  return statuses
}
