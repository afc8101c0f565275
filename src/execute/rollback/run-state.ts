/**
 * Finding a run and reading what the executor recorded of it. state.json
 * belongs to the executor: read defensively, and fall back on the journal
 * directories when it is missing or unreadable.
 */
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'
import {UsageError} from '../../errors.js'
import {paths, readJson, type StepBefore} from './journal.js'
import {loadState, saveState} from '../state.js'
import {append} from '../../arrays.js'

export interface RunStep {
  id: string
  number: number
  title: string
  status: string
}

export interface RunInfo {
  runId: string
  runDir: string
  runbook?: {file?: string; title?: string}
  /** In run order. */
  steps: RunStep[]
}

/** The run directory for an id, or a unique prefix of one. */
export async function findRunDir(root: string, runId: string, command = 'rollback'): Promise<string> {
  const runs = join(root, 'runs')
  let ids: string[]
  try {
    ids = await readdir(runs)
  } catch {
    throw new UsageError(`runbook ${command}: no runs under ${runs}. Pass the --state-dir the run used, or check the run id with 'runbook runs'.`)
  }
  if (ids.includes(runId)) return join(runs, runId)
  const matches = ids.filter((id) => id.startsWith(runId))
  if (matches.length === 1) return join(runs, matches[0]!)
  throw new UsageError(
    matches.length
      ? `runbook ${command}: '${runId}' matches ${matches.length} runs (${matches.slice(0, 5).join(', ')}); give more of the id.`
      : `runbook ${command}: no run '${runId}' under ${runs}. 'runbook runs' lists the runs.`,
  )
}

interface StateFile {
  runId?: unknown
  runbook?: {file?: unknown; title?: unknown}
  steps?: unknown
}

export async function readRun(runDir: string): Promise<RunInfo> {
  const runId = runDir.split('/').filter(Boolean).pop()!
  let state: StateFile | null = null
  try {
    state = await readJson<StateFile>(join(runDir, 'state.json'))
  } catch {
    state = null
  }
  const steps: RunStep[] = []
  if (state && Array.isArray(state.steps)) {
    for (const [i, s] of (state.steps as Array<Record<string, unknown>>).entries()) {
      if (typeof s?.id !== 'string') continue
      steps.push({id: s.id, number: typeof s.number === 'number' ? s.number : i + 1, title: typeof s.title === 'string' ? s.title : s.id, status: typeof s.status === 'string' ? s.status : 'unknown'})
    }
  }
  if (!steps.length) append(steps, (await stepsFromJournal(runDir)))
  const runbook = state?.runbook && typeof state.runbook === 'object' ? {file: String(state.runbook.file ?? ''), title: String(state.runbook.title ?? '')} : undefined
  return {runId: typeof state?.runId === 'string' ? state.runId : runId, runDir, ...(runbook ? {runbook} : {}), steps}
}

/** Without state.json: the steps that left a before-state, in the order they ran. */
async function stepsFromJournal(runDir: string): Promise<RunStep[]> {
  let ids: string[] = []
  try {
    ids = await readdir(join(runDir, 'journal'))
  } catch {
    return []
  }
  const found: Array<RunStep & {at: string}> = []
  for (const id of ids) {
    const dir = join(runDir, 'journal', id)
    if (!(await stat(dir)).isDirectory()) continue
    const before = await readJson<StepBefore>(paths(dir).before).catch(() => null)
    if (before) found.push({id, number: 0, title: id, status: 'unknown', at: before.takenAt})
  }
  found.sort((a, b) => a.at.localeCompare(b.at))
  return found.map(({at: _at, ...s}, i) => ({...s, number: i + 1}))
}

/**
 * After a rollback, the run's checkpoint says so: the undone steps are pending
 * again (a resume runs them anew instead of skipping what is no longer
 * there), and `runbook runs` shows the run as rolled back. A run whose
 * state.json cannot be read was rolled back from its journal alone; it stays
 * as it is.
 */
export function recordRollback(runDir: string, undone: string[]): void {
  const file = join(runDir, 'state.json')
  let state
  try {
    state = loadState(file)
  } catch {
    return
  }
  const ids = new Set(undone)
  for (const step of state.steps) {
    if (!ids.has(step.id)) continue
    step.status = 'pending'
    for (const key of ['exitCode', 'signal', 'startedAt', 'endedAt', 'error', 'skipReason'] as const) delete step[key]
  }
  state.status = 'rolled-back'
  saveState(file, state)
}
