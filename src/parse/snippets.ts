/**
 * Snippet includes, resolved like pymdownx.snippets: `--8<-- "path"` alone on a
 * line (or the block form between two bare `--8<--` lines) is replaced by the
 * file's lines, indented like the marker, recursively. Paths resolve from the
 * base paths, not from the including file (the including file's folder is only
 * a last resort). A missing include or a cycle is a warning and a visible
 * marker, never an exception.
 */
import {readFileSync, statSync} from 'node:fs'
import {chargeInclude, checkFileSize, checkLines, includeTooDeep, LIMITS, type IncludeBudget} from './limits.js'
import {dirname, isAbsolute, relative, resolve} from 'node:path'
import type {Diagnostic} from '../graph/types.js'
import {indentLines, splitSource, type SourceLine} from './lines.js'

export type Marker =
  | {type: 'snippet-start'; path: string; file: string}
  | {type: 'snippet-end'; path: string}
  | {type: 'include-missing'; path: string; reason: string}

/** A source line, or a marker standing where an include was (its text is the marker's indentation). */
export interface ExpandedLine extends SourceLine {
  marker?: Marker
}

export interface SnippetOptions {
  /** Folders tried in order for each include path. */
  basePaths: string[]
  diagnostics: Diagnostic[]
  /** Shared between parses (benchmarks, whole-corpus runs). */
  cache?: Map<string, string | null>
  /** Deeper than this is an error: a probable cycle through generated paths (default LIMITS.includeDepth). */
  maxDepth?: number
  /** The total size read for the page so far (LIMITS.totalBytes). */
  budget?: IncludeBudget
}

// As pymdownx: nothing after the quoted path, not even spaces (such a line is text).
const INLINE = /^([ \t]*)(;*)-+8<-+[ \t]+("(?:\\"|[^"])+"|'(?:\\'|[^'])+')$/
const BLOCK_FENCE = /^([ \t]*)(;*)-+8<-+$/

export function expandSnippets(lines: SourceLine[], options: SnippetOptions): ExpandedLine[] {
  const out: ExpandedLine[] = []
  expandInto(out, lines, options, [lines[0]?.origin.file ?? ''], 0)
  return out
}

function expandInto(out: ExpandedLine[], lines: SourceLine[], options: SnippetOptions, stack: string[], depth: number): void {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]
    const inline = INLINE.exec(line.text)
    if (inline) {
      const [, indent, escape, quoted] = inline
      if (escape) out.push({...line, text: indent + line.text.slice(indent.length + 1)})
      else include(out, unquote(quoted), indent, line, options, stack, depth)
      continue
    }
    const block = BLOCK_FENCE.exec(line.text)
    if (block?.[2]) {
      out.push({...line, text: block[1] + line.text.slice(block[1].length + 1)})
      continue
    }
    if (block) {
      const end = lines.findIndex((candidate, at) => at > index && BLOCK_FENCE.exec(candidate.text)?.[2] === '')
      if (end > index) {
        for (const entry of lines.slice(index + 1, end)) {
          const path = entry.text.trim()
          if (path && !path.startsWith(';')) include(out, path, block[1], entry, options, stack, depth)
        }
        index = end
        continue
      }
    }
    out.push(line)
  }
}

function include(out: ExpandedLine[], spec: string, indent: string, at: SourceLine, options: SnippetOptions, stack: string[], depth: number): void {
  const {path, range} = splitRange(spec)
  const missing = (reason: string, severity: Diagnostic['severity'] = 'warning') => {
    options.diagnostics.push({severity, message: `include "${spec}": ${reason}`, source: at.origin})
    out.push({text: indent, origin: at.origin, marker: {type: 'include-missing', path: spec, reason}})
  }
  if (/^[a-z]+:\/\//i.test(path)) return missing('remote snippets are not fetched')
  const file = locate(path, at.origin.file, options)
  if (!file) return missing(`not found (looked in ${describeBases(options.basePaths, at.origin.file)}); add the folder it is relative to with --include-path DIR`)
  if (stack.includes(file)) return missing(`include cycle: ${[...stack, file].map((entry) => relative(process.cwd(), entry)).join(' → ')}`)
  if (depth >= (options.maxDepth ?? LIMITS.includeDepth)) throw includeTooDeep(at.origin, spec)
  checkFileSize(file)
  const text = read(file, options)
  if (text === null) return missing('could not be read')
  checkLines(text, file)
  if (options.budget) chargeInclude(options.budget, text.length, at.origin, spec)
  let lines = splitSource(text, file)
  if (range) lines = lines.slice(range.start - 1, range.end ?? undefined)
  out.push({text: indent, origin: at.origin, marker: {type: 'snippet-start', path: spec, file}})
  expandInto(out, indentLines(lines, indent), options, [...stack, file], depth + 1)
  out.push({text: indent, origin: at.origin, marker: {type: 'snippet-end', path: spec}})
}

/** `file.md:3:10` keeps lines 3 to 10, `file.md:3` from line 3 on, `file.md::10` up to line 10 (pymdownx line ranges). */
function splitRange(spec: string): {path: string; range?: {start: number; end?: number}} {
  const match = /^(.*?):(\d*)(?::(\d+))?$/.exec(spec)
  if (!match || (!match[2] && !match[3])) return {path: spec}
  const start = Math.max(1, Number(match[2] || 1))
  return {path: match[1], range: {start, end: match[3] ? Number(match[3]) : undefined}}
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(["'])/g, '$1')
}

function locate(path: string, from: string, options: SnippetOptions): string | undefined {
  const candidates = isAbsolute(path) ? [path] : [...options.basePaths, dirname(from)].map((base) => resolve(base, path))
  return candidates.find((candidate) => isFile(candidate, options))
}

function isFile(path: string, options: SnippetOptions): boolean {
  if (options.cache?.has(path)) return options.cache.get(path) !== null
  let found = false
  try {
    found = statSync(path).isFile()
  } catch {
    found = false
  }
  // Absent candidates are remembered too: one appearing later changes what resolves.
  if (!found) options.cache?.set(path, null)
  return found
}

function read(file: string, options: SnippetOptions): string | null {
  const cached = options.cache?.get(file)
  if (cached !== undefined) return cached
  let text: string | null
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    text = null
  }
  options.cache?.set(file, text)
  return text
}

function describeBases(bases: string[], from: string): string {
  return [...bases, dirname(from)].map((base) => relative(process.cwd(), base) || '.').join(', ')
}
