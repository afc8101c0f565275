/**
 * Atomic file writes: a temp file in the same directory, fsync, rename over the
 * target, fsync the directory. A reader sees the old file or the new one, never
 * a torn one, even when the runner is killed mid-write.
 */
import {closeSync, fchmodSync, fstatSync, fsync, fsyncSync, ftruncateSync, openSync, rename, renameSync, unlinkSync, writeSync, constants} from 'node:fs'
import {randomBytes} from 'node:crypto'
import {basename, dirname, join} from 'node:path'

export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const tmp = tempName(file)
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode)
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    let off = 0
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off)
    // The umask would otherwise narrow the mode given.
    fchmodSync(fd, mode)
    fsyncSync(fd)
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
  fsyncDir(dirname(file))
}

/**
 * `writeFileAtomic` with the waits for the disk off the main thread: the
 * steps go on while it syncs. Creating, writing and renaming a small file
 * take microseconds and are done here; the two syncs and the rename (which
 * waits for the journal while the disk syncs) go to the thread pool. Each trip there costs two thread switches, and with nine of them
 * (one per call) a checkpoint cost more than a quick step's own work.
 */
export async function writeFileAtomicAsync(file: string, data: string, mode = 0o600): Promise<void> {
  const tmp = tempName(file)
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode)
  try {
    const bytes = Buffer.from(data)
    let off = 0
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off)
    // The umask would otherwise narrow the mode given.
    fchmodSync(fd, mode)
    await fsyncAsync(fd)
  } catch (error) {
    closeSync(fd)
    unlinkSync(tmp)
    throw error
  }
  closeSync(fd)
  try {
    // A rename waits for the journal while the disk syncs: off the main thread too.
    await renameAsync(tmp, file)
  } catch (error) {
    unlinkSync(tmp)
    throw error
  }
  const dir = openSync(dirname(file), constants.O_RDONLY)
  try {
    await fsyncAsync(dir)
  } finally {
    closeSync(dir)
  }
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())))
}

function renameAsync(from: string, to: string): Promise<void> {
  return new Promise((resolve, reject) => rename(from, to, (error) => (error ? reject(error) : resolve())))
}

function tempName(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
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

/**
 * The last resort when the disk is full: the new text written over the old
 * file's own blocks (no new block is needed when it fits in them), then the
 * file cut to its length. Not atomic against a power cut, so only for the
 * final record of a run that cannot be written any other way. False when it
 * does not fit.
 */
export function overwriteInPlace(file: string, data: string): boolean {
  const bytes = Buffer.from(data)
  const fd = openSync(file, constants.O_WRONLY)
  try {
    const allocated = fstatSync(fd).blocks * 512
    if (bytes.length > allocated) return false
    let off = 0
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, off)
    ftruncateSync(fd, bytes.length)
    fsyncSync(fd)
    return true
  } finally {
    closeSync(fd)
  }
}
