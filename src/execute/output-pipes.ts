/**
 * Real pipes for a step's standard output and error. Node's `stdio: 'pipe'`
 * gives a child a UNIX socket, and on Linux a socket cannot be opened by
 * name: in a step, `echo x > /dev/stderr`, `tee /dev/stdout` or a tool whose
 * log path is /dev/stderr failed with ENXIO ("No such device or address"),
 * where a terminal or a shell pipeline works. Node has no pipe(2), so each
 * pipe is a FIFO made in a private folder, opened at both ends and removed at
 * once: nothing stays on disk, and the two ends behave as pipe(2)'s do (the
 * reader sees the end when the last writer closes). Reading a pipe also costs
 * the kernel less than reading a socket, which a flood of output feels.
 */
import {spawnSync} from 'node:child_process'
import {closeSync, constants, mkdtempSync, openSync, rmSync} from 'node:fs'
import {Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface OutputPipes {
  /** The read ends, one per pipe asked for. */
  readers: Socket[]
  /** The write ends, for the child's stdio; `closeWriters` once the child holds them. */
  writers: number[]
  closeWriters(): void
}

/** `count` pipes; undefined when no FIFO can be made here (the caller then falls back to Node's sockets). */
export function outputPipes(count: number): OutputPipes | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-out-'))
  try {
    const paths = Array.from({length: count}, (_, i) => join(dir, String(i)))
    if (spawnSync('mkfifo', ['-m', '600', ...paths]).status !== 0) return undefined
    // The read end first, without blocking: then opening the write end does not wait for a reader.
    const readFds = paths.map((path) => openSync(path, constants.O_RDONLY | constants.O_NONBLOCK))
    const writers = paths.map((path) => openSync(path, constants.O_WRONLY))
    let open = true
    return {
      readers: readFds.map((fd) => new Socket({fd, readable: true, writable: false})),
      writers,
      closeWriters() {
        if (open) for (const fd of writers) closeSync(fd)
        open = false
      },
    }
  } catch {
    return undefined
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
