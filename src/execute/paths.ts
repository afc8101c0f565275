/**
 * Where runs live: `$XDG_STATE_HOME/runbook/runs/<id>/` (or `--state-dir DIR/runs/<id>/`),
 * and how a run folder is laid out.
 */
import {homedir} from 'node:os'
import {basename, join, resolve} from 'node:path'
import {randomBytes} from 'node:crypto'

/** The `…/runbook` root: `--state-dir`, else `$XDG_STATE_HOME/runbook`, else `~/.local/state/runbook`. */
export function stateRoot(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag)
  const xdg = env.XDG_STATE_HOME
  // The XDG spec says a relative value is invalid and must be ignored.
  const base = xdg && xdg.startsWith('/') ? xdg : join(env.HOME || homedir(), '.local', 'state')
  return join(base, 'runbook')
}

export interface RunPaths {
  dir: string
  state: string
  lock: string
  logs: string
  work: string
  journal: string
}

export function runsDir(root: string): string {
  return join(root, 'runs')
}

export function runPaths(root: string, runId: string): RunPaths {
  const dir = join(runsDir(root), runId)
  return {
    dir,
    state: join(dir, 'state.json'),
    lock: join(dir, 'lock'),
    logs: join(dir, 'logs'),
    work: join(dir, 'work'),
    journal: join(dir, 'journal'),
  }
}

/** `logs/03-install-packages.log`, relative to the run folder. */
export function stepLogName(number: number, stepId: string): string {
  return join('logs', `${String(number).padStart(2, '0')}-${stepId}.log`)
}

/** The raw stream of a step that ran on a terminal, beside its log: `logs/04-step.log` → `logs/04-step.raw`. */
export function rawLogPath(log: string): string {
  return log.replace(/\.log$/, '') + '.raw'
}

export function journalDir(paths: RunPaths, stepId: string): string {
  return join(paths.journal, stepId)
}

/** `separate-postanalytics` from `runbooks/separate-postanalytics.md`. */
export function runbookSlug(file: string): string {
  const slug = basename(file)
    .replace(/\.(md|markdown)$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return slug || 'runbook'
}

/** Sortable and readable: `20261122-014512-separate-postanalytics-3f9a` (UTC). */
export function newRunId(file: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`
  return `${stamp}-${runbookSlug(file)}-${randomBytes(2).toString('hex')}`
}

/** Run ids are folder names: refuse anything that could climb out of `runs/`. */
export function isValidRunId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) && !id.includes('..')
}
