/**
 * The external store between the executor and React. Events are queued and
 * reduced in batches at a bounded rate, so a step printing a gigabyte costs a
 * bounded number of renders and a bounded amount of memory: an output block
 * gives only its last lines, and consecutive ones coalesce into one action
 * whose line list is itself capped.
 */
import {initialRunState, reduceRun, TAIL_LINES, type Prompt, type PromptSpec, type RunState, type UiAction} from './useRunState.js'
import type {RunEvent} from '../../execute/events.js'
import {append} from '../../arrays.js'
import {countLines, lastLines} from '../../execute/lines.js'

/** Raw characters kept per queued line; sanitising never needs more. */
const RAW_LINE_MAX = 4096

export interface RunStoreOptions {
  title: string
  /** Time stamps for events (durations, elapsed); injectable for tests. */
  clock?: () => number
  /** Minimum time between published batches; 0 publishes every event at once. */
  throttleMs?: number
  /** First Ctrl-C. */
  onInterrupt?: () => void
  /** Second Ctrl-C. */
  onAbort?: () => void
}

/** What a prompt resolves to when Ctrl-C cancels it: a value, or an error to reject with. */
export type Cancelled<T> = {value: T} | {error: Error}

export interface RunStore {
  subscribe(listener: () => void): () => void
  getSnapshot(): RunState
  /** The executor's reporter. */
  report(event: RunEvent): void
  /** Show a prompt; resolves with the answer given through `answer`. */
  ask<T>(prompt: PromptSpec, cancelled: Cancelled<T>): Promise<T>
  answer(id: number, value: unknown): void
  /** Ctrl-C: the first stops (and cancels open prompts), the second aborts. */
  interrupt(): void
  /** Publish whatever is queued now. */
  flush(): void
  /** Freeze the frame (spinner, clocks) while another program has the terminal. */
  pause(paused: boolean): void
}

interface Pending {
  resolve(value: unknown): void
  cancel(): void
}

export function createRunStore(options: RunStoreOptions): RunStore {
  const clock = options.clock ?? Date.now
  const throttleMs = options.throttleMs ?? 66
  const listeners = new Set<() => void>()
  const pending = new Map<number, Pending>()
  let state = initialRunState(options.title)
  let queue: UiAction[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  let lastFlush = -Infinity
  let nextId = 1

  function flush(): void {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (queue.length === 0) return
    const actions = queue
    queue = []
    state = actions.reduce(reduceRun, state)
    lastFlush = performance.now()
    for (const listener of listeners) listener()
  }

  function schedule(): void {
    if (throttleMs <= 0) return flush()
    if (timer) return
    // Leading edge after a quiet spell, then at most one batch per throttleMs.
    timer = setTimeout(flush, Math.max(0, lastFlush + throttleMs - performance.now()))
  }

  function enqueue(action: UiAction): void {
    const last = queue.at(-1)
    // Only the newest screen of a step matters.
    if (action.type === 'event' && action.event.type === 'screen' && last?.type === 'event' && last.event.type === 'screen' && last.event.stepId === action.event.stepId) {
      queue[queue.length - 1] = action
      return schedule()
    }
    if (action.type === 'output' && last?.type === 'output' && last.stepId === action.stepId) {
      append(last.lines, action.lines)
      last.count += action.count
      if (last.lines.length > 2 * TAIL_LINES) last.lines = last.lines.slice(-TAIL_LINES)
    } else {
      queue.push(action)
    }
    schedule()
  }

  function close(id: number): Pending | undefined {
    const entry = pending.get(id)
    if (!entry) return undefined
    pending.delete(id)
    queue.push({type: 'prompt-done', id})
    flush()
    return entry
  }

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getSnapshot: () => state,
    report(event) {
      if (event.type === 'output') {
        const lines = lastLines(event.text, TAIL_LINES).map((line) => (line.length > RAW_LINE_MAX ? line.slice(0, RAW_LINE_MAX) : line))
        enqueue({type: 'output', stepId: event.stepId, lines, count: countLines(event.text)})
      } else {
        enqueue({type: 'event', event, at: clock()})
      }
    },
    ask<T>(spec: PromptSpec, cancelled: Cancelled<T>) {
      const id = nextId++
      return new Promise<T>((resolve, reject) => {
        pending.set(id, {
          resolve: resolve as (value: unknown) => void,
          cancel: () => ('error' in cancelled ? reject(cancelled.error) : resolve(cancelled.value)),
        })
        // Prompts skip the throttle: the executor is waiting on the person.
        queue.push({type: 'prompt', prompt: {...spec, id} as Prompt})
        flush()
      })
    },
    answer(id, value) {
      close(id)?.resolve(value)
    },
    interrupt() {
      queue.push({type: 'interrupt'})
      flush()
      if (state.interrupts === 1) {
        options.onInterrupt?.()
        for (const id of [...pending.keys()]) close(id)?.cancel()
      } else {
        options.onAbort?.()
      }
    },
    flush,
    pause(paused) {
      queue.push({type: 'pause', paused})
      flush()
    },
  }
}
