/**
 * The bridge between the executor and the Ink app: a reporter that feeds the
 * app's store, an Interaction whose prompts are answered on screen, and the
 * hand-over of the terminal to editors. The app renders from the store only,
 * so unmounting for an editor and mounting again loses nothing.
 */
import {createElement} from 'react'
import {render, type Instance} from 'ink'
import type {FailureChoice, FailureOptions, Interaction, Reporter, StepChoice, StepTerminal, TerminalLease} from '../execute/events.js'
import type {PlannedAction, PlannedStep} from '../resolve/types.js'
import {RunbookError} from '../errors.js'
import {App} from './app/App.js'
import {createRunStore, type RunStore} from './app/store.js'
import {sanitizeLine} from './app/text.js'


/** ctrl-]: the step gets the whole terminal, and gives it back (as telnet's escape key). */
const HAND_OVER = '\u001D'

export interface TuiOptions {
  /** Shown until the plan arrives (`run-start`), e.g. the runbook's name. */
  title: string
  /** False for `--no-color` / `NO_COLOR`: no escape codes for colour or style. */
  color: boolean
  stdout?: NodeJS.WriteStream
  stdin?: NodeJS.ReadStream
  /** First Ctrl-C: stop the running step. The screen shows `stopping…`; open prompts are cancelled. */
  onInterrupt?: () => void
  /** Second Ctrl-C: abort now. */
  onAbort?: () => void
  /** Frames per second at most (default 15). */
  maxFps?: number
  /** Route stray console output above the app instead of through it (default true). */
  patchConsole?: boolean
}

export interface Tui {
  reporter: Reporter
  interaction: Interaction & {withTerminal<T>(run: () => Promise<T>): Promise<T>}
  /** Show the final state (the summary after `run-end`) and give the terminal back. */
  done(): Promise<void>
}

/** A prompt cancelled by Ctrl-C when it has no answer meaning "stop" (choose, promptValue). */
export class PromptInterrupted extends RunbookError {
  override name = 'PromptInterrupted'
  constructor() {
    super('interrupted', 130)
  }
}

