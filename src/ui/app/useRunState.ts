/**
 * The UI's whole state, and the pure reducer that builds it from executor
 * events plus a few UI actions (a prompt shown or answered, Ctrl-C). The store
 * (store.ts) feeds it; components only read it.
 */
import {useSyncExternalStore} from 'react'
import type {RunEvent, SkipReason, StepStatus} from '../../execute/events.js'
import type {Plan} from '../../resolve/types.js'
import {sanitizeLine, sanitizeLines} from './text.js'
import {countLines, lastLines} from '../../execute/lines.js'

/** Output lines kept for the running step: the screen shows fewer, a flood keeps no more. */
export const TAIL_LINES = 200

export interface StepView {
  id: string
  number: number
  title: string
  status: StepStatus
  skipReason?: SkipReason
  /** While running: when it started, on the store's clock. */
  startedAt?: number
  durationMs?: number
  attempt: number
  exitCode?: number
  error?: string
  troubleshooting?: string
  logFile?: string
}

/** The step that runs now (or ran last): what it runs and what it printed. */
export interface CurrentStep {
  index: number
  stepId: string
  label: string
  attempt: number
  actionCount: number
  /** 1-based position of the action that runs now; 0 before the first. */
  actionIndex: number
  actionId?: string
  /** The running command (`display`, already masked), one entry per line. */
  command: string[]
  tail: string[]
  /** Lines printed in all, kept or not. */
  lineCount: number
  /** A step on a pseudo-terminal: its screen (rows sanitised), and the prompt it waits at. */
  screen?: {rows: string[]; waiting?: string}
}

export interface HeaderInfo {
  title: string
  procedure: string
  /** The machine as detected, and from where: `Ubuntu 22.04.4 LTS x86_64 (from /etc/os-release)`. */
  platform: string
  /** The tabs chosen, grouped by how: `Ubuntu 22.04, x86_64 (platform)`, `Filtering (choice)`. */
  tabs: string[]
}

export type Prompt =
  | {id: number; kind: 'choose'; question: string; options: string[]}
  | {id: number; kind: 'value'; name: string; secret: boolean; hint: string}
  | {id: number; kind: 'manual'; step: string; text: string}
  | {id: number; kind: 'step'; step: string; commands: string[]}
  | {
      id: number
      kind: 'failure'
      step: string
      error: string
      logFile: string
      canRollback: boolean
      troubleshooting?: string
    }

/** A prompt as asked, before the store numbers it. */
export type PromptSpec = Prompt extends infer P ? (P extends {id: number} ? Omit<P, 'id'> : never) : never

export type RunEndView = Omit<Extract<RunEvent, {type: 'run-end'}>, 'type'>

export interface Notice {
  level: 'info' | 'warning'
  message: string
}

export interface RunState {
  title: string
  runId?: string
  runDir?: string
  header?: HeaderInfo
  steps: StepView[]
  current?: CurrentStep
  /** The last few notices, oldest first. */
  notices: Notice[]
  /** Open prompts; the first is on screen. */
  prompts: Prompt[]
  /** Ctrl-C presses: 1 = stopping, 2 = aborting. */
  interrupts: number
  /** The terminal is lent to another program: hold the frame still. */
  paused: boolean
  startedAt?: number
  end?: RunEndView
}

export type UiAction =
  | {type: 'event'; event: RunEvent; at: number}
  /** Output lines coalesced by the store: only the last TAIL_LINES of `lines` survive. */
  | {type: 'output'; stepId: string; lines: string[]; count: number}
  | {type: 'prompt'; prompt: Prompt}
  | {type: 'prompt-done'; id: number}
  | {type: 'interrupt'}
  | {type: 'pause'; paused: boolean}

export function initialRunState(title: string): RunState {
  return {title, steps: [], notices: [], prompts: [], interrupts: 0, paused: false}
}

export function reduceRun(state: RunState, action: UiAction): RunState {
  switch (action.type) {
    case 'event':
      return reduceEvent(state, action.event, action.at)
    case 'output':
      return appendOutput(state, action.stepId, action.lines, action.count)
    case 'prompt':
      return {...state, prompts: [...state.prompts, action.prompt]}
    case 'prompt-done':
      return {...state, prompts: state.prompts.filter((p) => p.id !== action.id)}
    case 'interrupt':
      return {...state, interrupts: state.interrupts + 1}
    case 'pause':
      return {...state, paused: action.paused}
  }
}

