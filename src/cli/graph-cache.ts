/**
 * A content-addressed cache of step graphs. Parsing a long page costs more
 * than everything else a dry-run does, and a page rarely changes between two
 * runs: the graph is kept under `$XDG_CACHE_HOME/runbook/graphs/`, with the
 * hash of every file the parse read (and every include candidate it found
 * absent), and reused only while all of them are unchanged and the engine is
 * the same build. Best effort: any problem means a fresh parse.
 *
 * A file is known unchanged by its metadata (device, inode, size, change and
 * modification times, to the nanosecond) when they are as recorded, as git
 * knows its index is clean, and by its content hash otherwise. Metadata are
 * recorded only for a file whose last change is older than the entry by more
 * than a clock tick's worth: a file changed in the same tick as the entry was
 * written could keep the same times with other bytes, so such a file is hashed
 * until an entry written later can vouch for it.
 */
import {readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {cacheRoot, engineStamp, pruneCache, readJsonCache, writeJsonCache} from '../cache.js'
import {sha256Hex} from '../digest.js'
import {parseLabel, rememberLabelMeanings, type LabelMeaning} from '../graph/labels.js'
import type {Graph} from '../graph/types.js'

/** parse/include-files' cap, not imported: a warm run loads no parser module. */
const MAX_INCLUDE_BYTES = 8 * 1024 * 1024
/** How much older than the entry a file's last change must be for its metadata to vouch for it. */
const SETTLED_MS = 2000

interface FileRecord {
  /** sha256 of the content, or what stands for a path that is not a document (see contentHash). */
  content: string
  /** The metadata that vouch for the content, when it had settled as the entry was written. */
  meta?: string
}

interface Entry {
  engine: string
  /** The page and include paths the entry is for (its file name is only a short hash of them). */
  key: string
  /** Path → what was read there, or null for a path that did not exist. */
  files: Record<string, FileRecord | null>
  graph: Graph
  /** What each tab label of the graph names, as the resolver asks (graph/labels.ts), so that a cached run parses none. */
  labels: Record<string, LabelMeaning>
}

export async function cachedGraph(page: string, includePaths: string[], build: (seen: Map<string, string | null>) => Promise<Graph>): Promise<Graph> {
  const root = cacheRoot()
  if (!root) return build(new Map())
  const dir = join(root, 'graphs')
  const engine = engineStamp()
  // Named by build and page: entries an older build wrote are pruned by name, never read.
  const stamp = engine.slice(0, 16)
  const key = JSON.stringify([page, includePaths])
  const file = join(dir, `${stamp}-${shortHash(key)}.json`)
  const entry = readJsonCache<Entry>(file)
  if (entry && entry.engine === engine && entry.key === key) {
    const check = checkFiles(entry.files)
    if (check.unchanged) {
      // Files that had to be hashed and have settled since: the entry is written again to vouch for them by their metadata.
      if (check.settled) writeJsonCache(file, {...entry, files: recordFiles(new Map(Object.entries(entry.files).map(([path, record]) => [path, record && readText(path)])))})
      rememberLabelMeanings(entry.labels)
      return entry.graph
    }
  }
  const seen = new Map<string, string | null>()
  const graph = await build(seen)
  writeJsonCache(file, {engine, key, files: recordFiles(seen), graph, labels: labelMeanings(graph)} satisfies Entry)
  pruneCache(dir, (name) => name.endsWith('.json'), (name) => name.startsWith(`${stamp}-`))
  return graph
}

/** Are all the recorded files as they were? And did one of them need its content hashed though it has settled now? */
function checkFiles(files: Record<string, FileRecord | null>): {unchanged: boolean; settled: boolean} {
  let settled = false
  for (const [path, record] of Object.entries(files)) {
    const now = metadata(path)
    if (record === null || now === null) {
      if (record !== now) return {unchanged: false, settled}
      continue
    }
    if (record.meta !== undefined && record.meta === now.meta) continue
    if (contentHash(path, readText(path)) !== record.content) return {unchanged: false, settled}
    settled ||= now.settled
  }
  return {unchanged: true, settled}
}

/** What the parse read (path → text, or null where nothing was), with the metadata of each settled file. */
function recordFiles(seen: Map<string, string | null>): Record<string, FileRecord | null> {
  const files: Record<string, FileRecord | null> = {}
  for (const [path, text] of seen) {
    if (text === null) {
      files[path] = null
      continue
    }
    // Metadata first, then the content again: if the file changed after the parse read it, its
    // content differs and no metadata are recorded; if it changes after this, its times move.
    const before = metadata(path)
    const record: FileRecord = {content: contentHash(path, text)}
    if (before?.settled && readText(path) === text) record.meta = before.meta
    files[path] = record
  }
  return files
}

function metadata(path: string): {meta: string; settled: boolean} | null {
  try {
    const s = statSync(path, {bigint: true})
    return {
      meta: [s.dev, s.ino, s.mode, s.size, s.mtimeNs, s.ctimeNs].join(':'),
      settled: Number(s.ctimeNs / 1_000_000n) < Date.now() - SETTLED_MS,
    }
  } catch {
    return null
  }
}

/** The file's text; null if it cannot be read as a document of a sane size (a FIFO would block the read). */
function readText(path: string): string | null {
  try {
    const stats = statSync(path)
    if (!stats.isFile() || stats.size > MAX_INCLUDE_BYTES) return null
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

function contentHash(path: string, text: string | null): string {
  if (text !== null) return sha256Hex(text)
  try {
    const stats = statSync(path)
    return `not-a-document:${stats.mode}:${stats.size}`
  } catch {
    return 'unreadable'
  }
}

function labelMeanings(graph: Graph): Record<string, LabelMeaning> {
  const labels = new Set(Object.values(graph.groups).flatMap((group) => group.labels))
  return Object.fromEntries([...labels].map((label) => [label, parseLabel(label)]))
}

/** 64 bits of FNV-1a over the key's UTF-16 units, as hex: a file name; the entry holds the key itself. */
function shortHash(text: string): string {
  let a = 0x811c9dc5
  let b = 0x050c5d1f
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    a = Math.imul(a ^ unit, 0x01000193)
    b = Math.imul(b ^ unit, 0x01000193) ^ (a >>> 15)
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0')
}
