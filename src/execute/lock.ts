/**
 * One runner per run: a `lock` file created with O_EXCL holding who holds it.
 * A lock whose process is gone (same host, kill(pid, 0) → ESRCH) is stale and
 * taken over; any other lock refuses the second runner.
 */
import {closeSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync, constants} from 'node:fs'
import {hostname} from 'node:os'
import {RunbookError} from '../errors.js'

export interface LockInfo {
  pid: number
  hostname: string
  startedAt: string
}

export interface Lock {
  file: string
  /** Set when a stale lock was taken over: who held it. */
  tookOver?: LockInfo
  release(): void
}

function readLock(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as LockInfo
    return typeof info.pid === 'number' ? info : undefined
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

function create(file: string, info: LockInfo): boolean {
  let fd: number
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    writeSync(fd, JSON.stringify(info) + '\n')
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return true
}

export function acquireLock(file: string, runId: string): Lock {
  const mine: LockInfo = {pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString()}
  let tookOver: LockInfo | undefined
  for (let attempt = 0; attempt < 3; attempt++) {
    if (create(file, mine)) {
      let released = false
      return {
        file,
        tookOver,
        release() {
          if (released) return
          released = true
          // Only remove the lock if it is still ours.
          if (readLock(file)?.pid === mine.pid) unlinkSync(file)
        },
      }
    }
    const held = readLock(file)
    if (held && (held.hostname !== mine.hostname || alive(held.pid))) {
      throw new RunbookError(
        `Run ${runId} is already being run by process ${held.pid} on ${held.hostname} (started ${held.startedAt}). Wait for it to finish, or if that process is gone, delete ${file} and try again.`,
        2,
      )
    }
    // Stale (dead pid) or unreadable (a runner killed while writing it): take it over.
    tookOver = held ?? {pid: 0, hostname: mine.hostname, startedAt: 'unknown'}
    try {
      unlinkSync(file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
  }
  throw new RunbookError(`Could not take the lock ${file} for run ${runId}: another runner keeps taking it. Try again.`, 2)
}
