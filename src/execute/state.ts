/**
 * The checkpoint: `state.json` in the run folder, rewritten atomically on every
 * status change. It holds what a resume needs and nothing secret.
 */
import {readFileSync} from 'node:fs'
import type {Plan, Platform} from '../resolve/types.js'
import type {SkipReason, StepStatus} from './events.js'
import {RunbookError} from '../errors.js'
import {writeFileAtomic} from './atomic.js'

export type RunStatus = 'running' | 'done' | 'failed' | 'interrupted' | 'aborted' | 'partial'

export interface StepState {
  id: string
  number: number
  title: string
  hash: string
  status: StepStatus
  skipReason?: SkipReason
  exitCode?: number
  signal?: string
  startedAt?: string
  endedAt?: string
  /** Relative to the run folder. */
  log?: string
  attempts: number
  error?: string
}

/** Non-secret parameters carry their value; secret ones only their name. */
export type ParameterState = {name: string; secret: false; value: string} | {name: string; secret: true}

export interface RunState {
  version: 1
  runId: string
  runbook: {file: string; title: string; hash: string}
  /** What the user typed (`runbook run <target>`), for `--resume` and the resume command. */
  target?: string
  platform: Platform
  procedure: {id: string; title: string}
  choices: Record<string, string>
  parameters: ParameterState[]
  createdAt: string
  updatedAt: string
  status: RunStatus
  steps: StepState[]
}

export function initialState(opts: {
  runId: string
  plan: Plan
  target?: string
  values: Record<string, string>
  secretNames: Set<string>
}): RunState {
  const {plan} = opts
  const now = new Date().toISOString()
  return {
    version: 1,
    runId: opts.runId,
    runbook: {...plan.runbook},
    ...(opts.target === undefined ? {} : {target: opts.target}),
    platform: plan.platform,
    procedure: {...plan.procedure},
    choices: {...plan.choices},
    parameters: parameterStates(plan, opts.values, opts.secretNames),
    createdAt: now,
    updatedAt: now,
    status: 'running',
    steps: plan.steps.map((s) => ({id: s.id, number: s.number, title: s.title, hash: s.hash, status: 'pending', attempts: 0})),
  }
}

export function parameterStates(plan: Plan, values: Record<string, string>, secretNames: Set<string>): ParameterState[] {
  const out: ParameterState[] = []
  for (const p of plan.parameters) {
    if (secretNames.has(p.name)) out.push({name: p.name, secret: true})
    else if (values[p.name] !== undefined) out.push({name: p.name, secret: false, value: values[p.name]!})
  }
  return out
}

/**
 * Every status change is written atomically; `durable: false` skips the fsyncs
 * for a step going to `running`: lost to a power cut, that step is simply
 * pending again, which resume treats the same way.
 */
export function saveState(file: string, state: RunState, durable = true): void {
  state.updatedAt = new Date().toISOString()
  writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n', 0o600, durable)
}

/** Reads a checkpoint; anything but a well-formed version-1 state is an error naming the file (never overwritten). */
export function loadState(file: string): RunState {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new RunbookError(
      code === 'ENOENT'
        ? `No run state at ${file}. Check the run id with 'runbook runs' (and --state-dir if the run used one).`
        : `Cannot read the run state ${file} (${code}). Check its permissions; it was left as it is.`,
      2,
    )
  }
  let state: RunState
  try {
    state = JSON.parse(text) as RunState
  } catch (error) {
    throw new RunbookError(`The run state ${file} is corrupt (${(error as Error).message}). It was left as it is; start a new run, or repair or delete that file.`, 2)
  }
  if (!state || state.version !== 1 || typeof state.runId !== 'string' || !Array.isArray(state.steps) || !state.runbook) {
    throw new RunbookError(`The run state ${file} is not a runbook state of version 1. It was left as it is; start a new run, or delete that run folder.`, 2)
  }
  return state
}
