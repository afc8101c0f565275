/**
 * Everything a run report shows, read from the run folder: the checkpoint
 * (state.json), the evidence (record.jsonl), the step logs, the rollback
 * journal and the rollback's own checkpoint. Each is read defensively: a report
 * of a half-broken run says what is missing rather than failing.
 */
import {existsSync, readFileSync, statSync, openSync, readSync, closeSync} from 'node:fs'
import {join} from 'node:path'
import {loadState, type RunState} from '../execute/state.js'
import {describeEffect} from '../execute/rollback/describe.js'
import type {StepUndo} from '../execute/rollback/journal.js'
import type {Checkpoint} from '../execute/rollback/checkpoint.js'
import type {UndoAction} from '../execute/rollback/undo-plan.js'
import {RECORD_FILE, type Operator, type RecordEntry} from './record.js'

/** How much of a step's log a report carries; the rest is named by its path. */
export const OUTPUT_LIMIT = 64 * 1024

export interface CommandRun {
  kind: string
  host: string
  command: string
  exitCode?: number
  signal?: string
}

export interface Attempt {
  attempt: number
  startedAt: string
  endedAt?: string
  durationMs?: number
  status?: string
  exitCode?: number
  error?: string
  commands: CommandRun[]
}

export interface StepReport {
  number: number
  id: string
  title: string
  /** The status now (a rolled-back step is `pending` again). */
  status: string
  skipReason?: string
  attempts: Attempt[]
  output?: {text: string; cut: boolean; bytes: number; log: string}
  rollback?: {
    /** What the step changed, as the journal measured it. */
    changed: string[]
    /** Paths whose state was recorded before the step. */
    snapshotted: string[]
    /** Undo actions carried out by a rollback, and those planned but not done. */
    undone: string[]
    notDone: string[]
    wasUndone: boolean
  }
}

export interface RollbackReport {
  status: string
  updatedAt: string
  undone: string[]
  blocked?: {number: number; title: string; manual: string[]}
}

export interface ReportData {
  runId: string
  runDir: string
  runbook: RunState['runbook']
  engine?: string
  /** sha256 of the page file when the run started (the runbook hash covers its commands only). */
  pageSha256?: string
  operator?: Operator
  platform: RunState['platform']
  procedure: RunState['procedure']
  choices: Record<string, string>
  parameters: Array<{name: string; secret: boolean; value?: string}>
  createdAt: string
  updatedAt: string
  endedAt?: string
  status: string
  steps: StepReport[]
  notices: string[]
  rollback?: RollbackReport
  /** What could not be read (a missing record of an older run, a broken journal file). */
  gaps: string[]
}

export function collectReport(runDir: string): ReportData {
  const state = loadState(join(runDir, 'state.json'))
  const gaps: string[] = []
  const record = readRecord(runDir, gaps)
  const start = record.find((e): e is Extract<RecordEntry, {type: 'run-start'}> => e.type === 'run-start')
  const end = [...record].reverse().find((e) => e.type === 'run-end')
  const checkpoint = readJsonFile<Checkpoint>(join(runDir, 'rollback.json'), gaps)
  const steps = state.steps.map((s) => {
    const attempts = attemptsOf(s.id, record)
    // A checkpoint without a record (an older run): its last attempt is all there is.
    if (attempts.length === 0 && s.startedAt) {
      attempts.push({attempt: s.attempts || 1, startedAt: s.startedAt, endedAt: s.endedAt, durationMs: s.endedAt ? Date.parse(s.endedAt) - Date.parse(s.startedAt) : undefined, status: s.status, exitCode: s.exitCode, error: s.error, commands: []})
    }
    const step: StepReport = {number: s.number, id: s.id, title: s.title, status: s.status, ...(s.skipReason ? {skipReason: s.skipReason} : {}), attempts}
    const output = readOutput(runDir, s.log, s.number, s.id)
    if (output) step.output = output
    const rollback = rollbackOf(runDir, s.id, checkpoint, gaps)
    if (rollback) step.rollback = rollback
    return step
  })
  return {
    runId: state.runId,
    runDir,
    runbook: state.runbook,
    ...(start ? {engine: start.engine, operator: start.operator} : {}),
    ...(start?.pageSha256 ? {pageSha256: start.pageSha256} : {}),
    platform: state.platform,
    procedure: state.procedure,
    choices: state.choices,
    parameters: state.parameters.map((p) => (p.secret ? {name: p.name, secret: true} : {name: p.name, secret: false, value: p.value})),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    ...(end ? {endedAt: end.t} : {}),
    status: state.status,
    steps,
    notices: record.flatMap((e) => (e.type === 'notice' ? [e.message] : [])),
    ...(checkpoint
      ? {
          rollback: {
            status: checkpoint.status,
            updatedAt: checkpoint.updatedAt,
            undone: checkpoint.undone,
            ...(checkpoint.plan.blocked ? {blocked: {number: checkpoint.plan.blocked.number, title: checkpoint.plan.blocked.title, manual: checkpoint.plan.blocked.manual}} : {}),
          },
        }
      : {}),
    gaps,
  }
}

