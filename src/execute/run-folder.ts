/**
 * Opening a run: a new folder with its first checkpoint, or an existing one to
 * resume, locked either way. A resumed run refuses a runbook whose done steps
 * changed since, unless forced.
 */
import {existsSync, mkdirSync, readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import type {Plan} from '../resolve/types.js'
import {RunbookError, UsageError} from '../errors.js'
import {acquireLock, type Lock} from './lock.js'
import {isValidRunId, newRunId, runPaths, type RunPaths} from './paths.js'
import {initialState, loadState, parameterStates, saveState, type RunState, type StepState} from './state.js'

export interface OpenRun {
  paths: RunPaths
  state: RunState
  lock: Lock
  resumed: boolean
  /** On resume: steps that ran (or started) and whose text is different now, as they were recorded. */
  changed: StepState[]
}

export interface OpenOptions {
  plan: Plan
  stateRoot: string
  runId?: string
  values: Record<string, string>
  secretNames: Set<string>
  force?: boolean
  target?: string
}

function makeDirs(paths: RunPaths): void {
  // Logs may hold sensitive output even with secrets masked: keep the run private.
  for (const dir of [paths.dir, paths.logs, paths.work, paths.journal]) mkdirSync(dir, {recursive: true, mode: 0o700})
}

export function openRun(opts: OpenOptions): OpenRun {
  if (opts.runId === undefined) {
    const runId = newRunId(opts.plan.runbook.file)
    const paths = runPaths(opts.stateRoot, runId)
    makeDirs(paths)
    const lock = acquireLock(paths.lock, runId)
    const state = initialState({runId, plan: opts.plan, target: opts.target, values: opts.values, secretNames: opts.secretNames})
    saveState(paths.state, state)
    return {paths, state, lock, resumed: false, changed: []}
  }
  const runId = opts.runId
  if (!isValidRunId(runId)) throw new UsageError(`'${runId}' is not a run id. 'runbook runs' lists them.`)
  const paths = runPaths(opts.stateRoot, runId)
  if (!existsSync(paths.state)) {
    throw new UsageError(`No run ${runId} in ${opts.stateRoot}. 'runbook runs' lists the runs there (pass --state-dir if the run used another one).`)
  }
  const lock = acquireLock(paths.lock, runId)
  try {
    const state = loadState(paths.state)
    removeTempFiles(paths.dir)
    const changed = checkUnchanged(state, opts.plan, opts.force ?? false, paths.state)
    makeDirs(paths)
    state.steps = mergeSteps(state.steps, opts.plan)
    state.runbook = {...opts.plan.runbook}
    state.parameters = parameterStates(opts.plan, opts.values, opts.secretNames)
    state.status = 'running'
    saveState(paths.state, state)
    return {paths, state, lock, resumed: true, changed}
  } catch (error) {
    lock.release()
    throw error
  }
}

/** Half-written checkpoints of a runner killed mid-write (the lock is ours: nobody else writes here now). */
function removeTempFiles(dir: string): void {
  for (const name of readdirSync(dir)) if (/^\.state\.json\..+\.tmp$/.test(name)) rmSync(join(dir, name), {force: true})
}

/** The steps that ran and changed since; a changed done step stops the resume unless forced. */
function checkUnchanged(state: RunState, plan: Plan, force: boolean, file: string): StepState[] {
  if (state.runbook.hash === plan.runbook.hash) return []
  const byId = new Map(plan.steps.map((s) => [s.id, s]))
  const ran = state.steps.filter((s) => s.status !== 'pending' && byId.has(s.id) && byId.get(s.id)!.hash !== s.hash).map((s) => ({...s}))
  const changed = ran.filter((s) => s.status === 'done')
  if (changed.length === 0 || force) return ran
  const list = changed.map((s) => `${s.number} (${s.title})`).join(', ')
  throw new RunbookError(
    `The runbook ${plan.runbook.file} changed since run ${state.runId} started: done step${changed.length > 1 ? 's' : ''} ${list} ${changed.length > 1 ? 'are' : 'is'} different now (state: ${file}). Start a new run, or pass --force to continue anyway without re-running ${changed.length > 1 ? 'them' : 'it'}.`,
    2,
  )
}

/** The plan's steps in the plan's order, carrying over what the earlier attempt recorded. */
function mergeSteps(previous: StepState[], plan: Plan): StepState[] {
  const byId = new Map(previous.map((s) => [s.id, s]))
  return plan.steps.map((step) => {
    const old = byId.get(step.id)
    const base: StepState = old ? {...old} : {id: step.id, number: step.number, title: step.title, hash: step.hash, status: 'pending', attempts: 0}
    base.number = step.number
    base.title = step.title
    // Checked (or forced) by now: from here on the run follows the current page.
    base.hash = step.hash
    return base
  })
}
