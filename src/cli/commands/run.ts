/**
 * `runbook run <name|path>` and `runbook resume <run-id>`: load the plan, gather
 * values, pick a reporter (the Ink app at a terminal, plain lines otherwise)
 * and run. The dry-run path never loads Ink.
 */
import {parseCommandArgs} from '../args.js'
import {flagValues, takeParameterVariables} from '../param-values.js'
import {loadPlan, type PlanRequest} from '../pipeline.js'
import {resolveTarget} from '../target.js'
import {wantColor} from '../../ui/color.js'
import type {RunState} from '../../execute/state.js'
import {quoteWord} from '../../resolve/quote.js'
import {UsageError} from '../../errors.js'
import {readHostFlags} from '../hosts.js'
import {resolve} from 'node:path'

const planOptions = {
  os: {type: 'string', multiple: true},
  arch: {type: 'string'},
  'os-release': {type: 'string', multiple: true},
  host: {type: 'string', multiple: true},
  inventory: {type: 'string'},
  procedure: {type: 'string'},
  choose: {type: 'string', multiple: true},
  with: {type: 'string', multiple: true},
  'include-path': {type: 'string', multiple: true},
} as const

const execOptions = {
  set: {type: 'string', multiple: true},
  'set-file': {type: 'string', multiple: true},
  answer: {type: 'string', multiple: true},
  'state-dir': {type: 'string'},
  from: {type: 'string'},
  only: {type: 'string'},
  step: {type: 'boolean'},
  yes: {type: 'boolean', short: 'y'},
  'all-hosts': {type: 'boolean'},
  force: {type: 'boolean'},
  'no-tui': {type: 'boolean'},
} as const

const runHelp = `usage: runbook run <name|path> [options]

  --dry-run              print the plan for this machine; run nothing (--json for data)
  --os ID[:VER] --arch A --os-release FILE   plan for another platform
  --host ROLE=[USER@]HOST[:PORT]   run that role's steps there over SSH (repeatable)
  --inventory FILE       roles → hosts, users, ports, become (YAML or INI)
  --os ROLE=ID[:VER] --os-release ROLE=FILE   plan another host's steps for its system
  --procedure TEXT       which procedure of the page
  --choose LABEL         answer a choice between tabs (repeatable)
  --with SLUG|all        also run the blocks the page puts under a condition or offers (repeatable)
  --set NAME=VALUE       a placeholder value (repeatable; or RUNBOOK_<NAME>=VALUE)
  --set NAME=-           read that value from standard input (one name only)
  --set-file NAME=PATH   read that value from a file (one trailing newline dropped)
                         A value given with --set is in the command line, which every
                         user of the machine can read with ps: pass secrets with
                         --set-file, --set NAME=- or RUNBOOK_<NAME>, or let the run ask.
  --answer 'PATTERN=VALUE'  type VALUE (then Enter) when a step waits at a prompt showing
                         PATTERN (text, any case, or /a regex/; repeatable). Shows in ps
                         too: for a secret, declare the answer in the page (:::answers,
                         "API token=<TOKEN>") and give TOKEN as above.
  --include-path DIR     where snippets are looked up (repeatable)
  --state-dir DIR        where runs are kept (default ~/.local/state/runbook)
  --resume               continue the latest unfinished run of this runbook
  --from STEP / --only STEP   start at / run just one step (number or id)
  --step                 confirm each step
  --yes                  confirm manual steps; without a terminal, an edit is done only by the
                         settings block that follows it (else the step stops and says so)
  --all-hosts            also run steps meant for other servers
  --force                resume even though done steps changed in the page
  --no-tui --no-color --debug
`

const resumeHelp = `usage: runbook resume <run-id> [--state-dir DIR] [--set NAME=VALUE]... [--set-file NAME=PATH]...
                      [--answer PATTERN=VALUE]... [--yes] [--step] [--from STEP] [--only STEP] [--all-hosts]
                      [--force] [--no-tui] [--no-color]

--set and --answer show in ps to every user: give secrets with --set-file, --set NAME=- (stdin)
or RUNBOOK_<NAME>, or let the run ask.

Continues a failed or interrupted run: done steps are not run again, the step
that stopped runs again from its start. 'runbook runs' lists the runs.
`

export type Flags = Record<string, string | boolean | string[] | undefined>

/** The `RUNBOOK_<NAME>` values, taken out of the environment once, before any process starts. */
let parameterEnv: NodeJS.ProcessEnv | undefined
function parameterVariables(): NodeJS.ProcessEnv {
  return (parameterEnv ??= takeParameterVariables())
}

