/**
 * The runs in a state folder: listing them, finding the one to resume, and
 * reading a run's step logs.
 */
import {existsSync, readdirSync} from 'node:fs'
import {resolve} from 'node:path'
import {loadState, type RunState, type StepState} from './state.js'
import {isValidRunId, runPaths, runsDir} from './paths.js'

export interface RunSummary {
  id: string
  state?: RunState
  /** Why the state could not be read. */
  error?: string
}

/** Every run folder, oldest first (ids sort by time). */
export function listRuns(root: string): RunSummary[] {
  const dir = runsDir(root)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((id) => isValidRunId(id) && existsSync(runPaths(root, id).state))
    .sort()
    .map((id) => {
      try {
        return {id, state: loadState(runPaths(root, id).state)}
      } catch (error) {
        return {id, error: (error as Error).message}
      }
    })
}

/** The step a run is at: the first that is not done or skipped. */
export function currentStep(state: RunState): StepState | undefined {
  return state.steps.find((s) => s.status !== 'done' && s.status !== 'skipped')
}

/** Whether `state` was a run of `target` (as typed, or the same file). */
export function isRunOf(state: RunState, target: string, file?: string): boolean {
  if (state.target === target) return true
  if (file && state.runbook.file === file) return true
  return state.runbook.file === resolve(target)
}

/** The latest run of `target` that did not finish. */
export function latestUnfinished(root: string, target: string, file?: string): RunState | undefined {
  const runs = listRuns(root).filter((r): r is RunSummary & {state: RunState} => r.state !== undefined)
  return runs.reverse().find((r) => r.state.status !== 'done' && isRunOf(r.state, target, file))?.state
}
