/**
 * Atomic file writes: a temp file in the same directory, fsync, rename over the
 * target, fsync the directory. A reader sees the old file or the new one, never
 * a torn one, even when the runner is killed mid-write.
 */
import {closeSync, fchmodSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync, constants} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {basename, dirname, join} from 'node:path'

/**
 * `durable: false` keeps the rename (never a torn file) but skips the fsyncs:
 * for a record that a power cut may lose without harm.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600, durable = true): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode)
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    let off = 0
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off)
    // The umask would otherwise narrow the mode given.
    fchmodSync(fd, mode)
    if (durable) fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    unlinkSync(tmp)
    throw error
  }
  closeSync(fd)
  try {
    renameSync(tmp, file)
  } catch (error) {
    unlinkSync(tmp)
    throw error
  }
  if (durable) fsyncDir(dirname(file))
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n')
}

/** Makes a rename or create in `dir` durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, constants.O_RDONLY)
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
