/**
 * Atomic file writes: a temp file in the same directory, fsync, rename over the
 * target, fsync the directory. A reader sees the old file or the new one, never
 * a torn one, even when the runner is killed mid-write.
 */
import {closeSync, fchmodSync, fstatSync, fsyncSync, ftruncateSync, openSync, renameSync, unlinkSync, writeSync, constants} from 'node:fs'
import {open, rename, unlink} from 'node:fs/promises'
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

/** `writeFileAtomic` with the disk work off the main thread: the steps go on while it syncs. */
export async function writeFileAtomicAsync(file: string, data: string, mode = 0o600): Promise<void> {
  const tmp = tempName(file)
  const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode)
  try {
    await handle.writeFile(data)
    await handle.chmod(mode)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await unlink(tmp)
    throw error
  }
  await handle.close()
  try {
    await rename(tmp, file)
  } catch (error) {
    await unlink(tmp)
    throw error
  }
  const dir = await open(dirname(file), constants.O_RDONLY)
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
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
