/**
 * sudo in guides written for non-root users. As root where sudo is missing
 * (containers), a shell function stands in for it and runs the command as
 * written; as non-root, the credentials are asked once, up front.
 */
import {accessSync, constants} from 'node:fs'
import {delimiter, join} from 'node:path'
import {loadExeca} from './lazy-execa.js'
import type {Interaction} from './events.js'
import type {PlannedStep} from '../resolve/types.js'
import {RunbookError} from '../errors.js'

/** `sudo` in command position: line start, after `| && || ; ( $(`, `then`, `do`, `!`… */
const SUDO_IN_COMMAND = /(?:^|[\n;&|(`]|\$\()\s*(?:(?:then|do|else|!)\s+)*sudo(?=\s|$)/

export function usesSudo(script: string): boolean {
  return SUDO_IN_COMMAND.test(script)
}

export function isRoot(): boolean {
  return process.getuid?.() === 0
}

export function hasCommand(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    try {
      accessSync(join(dir, name), constants.X_OK)
      return true
    } catch {
      // not here
    }
  }
  return false
}

/**
 * Stands in for sudo as root: drops sudo's options and runs the rest. `-u` for
 * another user cannot be honoured without sudo and fails the step instead.
 * Exported so that `bash -c 'sudo …'` in a step finds it too.
 */
export const SUDO_SHIM = `sudo() {
  while [ $# -gt 0 ]; do
    case $1 in
      -u|--user) if [ "$2" = root ] || [ "$2" = 0 ]; then shift 2; else echo "runbook: 'sudo $*' needs sudo, which is not installed here" >&2; return 1; fi ;;
      -g|--group|-C|-D|-h|-p|-r|-t|-T|-U) shift 2 ;;
      --) shift; break ;;
      -*) shift ;;
      *) break ;;
    esac
  done
  [ $# -gt 0 ] || return 0
  "$@" || return
}
export -f sudo
`

/** What to put before every script: the shim when root has no sudo, else nothing. */
export function sudoPrelude(root = isRoot(), sudoInstalled = hasCommand('sudo')): string {
  return root && !sudoInstalled ? SUDO_SHIM : ''
}

export function stepUsesSudo(step: PlannedStep): boolean {
  return step.actions.some((a) => (a.kind === 'exec' || a.kind === 'check' || a.kind === 'edit') && (a.sudo || usesSudo(a.script)))
}

/**
 * As non-root, before the first step: `sudo -v` at the terminal, or without one
 * `sudo -n true` (passwordless sudo), else an error saying what to do.
 */
export async function ensureSudo(steps: PlannedStep[], interaction: Interaction): Promise<void> {
  if (isRoot()) return
  const needing = steps.filter(stepUsesSudo)
  if (needing.length === 0) return
  const list = needing.length === 1 ? `Step ${needing[0]!.number} uses` : `Steps ${needing.map((s) => s.number).join(', ')} use`
  if (!hasCommand('sudo')) {
    throw new RunbookError(`${list} sudo, which is not installed. Run runbook as root, or install and configure sudo.`, 1)
  }
  const execa = await loadExeca()
  const cached = await execa('sudo', ['-n', 'true'], {reject: false, stdin: 'ignore'})
  if (cached.exitCode === 0) return
  if (!interaction.withTerminal) {
    throw new RunbookError(`${list} sudo, and there is no terminal to ask for its password. Run runbook as root, or configure passwordless sudo for this user.`, 1)
  }
  const code = await interaction.withTerminal(async () => (await execa('sudo', ['-v'], {stdio: 'inherit', reject: false})).exitCode)
  if (code !== 0) throw new RunbookError(`sudo -v failed (exit ${code}). ${list} sudo: run runbook as root, or check your sudo rights.`, 1)
}
