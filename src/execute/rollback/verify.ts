/**
 * Rollback never claims what it did not check:
 * - after a path is restored, it is compared with its snapshot (hash, type,
 *   mode, owner, mtime; a tree's listing), and what differs is reported;
 * - before a step is undone, each path it changed is compared with the state
 *   the run left it in (recorded when the step ended): a file an admin edited
 *   since, or a file written since into a folder the run created, stops the
 *   rollback with the list (unless --force) instead of being overwritten or
 *   deleted.
 */
import {describe, lstatOrNull, listTree, same, current, type Entry, type FileSnapshot} from './snapshot-files.js'

/** A path as a step left it: the entry, and for a folder the run made (or a recorded tree) every entry under it. */
export interface PathState {
  root: string
  entries: Entry[]
  /** The folder's whole listing was recorded: anything else in it now is new. */
  listed?: boolean
  /** Listing cut short (too many entries): only the recorded entries are compared. */
  partial?: boolean
}

const MAX_ENTRIES = 5000

/** The state of `root` now, without file bytes kept (hashes only). */
export async function stateOf(root: string, tree: boolean): Promise<PathState> {
  const st = await lstatOrNull(root)
  if (!st) return {root, entries: [{path: root, type: 'absent'}]}
  const entries: Entry[] = [await describe(root, st, null)]
  if (!tree || !st.isDirectory()) return {root, entries}
  for (const p of (await listTree(root)).sort()) {
    if (entries.length >= MAX_ENTRIES) return {root, entries, listed: true, partial: true}
    const s = await lstatOrNull(p)
    if (s) entries.push(await describe(p, s, null))
  }
  return {root, entries, listed: true}
}

/** What changed in `recorded.root` since it was recorded, one line per path. */
export async function changedSince(recorded: PathState): Promise<string[]> {
  const out: string[] = []
  const known = new Set(recorded.entries.map((e) => e.path))
  for (const e of recorded.entries) {
    const now = await current(e.path)
    if (same(e, now)) continue
    out.push(`${e.path} (${now.type === 'absent' ? 'removed' : e.type === 'absent' ? 'created' : e.type !== now.type ? `now a ${now.type}` : e.type === 'file' ? 'content or metadata changed' : 'changed'})`)
  }
  if (recorded.listed && !recorded.partial) for (const p of await listTree(recorded.root)) if (!known.has(p)) out.push(`${p} (new since the run)`)
  return out
}

/** The paths of a restored snapshot that do not match it now. */
export async function unverified(snap: FileSnapshot): Promise<string[]> {
  const out: string[] = []
  if (snap.tooLarge) return [snap.path]
  const recorded = new Set(snap.entries.map((e) => e.path))
  for (const e of snap.entries) if (!same(e, await current(e.path))) out.push(e.path)
  if (snap.tree && snap.entries[0]?.type === 'dir') for (const p of await listTree(snap.root)) if (!recorded.has(p)) out.push(p)
  return out
}