export async function createTui(opts: TuiOptions): Promise<Tui> {
  const stdout = opts.stdout ?? process.stdout
  const stdin = opts.stdin ?? process.stdin
  const fps = opts.maxFps ?? 15
  const store = createRunStore({
    title: opts.title,
    throttleMs: Math.ceil(1000 / fps),
    onInterrupt: opts.onInterrupt,
    onAbort: opts.onAbort,
  })

  // A fresh element each time, so that rerender() really renders the app again.
  const app = () => createElement(App, {store, color: opts.color})
  const mount = (): Instance =>
    render(app(), {stdout, stdin, exitOnCtrlC: false, maxFps: fps, patchConsole: opts.patchConsole ?? true})

  // Shrinking the terminal rewraps the frame already drawn, and Ink then erases
  // too few rows, leaving pieces of it behind. Registered before Ink's own
  // handler, this clears the screen and re-renders at the new size first.
  let size = {columns: stdout.columns, rows: stdout.rows}
  const onResize = () => {
    const shrank = stdout.columns < size.columns || stdout.rows < size.rows
    size = {columns: stdout.columns, rows: stdout.rows}
    if (!shrank || !instance || !stdout.isTTY) return
    stdout.write('\u001B[2J\u001B[H')
    instance.rerender(app())
  }
  stdout.on('resize', onResize)
  let instance: Instance | undefined = mount()

  /** Unmount, leaving the final frame on screen. */
  async function unmount(): Promise<void> {
    const current = instance
    if (!current) return
    instance = undefined
    // Publish what is queued and render it now: the store's own re-render is
    // scheduled, and would land after the unmount (which flushes Ink's throttle).
    store.flush()
    current.rerender(app())
    // Ask for the exit promise before unmounting: it only resolves for callers already waiting.
    const exited = current.waitUntilExit()
    current.unmount()
    await exited
  }

  /** Unmount and erase the frame, so that another program gets a clean terminal. */
  async function lendTerminal(): Promise<void> {
    const current = instance
    if (!current) return
    instance = undefined
    // Freeze the frame, then let Ink's throttled render catch up: a frame
    // drawn after clear() would stay on screen under the editor.
    store.pause(true)
    current.rerender(app())
    await new Promise((resolve) => setTimeout(resolve, 2 * Math.ceil(1000 / fps) + 10))
    const exited = current.waitUntilExit()
    current.clear()
    current.unmount()
    await exited
    stopReading(stdin)
  }

  /**
   * A step on a pseudo-terminal: its screen shows in the pane (from `screen`
   * events), the keys typed go to it while no prompt of ours is open, and
   * ctrl-] gives it the whole terminal until ctrl-] again (or its end).
   * Ctrl-C stays ours: it stops the step, as for any step.
   */
  function attachStep(terminal: StepTerminal, whole: boolean): TerminalLease {
    let handed: (() => Promise<void>) | undefined
    const onKeys = (data: Buffer | string) => {
      if (handed) return
      const text = data.toString()
      if (text.includes(HAND_OVER)) return void handOver()
      const keys = text.replace(/\u0003/g, '')
      if (keys && snapshot(store).prompts.length === 0) terminal.input(keys)
    }
    const onResize = () => terminal.resize(stdout.columns, stdout.rows)
    stdin.on('data', onKeys)
    stdout.on('resize', onResize)

    async function handOver(): Promise<void> {
      if (handed) return
      let back: () => void = () => {}
      const given = new Promise<void>((resolve) => (back = resolve))
      handed = async () => {
        back()
        await given
      }
      await lendTerminal()
      if (stdin.isTTY) stdin.setRawMode(true)
      // Repaint what the step drew so far, then its output flows straight through.
      const {rows, cursor} = await terminal.screen()
      stdout.write('\u001B[2J\u001B[H' + rows.map((row) => sanitizeLine(row)).join('\r\n') + `\u001B[${cursor.row + 1};${cursor.col + 1}H`)
      const stopOutput = terminal.onOutput((data) => stdout.write(data))
      const onRaw = (data: Buffer | string) => {
        const text = data.toString()
        if (text.includes('\u0003')) store.interrupt()
        if (text.includes(HAND_OVER)) return back()
        const keys = text.replace(/\u0003/g, '')
        if (keys) terminal.input(keys)
      }
      stdin.on('data', onRaw)
      // Ink's 'readable' listener left the stream flowing but its handle stopped (stopReading): start it again.
      stdin.pause()
      stdin.resume()
      await given
      stdin.off('data', onRaw)
      stopOutput()
      stopReading(stdin)
      if (stdin.isTTY) stdin.setRawMode(false)
      stdout.write('\u001B[2J\u001B[H')
      store.pause(false)
      instance = mount()
      handed = undefined
    }

    if (whole) void handOver()
    return {
      cols: stdout.columns || 80,
      rows: stdout.rows || 24,
      direct: false,
      async release() {
        stdin.off('data', onKeys)
        stdout.off('resize', onResize)
        await handed?.()
      },
    }
  }

  const interaction: Tui['interaction'] = {
    attachStep: (_step, terminal, options) => attachStep(terminal, options.whole),
    choose: (question, options) => store.ask<number>({kind: 'choose', question, options}, {error: new PromptInterrupted()}),
    // Default no: the first option is the one Enter takes.
    confirmCondition: async (condition, role) =>
      (await store.ask<number>({kind: 'choose', question: `${role === 'optional' ? 'The page offers this' : 'Only if'}: ${condition.text}. Run it?`, options: ['No, skip it', 'Yes, run it']}, {error: new PromptInterrupted()})) === 1,
    promptValue: (name, secret, hint) => store.ask<string>({kind: 'value', name, secret, hint}, {error: new PromptInterrupted()}),
    confirmManual: (action, step) => store.ask<boolean>({kind: 'manual', step: stepLabel(step), text: manualText(store, action)}, {value: false}),
    confirmStep: (step) =>
      store.ask<StepChoice>({kind: 'step', step: stepLabel(step), commands: step.actions.map((a) => a.template)}, {value: 'quit'}),
    onFailure: (step, error, logFile, options?: FailureOptions) =>
      store.ask<FailureChoice>(
        {
          kind: 'failure',
          step: stepLabel(step),
          error,
          logFile,
          canRollback: options?.canRollback ?? false,
          troubleshooting: snapshot(store).steps.find((s) => s.id === step.id)?.troubleshooting ?? step.troubleshooting,
        },
        {value: 'abort'},
      ),
    async withTerminal<T>(run: () => Promise<T>): Promise<T> {
      // Unmount rather than pause: Ink lets go of raw mode and stdin, and the
      // editor gets a clean screen; the store keeps everything for the remount.
      await lendTerminal()
      try {
        return await run()
      } finally {
        store.pause(false)
        instance = mount()
      }
    },
  }

  return {
    reporter: (event) => store.report(event),
    interaction,
    async done() {
      stdout.off('resize', onResize)
      await unmount()
      stopReading(stdin)
    },
  }
}

/**
 * After Ink lets go of stdin, Node still has one read pending on the terminal
 * (a TTY stream restarts its read each time it is drained). That read races
 * an editor for the next keystrokes, and sometimes wins: stop it. The next
 * `read()` (Ink's after a remount, or anyone's) starts reading again by itself.
 */
function stopReading(stdin: NodeJS.ReadStream): void {
  const stream = stdin as NodeJS.ReadStream & {
    _handle?: {reading?: boolean; readStop?: () => number}
    _readableState?: {reading?: boolean}
  }
  const handle = stream._handle
  if (!handle?.reading || typeof handle.readStop !== 'function') return
  handle.readStop()
  handle.reading = false
  if (stream._readableState) stream._readableState.reading = false
}

/** The state with every queued event applied: prompts read facts the executor just reported. */
function snapshot(store: RunStore) {
  store.flush()
  return store.getSnapshot()
}

function stepLabel(step: PlannedStep): string {
  return `${step.number}. ${step.title}`
}

/**
 * The instruction of a manual action: as displayed by the executor (values
 * filled, secrets masked) when it announced this action, else as written.
 */
function manualText(store: RunStore, action: PlannedAction): string {
  const current = snapshot(store).current
  return current?.actionId === action.id && current.command.length > 0 ? current.command.join('\n') : action.template
}
