/**
 * runPlan: the steps of a plan in order, with a checkpoint after every status
 * change, so that a failed or interrupted run continues where it stopped.
 */
import {groupMembers, groupOf, stopLeftoverGroup} from './leftover-group.js'
import {join} from 'node:path'
import type {Plan, PlannedStep} from '../resolve/types.js'
import type {Interaction, Reporter, RunResult, SkipReason, StepHooks, StepStatus} from './events.js'
import type {ExitCode} from '../errors.js'
import {createMasker, isSecretName, type Masker} from './secrets.js'
import {INTERRUPTED, Interrupts} from './interrupt.js'
import {openRun, type OpenRun} from './run-folder.js'
import {journalDir, stepLogName} from './paths.js'
import {saveStateLastResort, StateWriter, type RunState, type StepState} from './state.js'
import {runFolderError} from './disk-errors.js'
import {selectedRange} from './select.js'
import {StepLog} from './step-log.js'
import {runAction, type ActionContext, type ActionOutcome} from './actions.js'
import {ensureSudo, sudoPrelude} from './sudo.js'
import {ShellPool} from './shell-host.js'
import {resolveAnswers, type CliAnswer, type ResolvedAnswer} from './pty/answer-match.js'
import {Targets, type Destination} from './target/index.js'
import {HostRouting, runHosts} from './host-routing.js'
import {holdYoungGeneration} from './young-generation.js'

export interface RunOptions {
  plan: Plan
  /** Parameter values by name, secrets included (they stay in memory). */
  values: Record<string, string>
  stateRoot: string
  /** Resume this run. */
  runId?: string
  reporter: Reporter
  interaction: Interaction
  hooks?: StepHooks
  yes?: boolean
  /** Confirm each step. */
  step?: boolean
  from?: string
  only?: string
  allHosts?: boolean
  force?: boolean
  resumeCommand: (runId: string) => string
  /** What the user typed, recorded for `--resume`. */
  target?: string
  /** Extra environment for the steps. */
  env?: Record<string, string>
  /** Between SIGTERM and SIGKILL of an interrupted step (3 s). */
  killAfterMs?: number
  /** Rollback is wired for this run: the failure prompt may offer it. */
  canRollback?: boolean
  /** `--answer PATTERN=VALUE`: typed at any matching prompt of any step. */
  answers?: CliAnswer[]
  /** Where roles run other than on this machine (`--host`, `--inventory`). */
  destinations?: Destination[]
  /** The run's targets, when the caller made them (rollback's hooks share them); else made from `destinations`. */
  targets?: Targets
}

type Outcome = 'done' | 'failed' | 'aborted' | 'interrupted'

export function secretNamesOf(plan: Plan): Set<string> {
  return new Set(plan.parameters.filter((p) => isSecretName(p.name, p.secret)).map((p) => p.name))
}

export function maskerFor(plan: Plan, values: Record<string, string>, answers: CliAnswer[] = []): Masker {
  const secrets = plan.parameters.filter((p) => isSecretName(p.name, p.secret))
  // Answers whose prompt names a credential are secrets too, even when typed as a literal.
  const secretAnswers = answersByStep(plan, values, answers).flat().filter((a) => a.secret).map((a) => a.value)
  return createMasker([...secrets.flatMap((p) => [values[p.name], values[p.raw]]), ...secretAnswers].filter((v): v is string => v !== undefined))
}

/** Each step's answers, values filled in (the page's for that step, then the flags'). */
export function answersByStep(plan: Plan, values: Record<string, string>, answers: CliAnswer[]): ResolvedAnswer[][] {
  const secretNames = secretNamesOf(plan)
  return plan.steps.map((step) => (step.answers?.length || answers.length ? resolveAnswers(step.answers ?? [], answers, values, secretNames) : []))
}


export async function runPlan(opts: RunOptions): Promise<RunResult> {
  const {plan, reporter} = opts
  const range = selectedRange(plan.steps, opts.from, opts.only)
  const secretNames = secretNamesOf(plan)
  const masker = maskerFor(plan, opts.values, opts.answers)
  let run: OpenRun
  try {
    run = openRun({plan, stateRoot: opts.stateRoot, runId: opts.runId, values: opts.values, secretNames, force: opts.force, target: opts.target})
  } catch (error) {
    throw runFolderError(error, opts.stateRoot, 'Nothing ran.', '', opts.runId ? 'resume the run' : 'run it again') ?? error
  }
  holdYoungGeneration()
  const interrupts = new Interrupts(opts.killAfterMs)
  interrupts.install()
  interrupts.onInterrupt(() => {
    const message = interrupts.count === 1 ? 'Stopping (Ctrl-C again to kill the step at once)…' : 'Killing the step.'
    reporter({type: 'notice', level: 'warning', message})
  })
  const targets = opts.targets ?? new Targets(opts.destinations)
  const execution = new Execution(opts, run, masker, interrupts, range, targets)
  try {
    return await execution.go()
  } catch (error) {
    throw await execution.failed(error)
  } finally {
    execution.shells.close()
    await targets.close()
    await execution.settle()
    interrupts.uninstall()
    run.lock.release()
  }
}