export async function run(argv: string[]): Promise<number> {
  parameterVariables()
  const {values: flags, positionals} = parseCommandArgs('run', argv, {
    ...planOptions,
    ...execOptions,
    'dry-run': {type: 'boolean'},
    json: {type: 'boolean'},
    resume: {type: 'boolean'},
  })
  if (flags.help) {
    process.stdout.write(runHelp)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`runbook run takes one runbook name or path, got ${positionals.length}. See 'runbook run --help'.`)
  const target = positionals[0]!
  const color = wantColor(process.stdout, flags['no-color'] as boolean | undefined)
  if (flags['dry-run']) {
    const loaded = await loadPlan({...planRequest(target, flags), dryRun: true})
    if (loaded.destinations.length > 0) await (await import('../../execute/target/ssh.js')).closeSshTargets()
    const [{effectNotes}, {printDryRun}] = await Promise.all([import('../effect-notes.js'), import('../../ui/dry-run.js')])
    const notes = await effectNotes(loaded.plan.steps.flatMap((step) => step.actions))
    for (const warning of loaded.plan.warnings) process.stderr.write(`runbook: warning: ${warning}\n`)
    printDryRun(loaded, {json: Boolean(flags.json), color, out: process.stdout, notes})
    return 0
  }
  if (flags.json) throw new UsageError('--json goes with --dry-run: a real run reports as it goes. Drop --json, or add --dry-run.')
  let recorded: RunState | undefined
  if (flags.resume) {
    // Runs and their state are read only here and in `resume`: a dry-run never loads them.
    const [{stateRoot}, {latestUnfinished}] = await Promise.all([import('../../execute/paths.js'), import('../../execute/runs.js')])
    const root = stateRoot(flags['state-dir'] as string | undefined)
    recorded = latestUnfinished(root, target, resolveTarget(target))
    if (!recorded) throw new UsageError(`No unfinished run of ${target} in ${root}. 'runbook runs' lists the runs; run it without --resume to start one.`)
  }
  const {execute} = await import('./run-exec.js')
  return execute(target, flags, recorded)
}

export async function resume(argv: string[]): Promise<number> {
  parameterVariables()
  const {values: flags, positionals} = parseCommandArgs('resume', argv, {...execOptions, 'include-path': planOptions['include-path']})
  if (flags.help) {
    process.stdout.write(resumeHelp)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`runbook resume takes one run id, got ${positionals.length}. 'runbook runs' lists them.`)
  const id = positionals[0]!
  const [{isValidRunId, runPaths, stateRoot}, {loadState}] = await Promise.all([import('../../execute/paths.js'), import('../../execute/state.js')])
  if (!isValidRunId(id)) throw new UsageError(`'${id}' is not a run id. 'runbook runs' lists them.`)
  const root = stateRoot(flags['state-dir'] as string | undefined)
  const recorded = loadState(runPaths(root, id).state)
  // A runbook name loads from runbooks/; a path typed then may be relative to another folder, so use the absolute one.
  const named = recorded.target !== undefined && !/\/|\.md$/.test(recorded.target)
  const {execute} = await import('./run-exec.js')
  return execute(named ? recorded.target! : recorded.runbook.file, flags, recorded, true)
}

export function planRequest(target: string, flags: Flags, recorded?: RunState): PlanRequest {
  const hosts = readHostFlags({host: flags.host as string[] | undefined, inventory: flags.inventory as string | undefined, os: flags.os as string[] | undefined, 'os-release': flags['os-release'] as string[] | undefined})
  if (recorded?.hosts) {
    // A resume goes to the machines the run started on, and plans each for the system it had then.
    for (const h of recorded.hosts) {
      if (h.destination && !hosts.destinations.some((d) => d.role === h.role)) hosts.destinations.push(h.destination)
      const given = /^--os(-release)? (?:[a-z][\w-]*=)?(.+)$/.exec(h.platformSource ?? '')
      if (given && h.role !== 'local' && hosts.os[h.role] === undefined && hosts.osRelease[h.role] === undefined) (given[1] ? hosts.osRelease : hosts.os)[h.role] = given[2]!
    }
  }
  const request: PlanRequest = {
    target,
    includePaths: (flags['include-path'] as string[] | undefined) ?? [],
    os: hosts.os.local,
    arch: flags.arch as string | undefined,
    osRelease: hosts.osRelease.local,
    hosts,
    procedure: flags.procedure as string | undefined,
    choose: (flags.choose as string[] | undefined) ?? [],
    with: (flags.with as string[] | undefined) ?? [],
    set: flagValues({set: flags.set as string[] | undefined, setFile: flags['set-file'] as string[] | undefined}),
    env: parameterVariables(),
  }
  if (recorded) {
    // The run continues on the platform, procedure and choices it started with.
    const source = recorded.platform.source
    if (request.os === undefined && request.osRelease === undefined) {
      if (source.startsWith('--os ')) request.os = source.slice(5)
      else if (source.startsWith('--os-release ')) request.osRelease = source.slice(13)
    }
    if (request.arch === undefined && recorded.platform.archSource === '--arch') request.arch = recorded.platform.arch
    request.procedure ??= recorded.procedure.id
    request.answered = {...recorded.choices}
    request.answeredConditions = {...(recorded.conditions ?? {})}
  }
  return request
}

export function resumeCommandFor(target: string, flags: Flags, byId: boolean): (runId: string) => string {
  const q = (s: string) => (/^[\w./:=@%+-]+$/.test(s) ? s : quoteWord(s))
  const extra: string[] = []
  // Folders absolute, like the page: the command works from any folder.
  if (flags['state-dir']) extra.push('--state-dir', q(resolve(flags['state-dir'] as string)))
  for (const dir of (flags['include-path'] as string[] | undefined) ?? []) extra.push('--include-path', q(resolve(dir)))
  if (flags['all-hosts']) extra.push('--all-hosts')
  if (flags.inventory) extra.push('--inventory', q(flags.inventory as string))
  return (runId) => (byId ? ['runbook', 'resume', runId, ...extra] : ['runbook', 'run', q(target), '--resume', ...extra]).join(' ')
}
