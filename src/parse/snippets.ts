/**
 * Snippet includes, resolved like pymdownx.snippets: `--8<-- "path"` alone on a
 * line (or the block form between two bare `--8<--` lines) is replaced by the
 * file's lines, as text, before anything else reads the page: indented like
 * the include line (so a snippet's fence can belong to the list item around
 * it), recursively. `file.md:3:8` keeps a line range, `file.md:name` the
 * section between `--8<-- [start:name]` and `--8<-- [end:name]`; section
 * marker lines are never part of the text. Every line keeps the file and line
 * it came from.
 *
 * Paths resolve from the base paths, not from the including file (the
 * including file's folder is only a last resort). An include must stay inside
 * the docs tree (./include-files.ts). A missing or refused include or a cycle
 * is a warning and a marker line, never an exception.
 */
import {dirname, isAbsolute, relative, resolve} from 'node:path'
import type {Diagnostic} from '../graph/types.js'
import {includeRoots, locateInclude, readInclude} from './include-files.js'
import {chargeInclude, checkFileSize, checkLines, includeTooDeep, LIMITS, type IncludeBudget} from './limits.js'
import {indentLines, splitSource, type SourceLine} from './lines.js'

/** An include that gave no text: the block pass shows it (or, inside code, its line as written). */
export interface Marker {
  type: 'include-missing'
  path: string
  reason: string
  /** The include line as written, for where it is code rather than markdown. */
  literal: string
}

/** A source line, or a marker standing where an include was (its text is the marker's indentation). */
export interface ExpandedLine extends SourceLine {
  marker?: Marker
}

export interface SnippetOptions {
  /** Folders tried in order for each include path. */
  basePaths: string[]
  /** Folders an include may resolve into (default: the docs project of each base path). */
  roots?: string[]
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
const SECTION_MARKER = /^.*?(;*)-+8<-+[ \t]+\[[ \t]*(start|end)[ \t]*:[ \t]*([a-zA-Z][-_0-9a-zA-Z]*)[ \t]*\].*$/

interface Context {
  options: SnippetOptions
  roots: string[]
}

export function expandSnippets(lines: SourceLine[], options: SnippetOptions): ExpandedLine[] {
  const out: ExpandedLine[] = []
  const context: Context = {options, roots: options.roots ?? includeRoots(options.basePaths)}
  expandInto(out, lines, context, [lines[0]?.origin.file ?? ''], 0)
  return out
}

function expandInto(out: ExpandedLine[], lines: SourceLine[], context: Context, stack: string[], depth: number): void {
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]
    if (!line.text.includes('8<')) {
      out.push(line)
      continue
    }
    const inline = INLINE.exec(line.text)
    if (inline) {
      const [, indent, escape, quoted] = inline
      if (escape) out.push({...line, text: indent + line.text.slice(indent.length + 1)})
      else include(out, unquote(quoted), indent, line, context, stack, depth)
      continue
    }
    const block = BLOCK_FENCE.exec(line.text)
    if (block?.[2]) {
      out.push({...line, text: block[1] + line.text.slice(block[1].length + 1)})
      continue
    }
    if (block) {
      // Searched from here on (from the first line, each block cost the lines above it).
      let end = index + 1
      while (end < lines.length && BLOCK_FENCE.exec(lines[end]!.text)?.[2] !== '') end++
      if (end < lines.length) {
        for (const entry of lines.slice(index + 1, end)) {
          const path = entry.text.trim()
          if (path && !path.startsWith(';')) include(out, path, block[1], entry, context, stack, depth)
        }
        index = end
        continue
      }
    }
    // A section marker of a page read whole is not text (pymdownx drops it); `;` escapes it.
    const section = SECTION_MARKER.exec(line.text)
    if (section && !section[1]) continue
    out.push(section ? {...line, text: line.text.replace(/;(-+8<)/, '$1')} : line)
  }
}