function readRecord(runDir: string, gaps: string[]): RecordEntry[] {
  const file = join(runDir, RECORD_FILE)
  if (!existsSync(file)) {
    gaps.push(`${RECORD_FILE} is absent (a run made before run records, or its folder was copied without it): attempts and commands come from the checkpoint alone.`)
    return []
  }
  const entries: RecordEntry[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue
    try {
      entries.push(JSON.parse(line) as RecordEntry)
    } catch {
      // A runner killed mid-write leaves half a line at the end: the rest still counts.
      gaps.push(`${RECORD_FILE} has a line that is not whole JSON (a runner killed while writing it); it was left out.`)
    }
  }
  return entries
}

function attemptsOf(stepId: string, record: RecordEntry[]): Attempt[] {
  const attempts: Attempt[] = []
  let current: Attempt | undefined
  for (const e of record) {
    if (e.type === 'step-start' && e.step === stepId) {
      current = {attempt: e.attempt, startedAt: e.t, commands: []}
      attempts.push(current)
    } else if (e.type === 'action' && e.step === stepId && current) {
      current.commands.push({kind: e.kind, host: e.host, command: e.command})
    } else if (e.type === 'action-end' && e.step === stepId && current) {
      const run = current.commands.at(-1)
      if (run) Object.assign(run, e.exitCode === undefined ? {} : {exitCode: e.exitCode}, e.signal ? {signal: e.signal} : {})
    } else if (e.type === 'step-end' && e.step === stepId && current) {
      Object.assign(current, {endedAt: e.t, durationMs: e.durationMs, status: e.status}, e.exitCode === undefined ? {} : {exitCode: e.exitCode}, e.error ? {error: e.error} : {})
      current = undefined
    }
  }
  return attempts
}

/** The log's last OUTPUT_LIMIT bytes, cut at a line start. */
function readOutput(runDir: string, log: string | undefined, number: number, id: string): StepReport['output'] | undefined {
  const rel = log ?? join('logs', `${String(number).padStart(2, '0')}-${id}.log`)
  const file = join(runDir, rel)
  let size: number
  try {
    size = statSync(file).size
  } catch {
    return undefined
  }
  const start = Math.max(0, size - OUTPUT_LIMIT)
  const buffer = Buffer.alloc(size - start)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, buffer, 0, buffer.length, start)
  } finally {
    closeSync(fd)
  }
  let text = buffer.toString('utf8')
  if (start > 0) text = text.slice(text.indexOf('\n') + 1)
  return {text, cut: start > 0, bytes: size, log: file}
}

function rollbackOf(runDir: string, stepId: string, checkpoint: Checkpoint | undefined, gaps: string[]): StepReport['rollback'] | undefined {
  const undo = readJsonFile<StepUndo>(join(runDir, 'journal', stepId, 'undo.json'), gaps)
  const planned = checkpoint?.plan.steps.find((s) => s.stepId === stepId)
  if (!undo && !planned) return undefined
  const done = new Set(checkpoint?.done ?? [])
  const actions = planned?.actions ?? []
  return {
    changed: undo ? undo.effects.map(describeEffect) : [],
    snapshotted: undo?.snapshotted ?? [],
    undone: actions.filter((a) => done.has(a.id)).map(describeUndo),
    notDone: actions.filter((a) => !done.has(a.id)).map(describeUndo),
    wasUndone: checkpoint?.undone.includes(stepId) ?? false,
  }
}

export function describeUndo(action: UndoAction): string {
  switch (action.kind) {
    case 'file': {
      const first = action.snapshot.entries[0]
      return first?.type === 'absent' ? `remove ${action.snapshot.root} (it did not exist before)` : `restore ${action.snapshot.path}`
    }
    case 'packages': {
      const parts = []
      if (action.remove.length) parts.push(`remove packages ${action.remove.join(', ')}`)
      if (action.reinstall.length) parts.push(`reinstall ${action.reinstall.map((p) => `${p.name} ${p.version}`).join(', ')}`)
      return parts.join('; ') || 'packages unchanged'
    }
    case 'service':
      return `${action.action} ${action.unit} (${action.manager})`
    case 'accounts':
      return 'restore the users and groups'
    case 'script':
      return `run the page's undo: ${action.script}`
  }
}

function readJsonFile<T>(file: string, gaps: string[]): T | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  try {
    return JSON.parse(text) as T
  } catch {
    gaps.push(`${file} is not readable JSON; what it held is not shown.`)
    return undefined
  }
}