function reduceEvent(state: RunState, event: RunEvent, at: number): RunState {
  switch (event.type) {
    case 'run-start':
      return {
        ...state,
        runId: event.runId,
        runDir: event.runDir,
        header: headerOf(event.plan),
        steps: event.plan.steps.map((step, i) => ({
          id: step.id,
          number: step.number,
          title: sanitizeLine(step.title),
          attempt: 0,
          ...(event.resumed && i < event.startIndex
            ? {status: 'skipped' as const, skipReason: 'done-before' as const}
            : {status: 'pending' as const}),
        })),
        current: undefined,
        startedAt: at,
        end: undefined,
      }
    case 'step-start': {
      // A step on another machine says where, in the list and in its section's header.
      const host = event.host ? sanitizeLine(event.host) : undefined
      const label = `${event.step.number}. ${sanitizeLine(event.step.title)}${host ? ` · on ${host}` : ''}`
      return {
        ...updateStep(state, event.index, event.step.id, () => ({
          ...(host ? {title: `${sanitizeLine(event.step.title)} [${host.split(' ')[0]}]`} : {}),
          status: 'running',
          skipReason: undefined,
          startedAt: at,
          durationMs: undefined,
          attempt: event.attempt,
          exitCode: undefined,
          error: undefined,
          troubleshooting: undefined,
          logFile: undefined,
        })),
        current: {
          index: event.index,
          stepId: event.step.id,
          label,
          attempt: event.attempt,
          actionCount: event.step.actions.length,
          actionIndex: 0,
          command: [],
          tail: [],
          lineCount: 0,
        },
      }
    }
    case 'action-start': {
      const current = state.current
      if (!current || current.stepId !== event.step.id) return state
      return {
        ...state,
        current: {
          ...current,
          actionIndex: current.actionIndex + 1,
          actionId: event.action.id,
          command: sanitizeLines(event.display).filter((line, i, all) => line !== '' || i < all.length - 1),
        },
      }
    }
    case 'output':
      return appendOutput(state, event.stepId, lastLines(event.text, TAIL_LINES), countLines(event.text))
    case 'action-end':
      return state
    case 'screen': {
      const current = state.current
      if (!current || current.stepId !== event.stepId) return state
      const screen = {rows: event.rows.map((row) => sanitizeLine(row)), ...(event.waiting ? {waiting: sanitizeLine(event.waiting.prompt)} : {})}
      return {...state, current: {...current, screen}}
    }
    case 'step-end':
      return updateStep(state, event.index, event.step.id, () => ({
        status: event.status,
        skipReason: event.skipReason,
        startedAt: undefined,
        durationMs: event.durationMs,
        exitCode: event.exitCode,
        error: event.error,
        troubleshooting: event.troubleshooting,
        logFile: event.logFile,
      }))
    case 'notice':
      return {...state, notices: [...state.notices, {level: event.level, message: event.message}].slice(-3)}
    case 'run-end': {
      const {type: _type, ...end} = event
      return {...state, runDir: event.runDir, end, interrupts: 0}
    }
  }
}

function appendOutput(state: RunState, stepId: string, lines: string[], count: number): RunState {
  const current = state.current
  if (!current || current.stepId !== stepId) return state
  // Sanitise only what survives the cut: a flood costs O(TAIL_LINES) per batch.
  const kept = lines.length > TAIL_LINES ? lines.slice(-TAIL_LINES) : lines
  const tail = [...current.tail, ...kept.map((line) => sanitizeLine(line))]
  return {
    ...state,
    current: {
      ...current,
      tail: tail.length > TAIL_LINES ? tail.slice(-TAIL_LINES) : tail,
      lineCount: current.lineCount + count,
    },
  }
}

/** Update one step, found by index (checked against its id) or else by id. */
function updateStep(state: RunState, index: number, id: string, patch: () => Partial<StepView>): RunState {
  const at = state.steps[index]?.id === id ? index : state.steps.findIndex((s) => s.id === id)
  if (at < 0) return state
  const steps = state.steps.slice()
  steps[at] = dropUndefined({...steps[at]!, ...patch()})
  return {...state, steps}
}

/** Keep state objects free of `key: undefined`, so exact comparisons stay simple. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

export function headerOf(plan: Plan): HeaderInfo {
  const p = plan.platform
  const name = p.prettyName ?? [p.id, p.versionId].filter(Boolean).join(' ')
  // Labels grouped by how they were chosen, in first-seen order; `only` tabs were no choice at all.
  const byHow = new Map<string, string[]>()
  const add = (label: string, by: string) => {
    const labels = byHow.get(by) ?? []
    if (!labels.includes(label)) labels.push(label)
    byHow.set(by, labels)
  }
  for (const s of plan.selections) if (s.by !== 'only') add(s.label, s.by)
  for (const label of Object.values(plan.choices)) if (!byHow.get('choice')?.includes(label)) add(label, 'choice')
  return {
    title: sanitizeLine(plan.runbook.title),
    procedure: sanitizeLine(plan.procedure.title),
    platform: sanitizeLine(`${name} ${p.arch} (from ${p.source})`),
    tabs: [...byHow].map(([by, labels]) => sanitizeLine(`${labels.join(', ')} (${by})`)),
  }
}

/** Something the UI can subscribe to: the store in store.ts. */
export interface RunStateSource {
  subscribe(listener: () => void): () => void
  getSnapshot(): RunState
}

/** The current state; re-renders when the store publishes a batch. */
export function useRunState(source: RunStateSource): RunState {
  return useSyncExternalStore(source.subscribe, source.getSnapshot, source.getSnapshot)
}
