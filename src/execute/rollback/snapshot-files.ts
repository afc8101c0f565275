/**
 * File snapshots: what a path was before a step (bytes, mode, owner, link
 * target, or absent), and putting it back. Symlinks are never followed: a link
 * is recorded and restored as a link. A path that did not exist is recorded by
 * its topmost missing ancestor, so that `mkdir -p a/b/c` undoes to no `a`.
 */
import {createHash, randomBytes} from 'node:crypto'
import {chmod, chown, lchown, lstat, lutimes, mkdir, open, readdir, readFile, readlink, realpath, rename, rm, symlink, utimes} from 'node:fs/promises'
import type {Stats} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {RunbookError} from '../../errors.js'
import {writeFileAtomic} from '../atomic.js'

export type Entry =
  | {path: string; type: 'absent'}
  | {path: string; type: 'file'; mode: number; uid: number; gid: number; mtimeMs: number; size: number; sha256: string}
  | {path: string; type: 'dir'; mode: number; uid: number; gid: number}
  | {path: string; type: 'symlink'; target: string; uid: number; gid: number}
  /** A device, socket or fifo: recorded so we can tell it changed, not restorable. */
  | {path: string; type: 'other'; mode: number; uid: number; gid: number}

export interface FileSnapshot {
  /** The path the step may touch. */
  path: string
  /** What was recorded: `path` itself, or its topmost missing ancestor. */
  root: string
  tree: boolean
  /** Parents first. */
  entries: Entry[]
  /** The real path of root's parent then: restoring refuses if a link now redirects it. */
  parentReal: string | null
  /** Too large to keep (see limits): the change cannot be undone from this snapshot. */
  tooLarge?: string
}

export interface SnapshotLimits {
  maxEntries: number
  maxBytes: number
}

export const DEFAULT_LIMITS: SnapshotLimits = {maxEntries: 5000, maxBytes: 256 * 1024 * 1024}

export async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return null
    throw error
  }
}

async function realOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path)
  } catch {
    return null
  }
}

/** Records `path` (a whole tree when `tree`), keeping file bytes in `blobDir` by hash. */
export async function snapshotPath(path: string, blobDir: string, tree: boolean, limits = DEFAULT_LIMITS): Promise<FileSnapshot> {
  let root = path
  const st = await lstatOrNull(path)
  if (!st) {
    while (dirname(root) !== root && !(await lstatOrNull(dirname(root)))) root = dirname(root)
    return {path, root, tree, entries: [{path: root, type: 'absent'}], parentReal: await realOrNull(dirname(root))}
  }
  const snap: FileSnapshot = {path, root, tree, entries: [], parentReal: await realOrNull(dirname(root))}
  let bytes = 0
  const visit = async (p: string, s: Stats): Promise<void> => {
    if (snap.entries.length >= limits.maxEntries || bytes > limits.maxBytes) {
      snap.tooLarge = `more than ${limits.maxEntries} entries or ${limits.maxBytes} bytes under ${root}`
      return
    }
    const entry = await describe(p, s, blobDir)
    snap.entries.push(entry)
    if (entry.type === 'file') bytes += entry.size
    if (entry.type === 'dir' && tree) {
      for (const name of (await readdir(p)).sort()) {
        const child = join(p, name)
        const cs = await lstatOrNull(child)
        if (cs) await visit(child, cs)
      }
    }
  }
  await visit(root, st)
  if (snap.tooLarge) snap.entries = []
  return snap
}

export async function describe(path: string, s: Stats, blobDir: string | null): Promise<Entry> {
  const owner = {uid: s.uid, gid: s.gid}
  if (s.isSymbolicLink()) return {path, type: 'symlink', target: await readlink(path), ...owner}
  if (s.isDirectory()) return {path, type: 'dir', mode: s.mode & 0o7777, ...owner}
  if (!s.isFile()) return {path, type: 'other', mode: s.mode, ...owner}
  const bytes = await readFile(path)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  if (blobDir) {
    await mkdir(blobDir, {recursive: true, mode: 0o700})
    const blob = join(blobDir, sha256)
    if (!(await lstatOrNull(blob))) writeFileAtomic(blob, bytes, 0o600)
  }
  return {path, type: 'file', mode: s.mode & 0o7777, ...owner, mtimeMs: s.mtimeMs, size: s.size, sha256}
}

/** Whether the path differs now from the snapshot (content, type, mode, owner, mtime). */
export async function hasChanged(snap: FileSnapshot): Promise<boolean> {
  if (snap.tooLarge) return true
  const recorded = new Map(snap.entries.map((e) => [e.path, e]))
  for (const e of snap.entries) if (!same(e, await current(e.path))) return true
  if (snap.tree && snap.entries[0]?.type === 'dir') {
    for (const p of await listTree(snap.root)) if (!recorded.has(p)) return true
  }
  return false
}

export async function current(path: string): Promise<Entry> {
  const s = await lstatOrNull(path)
  return s ? describe(path, s, null) : {path, type: 'absent'}
}

