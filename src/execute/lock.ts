/**
 * One runner per run: a kernel lock (flock) on the run's `lock` file.
 *
 * The kernel releases an flock when the last descriptor of the open file goes
 * away, which is when its holder dies: no pid to test, so a zombie (its files
 * are closed before it waits to be reaped), a reused pid or a runner killed by
 * SIGKILL never blocks the next runner, and two runners racing for a lock left
 * behind cannot both win — `flock` decides, atomically.
 *
 * Node has no flock call, so `flock(1)` (util-linux) takes it on the runner's
 * descriptor, passed as its fd 3: a flock belongs to the open file description
 * both processes share, so it stays held after `flock(1)` exits, until the
 * runner closes the file or dies. Node opens files close-on-exec, so no step
 * inherits it. The file holds who has the lock, for the message only.
 */
import {closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, statSync, unlinkSync, writeSync, constants} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {hostname} from 'node:os'
import {RunbookError} from '../errors.js'

export interface LockInfo {
  pid: number
  hostname: string
  startedAt: string
}

export interface Lock {
  file: string
  /** Set when the lock was left by a runner that did not release it (killed): who that was. */
  tookOver?: LockInfo
  release(): void
}

/** `flock(1)`'s exit status when the lock is held (`--conflict-exit-code`). */
const HELD = 75

function parseInfo(text: string): LockInfo | undefined {
  try {
    const info = JSON.parse(text) as LockInfo
    return info && typeof info.pid === 'number' && typeof info.hostname === 'string' && typeof info.startedAt === 'string' ? info : undefined
  } catch {
    return undefined
  }
}

/** Takes the kernel lock on `fd` without waiting: true when taken, false when someone holds it. */
function flockNow(fd: number, file: string): boolean {
  const r = spawnSync('flock', ['--exclusive', '--nonblock', '--conflict-exit-code', String(HELD), '3'], {stdio: ['ignore', 'ignore', 'pipe', fd], encoding: 'utf8'})
  if (r.error) {
    throw new RunbookError(`Cannot lock ${file}: the program flock (util-linux) could not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}). Install util-linux and try again.`, 1)
  }
  if (r.status === HELD) return false
  if (r.status !== 0) throw new RunbookError(`Cannot lock ${file}: flock failed (${(r.stderr || `exit ${r.status}`).trim()}). Check the folder and try again.`, 1)
  return true
}

function sameFile(fd: number, file: string): boolean {
  try {
    const a = fstatSync(fd)
    const b = statSync(file)
    return a.ino === b.ino && a.dev === b.dev
  } catch {
    return false
  }
}

export function acquireLock(file: string, runId: string): Lock {
  const mine: LockInfo = {pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString()}
  for (let attempt = 0; attempt < 5; attempt++) {
    const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o600)
    let owned = false
    try {
      if (!flockNow(fd, file)) {
        const held = parseInfo(readFileSync(fd, 'utf8'))
        const who = held ? `process ${held.pid} on ${held.hostname} (started ${held.startedAt})` : 'another process'
        throw new RunbookError(`Run ${runId} is already being run by ${who}. Wait for it to finish: its lock ${file} frees itself when that process ends.`, 2)
      }
      // A releasing holder unlinks the file while it still holds the lock: a lock
      // on a file that is no longer at that path protects nothing, so start over.
      if (!sameFile(fd, file)) continue
      const left = readFileSync(fd, 'utf8')
      ftruncateSync(fd, 0)
      writeSync(fd, JSON.stringify(mine) + '\n', 0)
      fsyncSync(fd)
      owned = true
      const tookOver = left.trim() === '' ? undefined : (parseInfo(left) ?? {pid: 0, hostname: mine.hostname, startedAt: 'unknown'})
      let released = false
      return {
        file,
        ...(tookOver ? {tookOver} : {}),
        release() {
          if (released) return
          released = true
          // Unlink while still holding it, then close (which frees it): see above.
          try {
            if (sameFile(fd, file)) unlinkSync(file)
          } catch {
            // A read-only or vanished folder: closing still frees the lock.
          }
          closeSync(fd)
        },
      }
    } finally {
      if (!owned) closeSync(fd)
    }
  }
  throw new RunbookError(`Could not take the lock ${file} for run ${runId}: other runners keep taking and releasing it. Try again.`, 2)
}
