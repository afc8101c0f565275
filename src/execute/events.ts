/**
 * What the executor tells its reporter (plain lines or the Ink app), and what it
 * asks of a person. Data flows one way: reporters render these events; they
 * never reach back into the plan or the parser.
 */
import type {PlannedAction, PlannedStep, Plan} from '../resolve/types.js'
import type {ExitCode} from '../errors.js'

export type StepStatus =
  | 'pending'
  | 'running'
  | 'done'
  | 'failed'
  | 'skipped'
  | 'interrupted'

/** Why a step was skipped, for display (`other host`, `--only`, `user`…). */
export type SkipReason = 'other-host' | 'user' | 'filter' | 'done-before'

export type RunEvent =
  | {
      type: 'run-start'
      runId: string
      plan: Plan
      runDir: string
      /** Steps already done by an earlier attempt of this run. */
      resumed: boolean
      /** Index into plan.steps of the first step that will run. */
      startIndex: number
    }
  | {type: 'step-start'; step: PlannedStep; index: number; total: number; attempt: number; rerun: boolean; /** Where it runs, when not only on this machine: `web (root@127.0.0.2:2222)`. */ host?: string}
  | {type: 'action-start'; step: PlannedStep; action: PlannedAction; index: number; display: string; host?: string}
  /**
   * A block of a step's output: the whole lines one chunk of the stream
   * completed (secrets masked, decoded as UTF-8), joined by `\n`, none after
   * the last; at least one line. One event per chunk, not per line, so a
   * flood costs a few thousand events, not ten million. Not sanitised:
   * reporters make control characters harmless before they show it.
   */
  | {
      type: 'output'
      stepId: string
      stream: 'stdout' | 'stderr'
      /** The lines, joined by `\n` (none after the last); decoded from `bytes` when first read. */
      text: string
      /** The same lines as the step wrote them, each ending in `\n` (see lines.ts): what a reporter can show without decoding. */
      bytes?: readonly Buffer[]
    }
  | {type: 'action-end'; stepId: string; actionId: string; exitCode?: number; signal?: string}
  /**
   * A step on a pseudo-terminal: its screen as a terminal draws it (rows
   * masked, control sequences already interpreted), sent while someone shows it.
   */
  | {type: 'screen'; stepId: string; rows: string[]; cursor: {row: number; col: number}; waiting?: {prompt: string}}
  | {
      type: 'step-end'
      step: PlannedStep
      index: number
      status: StepStatus
      skipReason?: SkipReason
      exitCode?: number
      durationMs: number
      error?: string
      /** For a failed check: what the guide says to look at. */
      troubleshooting?: string
      logFile?: string
      /** The last lines of output (masked) of a failed command. */
      outputTail?: string[]
    }
  | {type: 'notice'; level: 'info' | 'warning'; message: string}
  | {
      type: 'run-end'
      status: 'done' | 'failed' | 'interrupted' | 'aborted'
      counts: Record<StepStatus, number>
      durationMs: number
      runDir: string
      /** The exact command that continues this run, when it did not finish. */
      resumeCommand?: string
    }

export type FailureChoice = 'retry' | 'skip' | 'abort' | 'rollback'

/** Extra facts for the failure menu; optional, so callers that know none need not pass any. */
export interface FailureOptions {
  /** Rollback can undo this step: offer `Roll back` (answered with 'rollback'). */
  canRollback?: boolean
}
export type StepChoice = 'run' | 'skip' | 'quit'

/**
 * What the executor asks of a person. Reporters without a person (pipes, CI)
 * answer from flags: `--yes` confirms, failures abort.
 */
export interface Interaction {
  /** Pick one of `options` (a procedure, a tab of a choice group); returns its index. */
  choose(question: string, options: string[]): Promise<number>
  /**
   * A block the page runs only under a condition (or only offers): run it too?
   * Asked once per condition; the default answer is no. Undefined: never asked.
   */
  confirmCondition?(condition: {slug: string; text: string}, role: 'conditional' | 'optional'): Promise<boolean>
  /** A placeholder value; `secret` values are masked while typed. */
  promptValue(name: string, secret: boolean, hint: string): Promise<string>
  /** A `manual` action: resolve when the person says it is done; false stops the run. */
  confirmManual(action: PlannedAction, step: PlannedStep): Promise<boolean>
  /** `--step`: before each step. */
  confirmStep(step: PlannedStep, index: number): Promise<StepChoice>
  /** A step failed. */
  onFailure(step: PlannedStep, error: string, logFile: string, options?: FailureOptions): Promise<FailureChoice>
  /**
   * Hand the real terminal to a program (an editor) and take it back after.
   * Returns its exit code. Undefined when there is no terminal to hand over.
   */
  withTerminal?<T>(run: () => Promise<T>): Promise<T>
  /**
   * A step that may ask something runs on a pseudo-terminal: connect it to the
   * person (keys to the step, its screen shown; `whole`: a full-screen program
   * such as a pager, given the whole terminal at once). Undefined when there is no
   * terminal: the step then runs unattended, on its declared answers.
   */
  attachStep?(step: PlannedStep, terminal: StepTerminal, options: {whole: boolean}): TerminalLease
}

/** The step's side of a pseudo-terminal, for whoever shows it. */
export interface StepTerminal {
  /** Keys the person typed, as a terminal sends them. */
  input(data: string): void
  resize(cols: number, rows: number): void
  /** The step's output from now on, as it comes (secrets masked): for a terminal handed over whole. */
  onOutput(listener: (data: string) => void): () => void
  /**
   * The screen (rows masked) and the cursor once all output received so far is drawn: to repaint a
   * terminal handed over mid-step. Subscribe to onOutput as soon as it resolves (no await between):
   * then each byte is either in the repaint or in the stream, never in neither or both.
   */
  screen(): Promise<{rows: string[]; cursor: {row: number; col: number}}>
}

/** The person's side: the size to give the step, and how it sees the output. */
export interface TerminalLease {
  cols: number
  rows: number
  /** The person's terminal shows the step's own output (the plain reporter stands aside): no output lines are reported. */
  direct: boolean
  /** The step ended. */
  release(): Promise<void>
}

export type Reporter = (event: RunEvent) => void

/**
 * Called around every step that runs; rollback uses them to snapshot what a
 * step may change (files, packages, services) into `journalDir`.
 */
export interface StepHooks {
  /** Once, before the first step, with the steps that will run. */
  beforeRun?(steps: PlannedStep[]): Promise<void>
  beforeStep?(step: PlannedStep, journalDir: string): Promise<void>
  afterStep?(step: PlannedStep, journalDir: string, status: StepStatus): Promise<void>
}

export type RunResult = {
  exitCode: ExitCode
  runId: string
  runDir: string
  /** The person chose Roll back at a failed step: the caller undoes the run. */
  rollbackRequested?: boolean
}