export function same(a: Entry, b: Entry): boolean {
  if (a.type !== b.type) return false
  if (a.type === 'absent') return true
  if (a.type === 'file' && b.type === 'file') return a.sha256 === b.sha256 && a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && Math.trunc(a.mtimeMs) === Math.trunc(b.mtimeMs)
  if (a.type === 'symlink' && b.type === 'symlink') return a.target === b.target && a.uid === b.uid && a.gid === b.gid
  return JSON.stringify({...a, path: ''}) === JSON.stringify({...b, path: ''})
}

/** Every path under `dir`, without following links. */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (p: string): Promise<void> => {
    const s = await lstatOrNull(p)
    if (!s?.isDirectory()) return
    for (const name of await readdir(p)) {
      out.push(join(p, name))
      await walk(join(p, name))
    }
  }
  await walk(dir)
  return out
}

/** Puts the snapshot back. Idempotent: running it again after a crash finishes the job. */
export async function restoreSnapshot(snap: FileSnapshot, blobDir: string): Promise<void> {
  if (snap.tooLarge) throw new RunbookError(`Cannot restore ${snap.path}: the snapshot was not kept (${snap.tooLarge}). Restore it by hand.`, 1)
  const parent = dirname(snap.root)
  const parentNow = await realOrNull(parent)
  if (snap.parentReal && parentNow && parentNow !== snap.parentReal) {
    throw new RunbookError(`Refusing to restore ${snap.root}: its directory ${parent} now resolves to ${parentNow} (it was ${snap.parentReal}); a symlink may have been swapped in. Check the directory and restore by hand.`, 1)
  }
  const first = snap.entries[0]
  if (!first) return
  if (first.type === 'absent') {
    await rm(snap.root, {recursive: true, force: true})
    return
  }
  if (!parentNow) await mkdir(parent, {recursive: true})
  if (snap.tree && first.type === 'dir') {
    // Remove what was added under the tree, deepest first, before putting entries back.
    const keep = new Set(snap.entries.map((e) => e.path))
    for (const p of (await listTree(snap.root)).reverse()) if (!keep.has(p)) await rm(p, {recursive: true, force: true})
  }
  for (const e of snap.entries) await restoreEntry(e, blobDir)
}

async function restoreEntry(e: Entry, blobDir: string): Promise<void> {
  const now = await current(e.path)
  if (same(e, now)) return
  switch (e.type) {
    case 'absent':
      await rm(e.path, {recursive: true, force: true})
      return
    case 'dir':
      if (now.type !== 'dir') {
        await rm(e.path, {recursive: true, force: true})
        await mkdir(e.path, {mode: 0o700})
      }
      await chown(e.path, e.uid, e.gid)
      await chmod(e.path, e.mode) // after chown, which clears setgid bits
      return
    case 'file':
      return restoreFile(e, now, blobDir)
    case 'symlink': {
      const tmp = tempName(e.path)
      await symlink(e.target, tmp)
      await lchown(tmp, e.uid, e.gid)
      if (now.type === 'dir') await rm(e.path, {recursive: true, force: true})
      await rename(tmp, e.path) // replaces the link itself, never its target
      return
    }
    case 'other':
      throw new RunbookError(`Cannot restore ${e.path}: it was a device, socket or fifo and has changed. Recreate it by hand.`, 1)
  }
}

async function restoreFile(e: Extract<Entry, {type: 'file'}>, now: Entry, blobDir: string): Promise<void> {
  if (now.type === 'file' && now.sha256 === e.sha256) {
    // Same bytes: only the metadata moved.
    await chown(e.path, e.uid, e.gid)
    await chmod(e.path, e.mode)
    await utimes(e.path, new Date(), mtimeOf(e))
    return
  }
  const bytes = await readFile(join(blobDir, e.sha256))
  if (createHash('sha256').update(bytes).digest('hex') !== e.sha256) {
    throw new RunbookError(`Cannot restore ${e.path}: its saved copy in ${blobDir} is damaged. Restore the file by hand.`, 1)
  }
  const st = await lstatOrNull(e.path)
  if (st?.isFile() && st.nlink > 1) {
    // A hard link: the step wrote the inode its siblings share. Renaming a new file
    // over this name would leave them changed, so the inode itself gets the old bytes.
    const handle = await open(e.path, 'r+')
    try {
      await handle.truncate(0)
      await handle.write(bytes, 0, bytes.length, 0)
      await handle.chown(e.uid, e.gid)
      await handle.chmod(e.mode)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await utimes(e.path, new Date(), mtimeOf(e))
    return
  }
  const tmp = tempName(e.path)
  const handle = await open(tmp, 'wx', 0o600)
  try {
    await handle.writeFile(bytes)
    await handle.chown(e.uid, e.gid)
    await handle.chmod(e.mode)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await lutimes(tmp, new Date(), mtimeOf(e))
  if (now.type === 'dir') await rm(e.path, {recursive: true, force: true})
  await rename(tmp, e.path) // over a symlink, this replaces the link, not what it points to
}

/**
 * Seconds for utimes: a double cannot hold nanoseconds, and a value just under
 * the recorded millisecond would read back as the one before; aim at its middle.
 */
function mtimeOf(e: {mtimeMs: number}): number {
  return (Math.trunc(e.mtimeMs) + 0.5) / 1000
}

function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.rb-${randomBytes(4).toString('hex')}`)
}
