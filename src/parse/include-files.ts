/**
 * Where an include may read from. The engine runs what it reads as root, and
 * the dry-run prints it: a page must not pull `/etc/shadow`, a symlink out of
 * its tree or `/proc/self/environ` into a plan. As pymdownx's
 * `restrict_base_path` does, an include must resolve, symlinks followed,
 * inside the docs tree: the MkDocs project around each base path (the
 * nearest folder above it with a mkdocs*.yml; a tree like Wallarm's resolves
 * `../include/x.md` from `docs/`, so the project, not the base path itself),
 * or the base path where there is none. Only regular files, never a kernel
 * pseudo-file, read without blocking and up to a size cap: a FIFO or
 * `/proc/kmsg` never hangs a parse.
 */
import {closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync} from 'node:fs'
import {dirname, relative, resolve, sep} from 'node:path'
import {LIMITS} from './limits.js'

/** The largest file read, in bytes (a larger one is a usage error before this is reached: ./limits.ts). */
export const MAX_INCLUDE_BYTES = LIMITS.fileBytes

const PSEUDO_FILESYSTEMS = ['/proc', '/sys', '/dev']

export type Located = {file: string; real: string} | {reason: string}

/** The folders includes may resolve into, as real paths. */
export function includeRoots(basePaths: string[]): string[] {
  const roots = new Set<string>()
  for (const base of basePaths) roots.add(realOr(projectOf(resolve(base))))
  return [...roots]
}

const projects = new Map<string, string | null>()

/** The nearest folder at or above `dir` holding a mkdocs*.yml, else `dir`. */
function projectOf(dir: string): string {
  return projectAbove(dir) ?? dir
}

/** Remembered per folder: a corpus of pages shares a few. */
function projectAbove(dir: string): string | null {
  const known = projects.get(dir)
  if (known !== undefined) return known
  const parent = dirname(dir)
  const found = hasMkdocsConfig(dir) ? dir : parent === dir ? null : projectAbove(parent)
  projects.set(dir, found)
  return found
}

function hasMkdocsConfig(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => /^mkdocs.*\.ya?ml$/.test(name))
  } catch {
    return false
  }
}

function realOr(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

function inside(path: string, roots: string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, path)
    return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..')
  })
}

/**
 * The first candidate (`path` from each folder) that exists and may be read.
 * `absent` when none exists; otherwise the reason the last one found was refused.
 */
export function locateInclude(path: string, folders: string[], roots: string[], cache?: Map<string, string | null>): Located {
  let refused: string | undefined
  for (const folder of folders) {
    const candidate = resolve(folder, path)
    if (cache?.get(candidate) === null) continue
    let real: string
    try {
      real = realpathSync(candidate)
    } catch {
      // Absent candidates are remembered too: one appearing later changes what resolves.
      cache?.set(candidate, null)
      continue
    }
    const why = refusal(real, roots)
    if (why) {
      refused = why
      continue
    }
    return {file: candidate, real}
  }
  return {reason: refused ?? 'absent'}
}

function pseudoFile(real: string): string | undefined {
  if (PSEUDO_FILESYSTEMS.some((root) => real === root || real.startsWith(root + sep))) return `${real} is a file of the kernel, not a document: not included`
  return undefined
}

function refusal(real: string, roots: string[]): string | undefined {
  const pseudo = pseudoFile(real)
  if (pseudo) return pseudo
  if (!inside(real, roots)) {
    return `it resolves to ${real}, outside the docs tree (${roots.join(', ')}): not included. An include must stay inside the folder of its mkdocs.yml (or the page's folder)`
  }
  let stats
  try {
    stats = statSync(real)
  } catch {
    return 'could not be read'
  }
  // Its size is checked by the caller: over the limit is a usage error (./limits.ts).
  if (!stats.isFile()) return `${real} is not a regular file (${kindOf(stats)}): not included`
  return undefined
}

function kindOf(stats: import('node:fs').Stats): string {
  if (stats.isDirectory()) return 'a folder'
  if (stats.isFIFO()) return 'a named pipe'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  return 'not a file'
}

function tooLarge(real: string, size: number): string {
  return `${real} is ${(size / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_INCLUDE_BYTES / 1024 / 1024} MB an include may be: not included. Split the file, or include a part of it (file.md:START:END)`
}

/**
 * The text of a located include, or why it cannot be read. Opened without
 * blocking and checked again once open (the path may have changed since).
 */
export function readInclude(file: string, real: string, cache?: Map<string, string | null>): string | {reason: string} {
  const cached = cache?.get(file)
  if (typeof cached === 'string') return cached
  // Never opened: reading /proc/kmsg would take the kernel's messages, or wait for them.
  const pseudo = pseudoFile(real)
  if (pseudo) return {reason: pseudo}
  let fd: number | undefined
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW)
    const stats = fstatSync(fd)
    if (!stats.isFile()) return {reason: `${real} is not a regular file (${kindOf(stats)}): not included`}
    if (stats.size > MAX_INCLUDE_BYTES) return {reason: tooLarge(real, stats.size)}
    const buffer = Buffer.alloc(stats.size + 1)
    let length = 0
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
      if (length > stats.size) return {reason: `${real} grew while it was read: not included`}
    }
    const text = buffer.subarray(0, length).toString('utf8')
    cache?.set(file, text)
    return text
  } catch {
    return {reason: 'could not be read'}
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
