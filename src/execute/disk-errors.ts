/**
 * A run folder that cannot be written (a full disk, a quota, a read-only or
 * failing filesystem, permissions) is an operator's problem with one fix:
 * say which folder and why, in one paragraph, and stop cleanly (exit 1) — never
 * an uncaught ENOSPC with a stack trace.
 */
import {accessSync, constants, existsSync} from 'node:fs'
import {dirname} from 'node:path'
import {RunbookError} from '../errors.js'

const WHY: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the filesystem is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'an input/output error',
}

/**
 * A recursive mkdir on a read-only filesystem says ENOENT for the first
 * folder it could not make: ask the nearest existing parent what is wrong.
 */
function mkdirCause(error: NodeJS.ErrnoException): string | undefined {
  if (error.code !== 'ENOENT' || error.syscall !== 'mkdir' || !error.path) return undefined
  let dir = error.path
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir)
  try {
    accessSync(dir, constants.W_OK)
    return undefined
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code
  }
}

/** The errno code of a filesystem error (also when wrapped in a RunbookError's message). */
function codeOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code && code in WHY) return code
  const cause = error instanceof Error ? mkdirCause(error as NodeJS.ErrnoException) : undefined
  if (cause && cause in WHY) return cause
  const m = error instanceof Error ? /\b(ENOSPC|EDQUOT|EROFS|EACCES|EPERM|EIO)\b/.exec(error.message) : null
  return m?.[1]
}

/**
 * `error` as a clean failure naming `folder` when it is a write failure of the
 * run folder; undefined for anything else. `where` says what stopped.
 */
export function runFolderError(error: unknown, folder: string, where: string, stateNote = '', next = 'resume the run'): RunbookError | undefined {
  const code = codeOf(error)
  if (!code) return undefined
  return new RunbookError(
    `Cannot write to the run folder ${folder}: ${WHY[code]} (${code}). ${where}${stateNote} Free space or fix the folder (or pass --state-dir to keep runs elsewhere), then ${next}.`,
    1,
  )
}
