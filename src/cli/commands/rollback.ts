/**
 * `runbook rollback <run-id>`: undo what a run changed, newest step first.
 */
import {createInterface} from 'node:readline/promises'
import {UsageError} from '../../errors.js'
import {parseCommandArgs} from '../args.js'
import {describeAction, findRunDir, planRollback, runRollback, type RollbackEvent} from '../../execute/rollback/index.js'
import {stateRoot} from '../../execute/paths.js'
import {takeParameterVariables} from '../param-values.js'
import {visibleDeep} from '../../ui/sanitize.js'

const help = `usage: runbook rollback <run-id> [options]

Undo what a run changed, newest step first: restore the files it wrote,
remove the packages it installed, put services back as they were. Stops
before a step it cannot undo and lists what to undo there by hand.

options:
  --to STEP          stop after undoing STEP (an id or a number); earlier steps stay
  --dry-run          print the undo plan, change nothing
  --yes              do not ask for confirmation (needed without a terminal)
  --force            also undo paths that changed since the run (an edited file is
                     overwritten, files written since into a folder the run made are
                     deleted); without it rollback stops before such a step and lists them
  --state-dir DIR    where runs are kept (default $XDG_STATE_HOME/runbook)
  --no-color         plain output
  --debug            stack traces on errors

An interrupted rollback continues where it stopped when run again.`

export async function rollback(argv: string[]): Promise<number> {
  // Undo commands (apt, systemctl, a page's own undo) inherit no parameter value either.
  takeParameterVariables()
  const {values, positionals} = parseCommandArgs('rollback', argv, {
    to: {type: 'string'},
    'dry-run': {type: 'boolean'},
    yes: {type: 'boolean', short: 'y'},
    'state-dir': {type: 'string'},
    force: {type: 'boolean'},
  })
  if (values.help) {
    process.stdout.write(help + '\n')
    return 0
  }
  const [runId, ...extra] = positionals
  if (!runId) throw new UsageError(`runbook rollback: which run? Give its id (see 'runbook runs'), e.g. runbook rollback 20240101-120000-ab12.`)
  if (extra.length) throw new UsageError(`runbook rollback: one run at a time; unexpected '${extra[0]}'.`)
  const color = !values['no-color'] && process.stdout.isTTY === true && !process.env.NO_COLOR
  const runDir = await findRunDir(stateRoot(values['state-dir']), runId)
  const plan = await planRollback(runDir, values.to === undefined ? {} : {to: values.to})
  const dryRun = values['dry-run'] === true
  const yes = values.yes === true || dryRun || (await askFirst(plan, color))
  if (!yes) return 0
  const result = await runRollback(plan, {dryRun, yes, force: values.force === true, reporter: lineReporter(color)})
  return result.exitCode
}

/**
 * Undo a run right after it failed, when the person chose Roll back in the
 * failure menu: the same plan and the same question as `runbook rollback`.
 * Undefined when they said no (nothing changed).
 */
export async function rollbackAfterFailure(runDir: string, color: boolean): Promise<number | undefined> {
  const plan = await planRollback(runDir, {})
  if (!(await askFirst(plan, color))) return undefined
  const result = await runRollback(plan, {dryRun: false, yes: true, reporter: lineReporter(color)})
  return result.exitCode
}

/** Shows the undo plan and asks; true to go on. Nothing to undo needs no question. */
async function askFirst(plan: Awaited<ReturnType<typeof planRollback>>, color: boolean): Promise<boolean> {
  if (!plan.steps.length && !plan.blocked) return true
  if (!process.stdin.isTTY) throw new UsageError(`runbook rollback ${plan.runId}: no terminal to confirm on; pass --yes to roll the run back (or --dry-run to see the plan).`)
  printPlan(plan, color)
  if (await confirm(`Roll back ${plan.steps.length} step(s) of run ${plan.runId}? [y/N] `)) return true
  process.stdout.write('Nothing was changed.\n')
  return false
}

function printPlan(plan: Awaited<ReturnType<typeof planRollback>>, color: boolean): void {
  const report = lineReporter(color)
  report({type: 'start', plan, dryRun: true})
  for (const step of plan.steps) report({type: 'step', step})
  if (plan.blocked) report({type: 'blocked', blocked: plan.blocked})
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({input: process.stdin, output: process.stdout})
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim())
  } finally {
    rl.close()
  }
}

function lineReporter(color: boolean): (e: RollbackEvent) => void {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text)
  const out = (line: string) => process.stdout.write(line + '\n')
  let dryRun = false
  return (raw) => {
    // Titles, paths and commands come from the page and the system: shown with control characters visible.
    const e = visibleDeep(raw)
    switch (e.type) {
      case 'start':
        dryRun = e.dryRun
        out(`${dryRun ? 'Undo plan for' : 'Rolling back'} run ${e.plan.runId}${e.plan.runbook?.title ? ` (${e.plan.runbook.title})` : ''}${e.plan.resumed ? ', continuing an interrupted rollback' : ''}:`)
        if (!e.plan.steps.length && !e.plan.blocked) out('  nothing to undo.')
        break
      case 'step':
        out(paint('1', `step ${e.step.number}: ${e.step.title}`) + (e.step.declared ? ' (undo declared by the page)' : ''))
        if (dryRun) for (const a of e.step.actions) out(`  - ${describeAction(a)}`)
        if (!e.step.actions.length && dryRun) out('  - nothing changed')
        break
      case 'action':
        if (e.state === 'done') out(`  ${paint('32', 'ok')} ${describeAction(e.action)}`)
        else if (e.state === 'already-done') out(`  ${paint('2', 'done before')} ${describeAction(e.action)}`)
        else if (e.state === 'unverified') out(`  ${paint('31', 'NOT VERIFIED')} ${describeAction(e.action)}`)
        break
      case 'blocked':
        out(paint('33', `Rollback stops before step ${e.blocked.number}: ${e.blocked.title}. It cannot be undone automatically; undo by hand:`))
        for (const m of e.blocked.manual) out(`  - ${m}`)
        out('The steps before it were left as they are.')
        break
      case 'unverified':
        out(paint('31', `Rollback incomplete: ${e.paths.length === 1 ? 'this path does' : 'these paths do'} not match what was recorded before the run, after restoring:`))
        for (const p of e.paths) out(`  - ${p}`)
        out('Check and restore them by hand.')
        break
      case 'end':
        if (e.status === 'done') out(paint('32', 'Rollback complete.'))
        break
    }
  }
}
