/**
 * A step's log file. Creating a file is the slowest thing a quick step does
 * (a quarter of a millisecond on a journaling filesystem), so the file is
 * opened off the main thread while the step starts; what is written before it
 * is open waits in memory, in order. From then on each read of the step's
 * output is written as it comes, synchronously (so a flood blocks the reader,
 * and through the pipe the step, instead of piling up in memory). Gathering
 * 256 KiB per write was measured slower over a GiB of output (the runner's
 * CPU +0.7 s): the kernel copied bytes that had left the processor's cache
 * by then, where a write right after the read copies them while they are in
 * it, and a flood comes in reads of up to 64 KiB anyway (marked-stream.ts).
 * Callers pass text that is already masked.
 */
import {close, closeSync, mkdir, open, writeSync, writevSync} from 'node:fs'
import {dirname} from 'node:path'
import {RunbookError} from '../errors.js'
import {append} from '../arrays.js'

export class StepLog {
  private fd: number | undefined
  /** Written before the file was open. */
  private waiting: Uint8Array[] | undefined = []
  private failure: Error | undefined
  private readonly opened: Promise<void>

  constructor(readonly file: string) {
    this.opened = new Promise<void>((resolve) => {
      const done = (error: NodeJS.ErrnoException | null, fd?: number) => {
        if (error) this.fail(error)
        else this.takeFd(fd!)
        resolve()
      }
      open(file, 'a', 0o600, (error, fd) => {
        // The run folder makes logs/ up front; anyone else gets it made here.
        if (error?.code !== 'ENOENT') return done(error, fd)
        mkdir(dirname(file), {recursive: true, mode: 0o700}, (mkdirError) => {
          if (mkdirError) return done(mkdirError)
          open(file, 'a', 0o600, done)
        })
      })
    })
  }

  write(text: string): void {
    if (text.length > 0) this.put([Buffer.from(text)])
  }

  /** The parts as they are (a step's output, byte for byte), in one write when the system takes it whole. */
  writeBytes(parts: Uint8Array[]): void {
    this.put(parts)
  }

  /** Resolves once everything written is in the file and the file is closed. */
  async close(): Promise<void> {
    await this.opened
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
    if (this.failure) throw this.failure
  }

  private put(parts: Uint8Array[]): void {
    if (this.waiting) {
      append(this.waiting, parts)
      return
    }
    if (this.fd === undefined) return
    try {
      writeAll(this.fd, parts)
    } catch (error) {
      // A full or failing disk: the step's output goes on to the screen; the step fails at its end, naming the file.
      close(this.fd, () => {})
      this.fd = undefined
      this.fail(error as Error)
    }
  }

  private takeFd(fd: number): void {
    const waiting = this.waiting ?? []
    this.waiting = undefined
    this.fd = fd
    this.put(waiting)
  }

  private fail(error: Error): void {
    this.waiting = undefined
    if (this.failure) return
    this.failure = new RunbookError(`Cannot write the step log ${this.file}: ${error.message}. Free the disk or fix the run folder's permissions, then resume: this step runs again.`, 1)
  }
}

/** Every byte of `parts`, in one writev when the system takes it whole. */
function writeAll(fd: number, parts: Uint8Array[]): void {
  const total = parts.reduce((n, p) => n + p.length, 0)
  if (total === 0) return
  const done = writevSync(fd, parts)
  if (done === total) return
  // A short write: the rest, as write() does it.
  const all = Buffer.concat(parts)
  let off = done
  while (off < all.length) off += writeSync(fd, all, off, all.length - off)
}