class Execution {
  private readonly state: RunState
  private readonly started = Date.now()
  private readonly forced: boolean
  private readonly resumeCommand: string
  private readonly prelude = sudoPrelude()
  readonly shells = new ShellPool()
  private rollbackRequested = false
  /** The index of the step run last. */
  private current: number | undefined
  private readonly writer: StateWriter
  /** The same object for every step: the run's shell is found by it. */
  private readonly stepEnv: Record<string, string>
  private readonly answers: ResolvedAnswer[][]
  private readonly routing: HostRouting

  constructor(
    private readonly opts: RunOptions,
    private readonly run: OpenRun,
    private readonly masker: Masker,
    private readonly interrupts: Interrupts,
    private readonly range: {first: number; last: number},
    targets: Targets,
  ) {
    this.state = run.state
    const hosts = runHosts(opts.plan, opts.destinations ?? [])
    if (hosts) this.state.hosts = hosts
    this.routing = new HostRouting(targets, opts.allHosts ?? false)
    this.writer = new StateWriter(run.paths.state, run.state)
    const {paths} = run
    this.stepEnv = {RUNBOOK_RUN_ID: this.state.runId, RUNBOOK_RUN_DIR: paths.dir, RUNBOOK_WORK_DIR: paths.work, ...opts.env}
    // --from / --only name steps to run again even when an earlier attempt did them.
    this.forced = opts.from !== undefined || opts.only !== undefined
    this.resumeCommand = opts.resumeCommand(this.state.runId)
    this.answers = answersByStep(opts.plan, opts.values, opts.answers ?? [])
  }

  private emit: Reporter = (event) => this.opts.reporter(event)

  /** `later`: a change a quick step need not write on its own (see StateWriter). */
  private save(later = false): void {
    this.writer.save(later)
  }

  /**
   * An error thrown out of the run (the run folder could not be written, most
   * often): the state is recorded as failed where the disk still takes it,
   * and a folder problem becomes one paragraph naming the folder.
   */
  async failed(error: unknown): Promise<unknown> {
    await this.writer.flush().catch(() => {})
    const step = this.state.steps.find((s) => s.status === 'running') ?? (this.current === undefined ? undefined : this.state.steps[this.current])
    if (step?.status === 'running') {
      step.status = 'failed'
      step.endedAt = new Date().toISOString()
      step.error = (error as Error).message
      delete step.group
    }
    this.state.status = 'failed'
    let note = ' The run is recorded as failed.'
    try {
      saveStateLastResort(this.run.paths.state, this.state)
    } catch {
      note = ` Its state could not be recorded either: ${this.run.paths.state} still says it is running, and a resume runs ${step ? `step ${step.number} ` : 'the step '}again from its start.`
    }
    const where = !step ? 'The run stopped.' : `The run stopped ${step.status === 'failed' || step.status === 'interrupted' ? 'at' : 'after'} step ${step.number} (${step.title}).`
    return runFolderError(error, this.run.paths.dir, where, note) ?? error
  }

  /** After an error thrown out of the run: the last checkpoint write ends before the lock goes (its own error was already thrown or is moot). */
  async settle(): Promise<void> {
    await this.writer.flush().catch(() => {})
  }

  private willRun(i: number): boolean {
    const st = this.state.steps[i]!
    if (i < this.range.first || i > this.range.last) return false
    if ((st.status === 'done' || (st.status === 'skipped' && st.skipReason === 'user')) && !this.forced) return false
    return !this.routing.runsNowhere(this.opts.plan.steps[i]!)
  }

