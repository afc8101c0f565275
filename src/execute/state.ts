/**
 * The checkpoint: `state.json` in the run folder, rewritten atomically on every
 * status change. It holds what a resume needs and nothing secret.
 */
import {readFileSync} from 'node:fs'
import type {Plan, Platform} from '../resolve/types.js'
import type {SkipReason, StepStatus} from './events.js'
import {RunbookError} from '../errors.js'
import type {Destination} from './target/destination.js'
import {overwriteInPlace, writeFileAtomic, writeFileAtomicAsync} from './atomic.js'
import {stateShapeProblem} from './state-shape.js'

export type RunStatus = 'running' | 'done' | 'failed' | 'interrupted' | 'aborted' | 'partial' | 'rolled-back'

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
  /** The host roles it ran on (`local`, `web`), when not this machine alone: a resume and a rollback go there. */
  hosts?: string[]
  /** While the step runs: its process group and session, for a resume after the runner was killed (leftover-group.ts). */
  group?: {pgid: number; sid: number}
}

/** A host of the run: where its role's steps go and what system it was planned for. */
export interface HostState {
  role: string
  /** Absent for this machine. */
  destination?: Destination
  platformSource?: string
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
  /** The page's conditions and whether this run takes each (slug → taken); absent in older states. */
  conditions?: Record<string, boolean>
  parameters: ParameterState[]
  createdAt: string
  updatedAt: string
  status: RunStatus
  steps: StepState[]
  /** The run's hosts other than this machine alone (absent for a one-host run). */
  hosts?: HostState[]
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
    conditions: Object.fromEntries(plan.conditions.map((condition) => [condition.slug, condition.included])),
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

function stateText(state: RunState): string {
  return JSON.stringify(state, null, 2) + '\n'
}

/**
 * The final record of a run whose folder's disk is full: atomically if the
 * disk still takes a new file, else over the old file's own blocks.
 */
export function saveStateLastResort(file: string, state: RunState): void {
  try {
    saveState(file, state)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if ((code !== 'ENOSPC' && code !== 'EDQUOT') || !overwriteInPlace(file, stateText(state))) throw error
  }
}

/** Writes the checkpoint atomically and durably, now. */
export function saveState(file: string, state: RunState): void {
  state.updatedAt = new Date().toISOString()
  writeFileAtomic(file, stateText(state))
}

/**
 * The checkpoint during a run: every status change starts an atomic, durable
 * write (temp file, fsync, rename, fsync of the folder) off the main thread,
 * so the next step starts while the disk syncs. A change made while a write is
 * under way is written right after it, and the write it would have replaced
 * is skipped: the file on disk is always a whole state, at most one write
 * behind. `flush` waits for the last one; a failed write fails the run.
 *
 * A change that may wait (`save(true)`: a step started, its process group
 * is known) is written DEFER_MS later, or with the next change that may not,
 * whichever comes first. A quick step then costs one durable write (its end)
 * instead of two: each is two fsyncs and nine trips to the thread pool, and
 * for steps of a few milliseconds they were half the runner's work. A runner
 * killed within that time leaves the step as it was before it started, and a
 * resume runs it from its start, as for a step that was running.
 */
const DEFER_MS = 50

export class StateWriter {
  private writing: Promise<void> | undefined
  /** Changes not yet written. */
  private dirty = false
  /** Among them, one that may not wait. */
  private urgent = false
  private failure: Error | undefined
  private deferred: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly file: string,
    private readonly state: RunState,
  ) {}

  /** `later`: the change may wait up to DEFER_MS for the next one. */
  save(later = false): void {
    if (this.failure) throw this.failure
    this.state.updatedAt = new Date().toISOString()
    this.dirty = true
    if (!later) this.urgent = true
    // A write under way takes what is urgent right after it, and leaves the rest to wait.
    if (this.writing) return
    if (this.urgent) this.start()
    else this.deferred ??= setTimeout(() => this.start(true), DEFER_MS)
  }

  async flush(): Promise<void> {
    if (this.dirty && !this.writing) this.start(true)
    else if (this.dirty) this.urgent = true
    while (this.writing) await this.writing
    if (this.failure) throw this.failure
  }

  private start(urgent = false): void {
    if (this.deferred) clearTimeout(this.deferred)
    this.deferred = undefined
    if (urgent) this.urgent = true
    this.writing ??= this.drain()
  }

  private async drain(): Promise<void> {
    // After what the run does next right now (the next step's script goes to the shell first): the write's own work then overlaps the step.
    await new Promise((resolve) => setImmediate(resolve))
    try {
      while (this.dirty && this.urgent) {
        this.dirty = false
        this.urgent = false
        // The text is taken now, before the first await: a whole state of this moment.
        await writeFileAtomicAsync(this.file, stateText(this.state))
      }
    } catch (error) {
      this.failure = new RunbookError(`Cannot write the run state ${this.file}: ${(error as Error).message}. The run stopped; free the disk or fix the folder's permissions, then resume.`, 1)
    } finally {
      this.writing = undefined
      if (this.dirty && !this.failure) this.deferred ??= setTimeout(() => this.start(true), DEFER_MS)
    }
  }
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
  const problem = stateShapeProblem(state)
  if (problem) {
    throw new RunbookError(`The run state ${file} is not a runbook state of version 1 (${problem}). It was left as it is; start a new run, or delete that run folder.`, 2)
  }
  return state
}
