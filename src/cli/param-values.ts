/**
 * Where a run's parameter values come from besides the page: `--set NAME=VALUE`,
 * `--set NAME=-` (standard input), `--set-file NAME=PATH`, and `RUNBOOK_<NAME>`
 * variables. The variables are taken out of this process's environment before
 * anything is started, so that no step, shell or helper process inherits them:
 * steps get values only by substitution.
 */
import {readFileSync, statSync} from 'node:fs'
import {UsageError} from '../errors.js'
import {parseAssignments} from './args.js'

/** Engine-set variables that steps are meant to see; every other `RUNBOOK_*` is the user's. */
const ENGINE_VARIABLES = new Set(['RUNBOOK_RUN_ID', 'RUNBOOK_RUN_DIR', 'RUNBOOK_WORK_DIR'])

/**
 * The engine's own settings, not parameters (never secrets): the ssh_config file for other hosts, and
 * the switch that turns the caches off (cache.ts reads it after the parameters are taken).
 */
const SETTINGS = new Set(['RUNBOOK_SSH_CONFIG', 'RUNBOOK_NO_CACHE'])

/**
 * A copy of the `RUNBOOK_*` variables, removed from `env` (by default this
 * process's): every process started afterwards gets an environment without them.
 * Node's `process.env` is what execa and spawn extend, so this one removal covers all.
 */
export function takeParameterVariables(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const taken: NodeJS.ProcessEnv = {}
  for (const name of Object.keys(env)) {
    if (!name.startsWith('RUNBOOK_') || ENGINE_VARIABLES.has(name) || SETTINGS.has(name)) continue
    taken[name] = env[name]
    delete env[name]
  }
  return taken
}

/** A value read from a file or stdin, less one trailing line break (`echo` and editors add one). */
function trimNewline(text: string): string {
  return text.replace(/\r?\n$/, '')
}

export interface ValueFlags {
  set?: string[]
  setFile?: string[]
  /** Read for `--set NAME=-`; the process's stdin by default. */
  readStdin?: () => string
  stdinIsTTY?: boolean
}

/** `--set` and `--set-file` → values by the name given. `-` reads stdin once; a second `-` is refused. */
export function flagValues(flags: ValueFlags): Record<string, string> {
  const values = parseAssignments('--set', flags.set)
  const fromStdin = Object.keys(values).filter((name) => values[name] === '-')
  if (fromStdin.length > 1) {
    throw new UsageError(
      `--set ${fromStdin.map((n) => `${n}=-`).join(' and --set ')}: standard input can give one value only. Read the others from files with --set-file NAME=PATH.`,
    )
  }
  if (fromStdin.length === 1) {
    const name = fromStdin[0]!
    if (flags.stdinIsTTY ?? process.stdin.isTTY) {
      throw new UsageError(
        `--set ${name}=- reads the value from standard input, which is a terminal here. Pipe the value in (printf '%s' "$VALUE" | runbook run … --set ${name}=-), use --set-file ${name}=PATH, or leave the flag out to be asked for it.`,
      )
    }
    values[name] = trimNewline((flags.readStdin ?? (() => readFileSync(0, 'utf8')))())
  }
  for (const [name, path] of Object.entries(parseAssignments('--set-file', flags.setFile))) {
    if (Object.hasOwn(values, name)) throw new UsageError(`--set-file ${name}=${path}: ${name} is also given with --set. Give each value once.`)
    values[name] = readValueFile(name, path)
  }
  return values
}

function readValueFile(name: string, path: string): string {
  try {
    if (!statSync(path).isFile()) throw new UsageError(`--set-file ${name}=${path}: not a regular file. Give the path of a file that holds the value.`)
    return trimNewline(readFileSync(path, 'utf8'))
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : ((error as Error).message ?? String(error))
    throw new UsageError(`--set-file ${name}=${path}: ${why}. Give the path of a readable file that holds the value.`)
  }
}