  async go(): Promise<RunResult> {
    const {plan} = this.opts
    const steps = plan.steps
    for (const st of this.run.changed) {
      const i = steps.findIndex((s) => s.id === st.id)
      const runs = this.willRun(i)
      const what = runs ? 'it runs as the page has it now' : `it stays ${st.status} as it ran${st.status === 'done' ? ' (--force)' : ''}`
      this.emit({type: 'notice', level: runs ? 'info' : 'warning', message: `Step ${steps[i]!.number} (${steps[i]!.title}) changed since it ran: ${what}.`})
    }
    if (this.run.lock.tookOver) {
      const t = this.run.lock.tookOver
      this.emit({type: 'notice', level: 'warning', message: `Took over a stale lock of run ${this.state.runId} (process ${t.pid} on ${t.hostname}, started ${t.startedAt}, is gone).`})
    }
    for (const [i, st] of this.state.steps.entries()) if (st.group) await this.stopLeftover(steps[i] ?? {number: st.number, title: st.title}, st)
    const toRun = steps.filter((_, i) => this.willRun(i))
    const startIndex = steps.findIndex((_, i) => this.willRun(i))
    this.emit({type: 'run-start', runId: this.state.runId, plan, runDir: this.run.paths.dir, resumed: this.run.resumed, startIndex: startIndex === -1 ? steps.length : startIndex})
    try {
      await ensureSudo(toRun, this.opts.interaction)
    } catch (error) {
      return this.end('failed', (error as Error).message)
    }
    await this.opts.hooks?.beforeRun?.(toRun)

    for (let i = 0; i < steps.length; i++) {
      if (this.interrupts.interrupted) return this.end('interrupted')
      const step = steps[i]!
      const st = this.state.steps[i]!
      if (i < this.range.first || i > this.range.last) {
        this.skipped(step, i, 'filter', false)
        continue
      }
      if (st.status === 'done' && !this.forced) {
        this.skipped(step, i, 'done-before', false)
        continue
      }
      // A step the person chose to skip stays skipped when the run resumes.
      if (st.status === 'skipped' && st.skipReason === 'user' && !this.forced) {
        this.skipped(step, i, 'user', false)
        continue
      }
      if (this.routing.runsNowhere(step)) {
        this.skipped(step, i, 'other-host', true)
        continue
      }
      if (this.opts.step) {
        const choice = await this.interrupts.race(this.opts.interaction.confirmStep(step, i))
        if (choice === INTERRUPTED) return this.end('interrupted')
        if (choice === 'quit') return this.end('aborted')
        if (choice === 'skip') {
          this.skipped(step, i, 'user', true)
          continue
        }
      }
      const rerun = this.run.resumed && (st.status === 'failed' || st.status === 'interrupted' || st.status === 'running')
      if (rerun) this.emit({type: 'notice', level: 'info', message: `Re-running step ${step.number} from its start.`})
      for (;;) {
        const result = await this.runStep(step, i, rerun)
        if (result.ok) break
        if (result.interrupted) return this.end('interrupted')
        if (result.stop) return this.end('failed')
        const choice = await this.interrupts.race(this.opts.interaction.onFailure(step, result.error, join(this.run.paths.dir, st.log!), {canRollback: this.opts.canRollback ?? false}))
        if (choice === INTERRUPTED) return this.end('interrupted')
        if (choice === 'retry') continue
        if (choice === 'skip') {
          this.skipped(step, i, 'user', true)
          break
        }
        if (choice === 'rollback') this.rollbackRequested = true
        return this.end('failed')
      }
    }
    return this.end('done')
  }

  /** What a killed runner left of this step still runs: stop it before the step runs again beside it. */
  private async stopLeftover(step: Pick<PlannedStep, 'number' | 'title'>, st: StepState): Promise<void> {
    const group = st.group!
    const alive = groupMembers(group)
    if (alive.length > 0) {
      this.emit({type: 'notice', level: 'warning', message: `Step ${step.number} of the killed run is still running (process group ${group.pgid}: ${alive.join(', ')}): stopping it before the step runs again.`})
      await stopLeftoverGroup(group)
    }
    delete st.group
  }

  private skipped(step: PlannedStep, index: number, reason: SkipReason, record: boolean): void {
    if (record) {
      const st = this.state.steps[index]!
      st.status = 'skipped'
      st.skipReason = reason
      this.save()
    }
    this.emit({type: 'step-end', step, index, status: 'skipped', skipReason: reason, durationMs: 0})
  }

