#!/usr/bin/env node
/**
 * Entry point. Commands are imported lazily so that `graph`, `plan` and the
 * dry-run never load Ink or React.
 */
import {RunbookError} from '../errors.js'
import {closeAll} from '../execute/target/cleanup.js'
import {guardOutput} from './closed-output.js'
import {visible} from '../ui/sanitize.js'
import {ENGINE_VERSION} from '../version.js'

type Command = (argv: string[]) => Promise<number>

const commands: Record<string, () => Promise<Command>> = {
  list: async () => (await import('./commands/list.js')).list,
  graph: async () => (await import('./commands/graph.js')).graph,
  plan: async () => (await import('./commands/plan.js')).plan,
  run: async () => (await import('./commands/run.js')).run,
  resume: async () => (await import('./commands/run.js')).resume,
  runs: async () => (await import('./commands/runs.js')).runs,
  log: async () => (await import('./commands/log.js')).log,
  rollback: async () => (await import('./commands/rollback.js')).rollback,
  lint: async () => (await import('./commands/lint.js')).lint,
  diff: async () => (await import('./commands/diff.js')).diff,
  report: async () => (await import('./commands/report.js')).report,
  export: async () => (await import('./commands/export.js')).exportCommand,
}

const usage = `usage: runbook <command> [options]

commands:
  list                          the runbooks in runbooks/, with their titles
  graph <name|path>             what the engine understood of a page (--json)
  run <name|path>               run a guide here (--dry-run prints the plan only)
  plan <name|path>              which tab each platform gets at each step (the matrix)
  resume <run-id>               continue a failed or interrupted run
  runs                          list runs
  log <run-id> [STEP]           print a run's logs
  rollback <run-id>             undo what a run changed
  lint <page|folder>...         for docs authors: findings (text, --json, --format sarif|github)
  diff <page-a> <page-b>        drift between two translations or versions of a guide
  report <run-id>               the evidence of a run: HTML, Markdown or JSON
  export <name|path> --to ansible|sh   a playbook for fleets, or a bash script

  help <command>                that command's options (also 'runbook <command> --help')
  version                       the version (also -V, --version)

'runbook <command> --help' shows a command's options.`

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  // `help COMMAND` is `COMMAND --help`.
  if (name === 'help' && rest[0] !== undefined && commands[rest[0]]) return (await commands[rest[0]]!())(['--help'])
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage + '\n')
    return name ? 0 : 2
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(ENGINE_VERSION + '\n')
    return 0
  }
  const load = commands[name]
  if (!load) {
    process.stderr.write(`runbook: unknown command '${visible(name)}'.\n\n${usage}\n`)
    return 2
  }
  try {
    return await (await load())(rest)
  } finally {
    // SSH masters a command opened (a remote platform, a run, a rollback) end with it.
    await closeAll()
  }
}

guardOutput()
const debug = process.argv.includes('--debug')
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof RunbookError && !debug) {
      // Messages quote page text (titles, labels, lines): shown with control characters visible.
      process.stderr.write(`runbook: ${visible(error.message)}\n`)
      process.exitCode = error.exitCode
      return
    }
    process.stderr.write(debug && error instanceof Error ? `${error.stack}\n` : `runbook: ${visible(String((error as Error)?.message ?? error))}\n(run again with --debug for the stack trace)\n`)
    process.exitCode = error instanceof RunbookError ? error.exitCode : 1
  },
)
