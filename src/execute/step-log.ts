/**
 * A step's log file: appended with synchronous writes, so a flood of output
 * blocks the reader (and through the pipe, the step) instead of piling up in
 * memory. Callers pass text that is already masked.
 */
import {closeSync, mkdirSync, openSync, writeSync, writevSync} from 'node:fs'
import {dirname} from 'node:path'

export class StepLog {
  private fd: number | undefined

  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, 'a', 0o600)
    } catch (error) {
      // The run folder makes logs/ up front; anyone else gets it made here.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      mkdirSync(dirname(file), {recursive: true, mode: 0o700})
      this.fd = openSync(file, 'a', 0o600)
    }
  }

  write(text: string): void {
    if (this.fd === undefined || text.length === 0) return
    const bytes = Buffer.from(text)
    let off = 0
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off)
  }

  /** `text` then `bytes`, in one write when the system takes it whole. */
  writeBytes(bytes: Uint8Array, text = ''): void {
    if (this.fd === undefined) return
    const parts = text.length > 0 ? [Buffer.from(text), bytes] : [bytes]
    const total = parts.reduce((n, p) => n + p.length, 0)
    if (total === 0) return
    const done = writevSync(this.fd, parts)
    if (done === total) return
    // A short write: the rest, byte by byte as write() does it.
    const all = Buffer.concat(parts)
    let off = done
    while (off < all.length) off += writeSync(this.fd, all, off, all.length - off)
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}