function include(out: ExpandedLine[], spec: string, indent: string, at: SourceLine, context: Context, stack: string[], depth: number): void {
  const {options} = context
  const {path, select} = splitSelector(spec)
  const missing = (reason: string) => {
    options.diagnostics.push({severity: 'warning', message: `include "${spec}": ${reason}`, source: at.origin})
    out.push({text: indent, origin: at.origin, marker: {type: 'include-missing', path: spec, reason, literal: at.text}})
  }
  if (/^[a-z]+:\/\//i.test(path)) return missing('remote snippets are not fetched')
  if (isAbsolute(path)) return missing(`an absolute path is not included: an include must stay inside the docs tree (${describe(context.roots)})`)
  const found = locateInclude(path, [...options.basePaths, dirname(at.origin.file)], context.roots, options.cache)
  if ('reason' in found) {
    const looked = `looked in ${describe([...options.basePaths, dirname(at.origin.file)])}`
    return missing(found.reason === 'absent' ? `not found (${looked}); add the folder it is relative to with --include-path DIR` : found.reason)
  }
  const file = found.file
  if (stack.includes(file)) return missing(`include cycle: ${[...stack, file].map((entry) => relative(process.cwd(), entry)).join(' → ')}`)
  if (depth >= (options.maxDepth ?? LIMITS.includeDepth)) throw includeTooDeep(at.origin, spec)
  checkFileSize(found.real)
  const text = readInclude(file, found.real, options.cache)
  if (typeof text !== 'string') return missing(text.reason)
  checkLines(text, file)
  if (options.budget) chargeInclude(options.budget, text.length, at.origin, spec)
  let lines = splitSource(text, file)
  if (select) {
    const selected = select(lines)
    if (typeof selected === 'string') return missing(selected)
    lines = selected
  }
  expandInto(out, indentLines(lines, indent), context, [...stack, file], depth + 1)
}

type Select = (lines: SourceLine[]) => SourceLine[] | string

/**
 * `file.md:3:10` keeps lines 3 to 10, `file.md:3` from line 3 on, `file.md::10` up to line 10,
 * `file.md:1:3,7:8` both ranges; `file.md:name` the section `name` (pymdownx's selectors).
 */
function splitSelector(spec: string): {path: string; select?: Select} {
  const section = /^(.+?):([a-zA-Z][-_0-9a-zA-Z]*)$/.exec(spec)
  if (section && !/^[a-zA-Z]$/.test(section[1])) {
    const name = section[2]
    return {path: section[1], select: (lines) => sectionOf(lines, name)}
  }
  const match = /^(.*?):((?:\d*(?::\d*)?)(?:,\d*(?::\d*)?)*)$/.exec(spec)
  if (!match || !/\d/.test(match[2])) return {path: spec}
  const ranges = match[2].split(',').map((range) => {
    const [start, end] = range.split(':')
    return {start: Math.max(1, Number(start || 1)), end: end ? Number(end) : Infinity}
  })
  return {path: match[1], select: (lines) => lines.filter((_line, index) => ranges.some((range) => index + 1 >= range.start && index + 1 <= range.end))}
}

/** The lines between `[start:name]` and `[end:name]`, other section markers dropped. */
function sectionOf(lines: SourceLine[], name: string): SourceLine[] | string {
  const out: SourceLine[] = []
  let inside = false
  let seen = false
  for (const line of lines) {
    const marker = SECTION_MARKER.exec(line.text)
    if (marker && !marker[1]) {
      if (marker[3] === name && marker[2] === 'start') inside = seen = true
      else if (marker[3] === name && marker[2] === 'end' && inside) return out
      continue
    }
    if (inside) out.push(line)
  }
  return seen ? out : `no section "${name}" in the file (it needs a line with --8<-- [start:${name}])`
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(["'])/g, '$1')
}

function describe(bases: string[]): string {
  return [...new Set(bases)].map((base) => relative(process.cwd(), resolve(base)) || '.').join(', ')
}