  private async runStep(step: PlannedStep, index: number, rerun: boolean): Promise<ActionOutcome> {
    const {paths} = this.run
    const st = this.state.steps[index]!
    resetForAttempt(st)
    this.current = index
    st.status = 'running'
    st.attempts++
    st.startedAt = new Date().toISOString()
    st.log = stepLogName(step.number, step.id)
    const roles = this.routing.rolesOf(step)
    if (roles.some((r) => r !== 'local') || this.state.hosts) st.hosts = roles
    this.save(true)
    // The step's group goes into the state once it exists (within DEFER_MS): a resume after a kill -9 stops what is left of it.
    this.interrupts.onChild = (pid, group) => {
      const found = group ? groupOf(pid) : undefined
      if (!found) return
      st.group = found
      try {
        this.save(true)
      } catch {
        // The run folder failed earlier: the step's end stops the run on it (a throw here would land in the process's start).
      }
    }
    // Made by whoever writes there first (the rollback hooks, a file-content backup): most steps leave none.
    const journal = journalDir(paths, step.id)
    await this.opts.hooks?.beforeStep?.(step, journal)
    const host = this.routing.label(step)
    this.emit({type: 'step-start', step, index, total: this.opts.plan.steps.length, attempt: st.attempts, rerun, ...(host ? {host} : {})})
    const log = new StepLog(join(paths.dir, st.log))
    log.write(`# step ${step.number}: ${step.title} (attempt ${st.attempts}, ${st.startedAt}${host ? `, on ${host}` : ''})\n`)
    const ctx: ActionContext = {
      plan: this.opts.plan,
      step,
      values: this.opts.values,
      masker: this.masker,
      workDir: paths.work,
      journalDir: journal,
      log,
      reporter: this.emit,
      interaction: this.opts.interaction,
      interrupts: this.interrupts,
      yes: this.opts.yes ?? false,
      prelude: this.prelude,
      env: this.stepEnv,
      shells: this.shells,
      resumeCommand: this.resumeCommand,
      answers: this.answers[index] ?? [],
      runId: this.state.runId,
      rerun,
    }
    let result: ActionOutcome = {ok: true}
    /** The run folder failed (the step's log, then maybe its checkpoint): the run stops on it once the step's end is reported. */
    let folderFailure: {error: unknown} | undefined
    try {
      for (const [ai, action] of step.actions.entries()) {
        const target = this.routing.targetOf(action)
        if (!target) {
          this.emit({type: 'notice', level: 'info', message: this.routing.skippedAction(step, action)})
          continue
        }
        result = await runAction({...ctx, target}, action, ai)
        if (!result.ok) break
        if (this.interrupts.interrupted) {
          result = {ok: false, interrupted: true, error: 'interrupted'}
          break
        }
      }
    } catch (error) {
      result = {ok: false, stop: true, error: this.masker.mask((error as Error).message)}
    } finally {
      try {
        await log.close()
      } catch (error) {
        // The step's log could not be written (the step itself ran): the run stops here, on the run folder's error (see below).
        result = {ok: false, stop: true, error: (error as Error).message}
        folderFailure = {error}
      }
    }
    const status: StepStatus = result.ok ? 'done' : result.interrupted ? 'interrupted' : 'failed'
    st.status = status
    delete st.group
    st.endedAt = new Date().toISOString()
    if (!result.ok) {
      if (result.exitCode !== undefined) st.exitCode = result.exitCode
      if (result.signal) st.signal = result.signal
      st.error = result.error
    }
    // The run folder may fail here too (a full disk): the step's end is reported first, then the run stops on the first such error.
    try {
      this.save()
      await this.opts.hooks?.afterStep?.(step, journal, status)
    } catch (error) {
      folderFailure ??= {error}
    }
    this.emit({
      type: 'step-end',
      step,
      index,
      status,
      durationMs: Date.parse(st.endedAt) - Date.parse(st.startedAt),
      logFile: join(paths.dir, st.log),
      ...(result.ok ? {} : {error: result.error}),
      ...(!result.ok && result.exitCode !== undefined ? {exitCode: result.exitCode} : {}),
      ...(!result.ok && result.tail?.length ? {outputTail: result.tail} : {}),
      ...(status === 'failed' && step.troubleshooting && step.actions.some((a) => a.kind === 'check') ? {troubleshooting: step.troubleshooting} : {}),
    })
    if (folderFailure) throw folderFailure.error
    return result
  }

  private async end(outcome: Outcome, error?: string): Promise<RunResult> {
    const {paths} = this.run
    const counts: Record<StepStatus, number> = {pending: 0, running: 0, done: 0, failed: 0, skipped: 0, interrupted: 0}
    for (const st of this.state.steps) counts[st.status]++
    this.state.status = outcome === 'done' && counts.pending > 0 ? 'partial' : outcome
    this.save()
    await this.writer.flush()
    if (error) this.emit({type: 'notice', level: 'warning', message: error})
    this.emit({
      type: 'run-end',
      status: outcome,
      counts,
      durationMs: Date.now() - this.started,
      runDir: paths.dir,
      ...(this.state.status === 'done' ? {} : {resumeCommand: this.resumeCommand}),
    })
    const exitCode: ExitCode = outcome === 'done' ? 0 : outcome === 'interrupted' ? 130 : 1
    return {exitCode, runId: this.state.runId, runDir: paths.dir, ...(this.rollbackRequested ? {rollbackRequested: true} : {})}
  }
}

function resetForAttempt(st: StepState): void {
  delete st.group
  delete st.exitCode
  delete st.signal
  delete st.endedAt
  delete st.error
  delete st.skipReason
}
