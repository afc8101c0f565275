/** `runbook log <run-id> [STEP]`: a run's step logs, in step order. */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseCommandArgs} from '../args.js'
import {isValidRunId, rawLogPath, runPaths, stateRoot} from '../../execute/paths.js'
import {loadState, type StepState} from '../../execute/state.js'
import {UsageError} from '../../errors.js'
import {visible} from '../../ui/sanitize.js'

const help = `usage: runbook log <run-id> [STEP] [--raw] [--state-dir DIR]

Prints the logs of a run's steps (or of one step: its number or id). A step
that ran on a terminal is logged as its screen showed it; --raw prints the
bytes it wrote instead (control sequences and all, secrets masked).
`

function pickStep(steps: StepState[], spec: string, runId: string): StepState {
  const found = /^\d+$/.test(spec) ? steps.filter((s) => s.number === Number(spec)) : steps.filter((s) => s.id === spec)
  const prefixed = found.length > 0 ? found : steps.filter((s) => s.id.startsWith(spec))
  if (prefixed.length === 1) return prefixed[0]!
  throw new UsageError(`Run ${runId} has ${prefixed.length === 0 ? 'no step' : 'more than one step matching'} '${spec}'. Its steps are: ${steps.map((s) => `${s.number} (${s.id})`).join(', ')}.`)
}

export async function log(argv: string[]): Promise<number> {
  const {values: flags, positionals} = parseCommandArgs('log', argv, {'state-dir': {type: 'string'}, raw: {type: 'boolean'}})
  if (flags.help) {
    process.stdout.write(help)
    return 0
  }
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError(`runbook log takes a run id and optionally a step. See 'runbook log --help'.`)
  const [id, spec] = positionals as [string, string | undefined]
  if (!isValidRunId(id)) throw new UsageError(`'${id}' is not a run id. 'runbook runs' lists them.`)
  const paths = runPaths(stateRoot(flags['state-dir'] as string | undefined), id)
  const state = loadState(paths.state)
  const steps = spec === undefined ? state.steps : [pickStep(state.steps, spec, id)]
  const withLogs = steps.filter((s) => s.log && existsSync(join(paths.dir, s.log)))
  if (spec !== undefined && withLogs.length === 0) {
    process.stderr.write(`Step ${steps[0]!.number} of run ${id} has no log: it has not run (${steps[0]!.status}).\n`)
    return 1
  }
  if (flags.raw) return printRaw(paths.dir, steps, id)
  for (const s of withLogs) {
    if (spec === undefined) process.stdout.write(visible(`==> ${s.log} (${s.status})\n`))
    // Logs hold step output as it came: shown with control characters visible.
    process.stdout.write(visible(readFileSync(join(paths.dir, s.log!), 'utf8')))
  }
  return 0
}

/** The raw streams of the steps that ran on a terminal (`NN-step.raw` beside `NN-step.log`). */
function printRaw(dir: string, steps: StepState[], id: string): number {
  const raw = steps.filter((s) => s.log && existsSync(join(dir, rawLogPath(s.log))))
  if (raw.length === 0) {
    const what =
      steps.length === 1
        ? `Step ${steps[0]!.number} of run ${id} did not run on a terminal, so it has no raw stream: its log ('runbook log ${id} ${steps[0]!.number}') is all of its output.`
        : `No step of run ${id} ran on a terminal, so there is no raw stream: the logs ('runbook log ${id}') are all of their output.`
    process.stderr.write(what + '\n')
    return 1
  }
  for (const s of raw) {
    if (steps.length > 1) process.stdout.write(`==> ${rawLogPath(s.log!)} (${s.status})\n`)
    process.stdout.write(readFileSync(join(dir, rawLogPath(s.log!))))
  }
  return 0
}
