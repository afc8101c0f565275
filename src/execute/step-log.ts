/**
 * A step's log file: appended with synchronous writes, so a flood of output
 * blocks the reader (and through the pipe, the step) instead of piling up in
 * memory. Callers pass text that is already masked.
 */
import {closeSync, mkdirSync, openSync, writeSync} from 'node:fs'
import {dirname} from 'node:path'

export class StepLog {
  private fd: number | undefined

  constructor(readonly file: string) {
    mkdirSync(dirname(file), {recursive: true, mode: 0o700})
    this.fd = openSync(file, 'a', 0o600)
  }

  write(text: string): void {
    if (this.fd === undefined || text.length === 0) return
    const bytes = Buffer.from(text)
    let off = 0
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off)
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}
