/**
 * A real run: gather values, pick a reporter (the Ink app at a terminal, plain
 * lines otherwise), wire rollback's snapshots, and hand the plan to the
 * executor. Loaded only when something is going to run, so that the dry-run
 * never pays for execa or Ink.
 */
import {basename, dirname, join} from 'node:path'
import {loadPlan, type Loaded} from '../pipeline.js'
import {wantColor} from '../../ui/color.js'
import {createPlainInteraction, createPlainReporter} from '../../ui/plain.js'
import {runPlan} from '../../execute/executor.js'
import {stateRoot} from '../../execute/paths.js'
import type {RunState} from '../../execute/state.js'
import type {Interaction, Reporter} from '../../execute/events.js'
import {createRollbackHooks, defaultFilesOf, defaultScriptsOf} from '../../execute/rollback/hooks.js'
import {roleOf} from '../../execute/host-routing.js'
import {Targets, type SshTarget} from '../../execute/target/index.js'
import type {PlannedStep} from '../../resolve/types.js'
import {gatherValues, neededNames} from './run-values.js'
import {parseAnswerFlags} from '../args.js'
import {recordingReporter} from '../../report/record.js'
import {ENGINE_VERSION} from '../../version.js'
import {planRequest, resumeCommandFor, type Flags} from './run.js'
import {keepRunningWhenOutputCloses} from '../closed-output.js'
import {isPathTarget, resolveTarget} from '../target.js'
import {loadTui} from '../../ui/ink-env.js'

export async function execute(target: string, flags: Flags, recorded: RunState | undefined, byId = false): Promise<number> {
  // The steps go on when the reader of our output goes away: the logs and the state have it all.
  keepRunningWhenOutputCloses()
  const yes = Boolean(flags.yes)
  const stdinTTY = Boolean(process.stdin.isTTY)
  const color = wantColor(process.stdout, flags['no-color'] as boolean | undefined)
  const plain = createPlainInteraction({yes, input: process.stdin, output: process.stdout, isTTY: stdinTTY})
  // A page given by path is recorded (and its resume command printed) absolute: it resumes from any folder.
  if (!recorded && isPathTarget(target)) target = resolveTarget(target)
  const request = planRequest(target, flags, recorded)
  const answers = await parseAnswerFlags(flags.answer as string[] | undefined)
  const root = stateRoot(flags['state-dir'] as string | undefined)

  // The app starts first so that it asks for the procedure and the choices; without a
  // terminal nobody can answer, and the plan names the flag to pass instead.
  const running = {now: false}
  const ui = process.stdout.isTTY && stdinTTY && !flags['no-tui'] ? await startTui(target, color, running) : undefined
  let loaded: Loaded
  try {
    loaded = await loadPlan({...request, ask: ui?.interaction ?? (stdinTTY ? plain : undefined)})
  } catch (error) {
    await ui?.done()
    throw error
  }
  const {plan, known} = loaded
  for (const warning of plan.warnings) process.stderr.write(`runbook: warning: ${warning}\n`)
  // The evidence for `runbook report` is written beside whatever shows the run.
  const record = recordingReporter(ui?.reporter ?? createPlainReporter(process.stdout, {color}), ENGINE_VERSION)
  const reporter: Reporter = record.reporter
  const interaction: Interaction = ui?.interaction ?? plain
  let result
  try {
    const forced = flags.from !== undefined || flags.only !== undefined
    const doneBefore = new Set(recorded?.steps.filter((s) => s.status === 'done').map((s) => s.id) ?? [])
    const values = await gatherValues(plan, {
      known,
      recorded,
      needed: neededNames(plan, (i) => forced || !doneBefore.has(plan.steps[i]!.id), Boolean(flags['all-hosts'])),
      prompt: stdinTTY ? interaction.promptValue.bind(interaction) : undefined,
    })
    running.now = true
    const targets = new Targets(loaded.destinations)
    const allHosts = Boolean(flags['all-hosts'])
    // A command runs on its role's machine; with --all-hosts a role without one runs here.
    const remoteRole = (role: string) => targets.of(role)?.kind === 'ssh'
    const localPart = (step: PlannedStep): PlannedStep => ({...step, actions: step.actions.filter((a) => !remoteRole(roleOf(a)) && (allHosts || targets.of(roleOf(a))))})
    result = await runPlan({
      targets,
      plan,
      values,
      stateRoot: root,
      runId: recorded?.runId,
      reporter,
      interaction,
      yes,
      step: Boolean(flags.step),
      from: flags.from as string | undefined,
      only: flags.only as string | undefined,
      allHosts: Boolean(flags['all-hosts']),
      force: Boolean(flags.force),
      target: recorded?.target ?? target,
      resumeCommand: resumeCommandFor(recorded?.target ?? target, flags, byId),
      hooks: createRollbackHooks({
        scriptsOf: (step) => defaultScriptsOf(localPart(step)),
        filesOf: (step) => defaultFilesOf(localPart(step)),
        remoteOf: async (step, journalDir) => {
          const runId = basename(dirname(dirname(journalDir)))
          const roles = [...new Set(step.actions.map(roleOf).filter(remoteRole))]
          return Promise.all(roles.map(async (role) => {
            const target = targets.of(role) as SshTarget
            return {target, workDir: await target.absoluteWorkDir(runId), scripts: defaultScriptsOf({...step, actions: step.actions.filter((a) => roleOf(a) === role)})}
          }))
        },
        // Commands run in the run's work/ folder: relative paths there are what the step touches.
        cwd: (_step, journalDir) => join(journalDir, '..', '..', 'work'),
        rollbackOf: (step) => step.rollback ?? [],
      }),
      canRollback: true,
      answers,
      destinations: loaded.destinations,
    })
  } finally {
    await record.close()
    await ui?.done()
    if (loaded.destinations.length > 0) await (await import('../../execute/target/ssh.js')).closeSshTargets()
  }
  const untaken = plan.conditions.filter((condition) => !condition.included && condition.by !== 'asked' && condition.by !== 'recorded')
  if (untaken.length > 0) {
    process.stdout.write(`Skipped, as the page runs them only under a condition (include with --with SLUG or --with all):\n`)
    for (const condition of untaken) process.stdout.write(`  ${condition.slug}: ${condition.text}\n`)
  }
  if (!result.rollbackRequested) return result.exitCode
  const {rollbackAfterFailure} = await import('./rollback.js')
  const undone = await rollbackAfterFailure(result.runDir, color)
  return undone === undefined || undone === 0 ? result.exitCode : undone
}

/**
 * The Ink app, loaded only for a real run at a terminal. It holds the terminal
 * in raw mode, so its Ctrl-C keys reach the executor as SIGINT; before the run
 * starts, the app cancels its own prompts instead.
 */
async function startTui(title: string, color: boolean, running: {now: boolean}) {
  // Through loadTui: Ink must not load in its CI mode at a terminal (ink-env.ts).
  const {createTui} = await loadTui()
  const interrupt = () => {
    if (running.now) process.kill(process.pid, 'SIGINT')
  }
  return createTui({title, color, onInterrupt: interrupt, onAbort: interrupt})
}
