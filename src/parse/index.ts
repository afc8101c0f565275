/**
 * parse: a page as the vendor wrote it → mdast, with MkDocs tabs and
 * admonitions as directive nodes (see ./types.ts), snippets spliced in as
 * text (each node's `data.file` says where it came from). Never throws on content:
 * what it cannot make sense of becomes a diagnostic.
 */
import {realpathSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import type {Root} from 'mdast'
import type {Diagnostic} from '../graph/types.js'
import {UsageError} from '../errors.js'
import {MAX_INCLUDE_BYTES, readInclude} from './include-files.js'
import {parseBlocks} from './blocks.js'
import {emitBlocks} from './emit.js'
import {splitSource} from './lines.js'
import {parseMarkdown} from './markdown.js'
import {expandSnippets} from './snippets.js'
import {checkFileSize, checkLines} from './limits.js'

export type {TabsDirective, TabDirective, AdmonitionDirective, IncludeDirective} from './types.js'

export interface ParseOptions {
  /** Extra snippet base paths (`--include-path`), tried after the page's folder. */
  includePaths?: string[]
  /** File contents shared between parses. */
  cache?: Map<string, string | null>
}

export interface ParsedPage {
  file: string
  tree: Root
  diagnostics: Diagnostic[]
}

/** Parse markdown text that claims to live at `file` (includes resolve from there). */
export function parseText(text: string, file: string, options: ParseOptions = {}): ParsedPage {
  const diagnostics: Diagnostic[] = []
  const basePaths = [dirname(file), ...(options.includePaths ?? []).map((path) => resolve(path))]
  checkLines(text, file)
  const lines = expandSnippets(splitSource(text, file), {basePaths, diagnostics, cache: options.cache, budget: {used: text.length}})
  const emitted = emitBlocks(parseBlocks(lines, diagnostics))
  const tree = parseMarkdown(emitted, file)
  return {file, tree, diagnostics}
}

export function parseFile(path: string, options: ParseOptions = {}): ParsedPage {
  const file = resolve(path)
  let real: string
  try {
    real = realpathSync(file)
  } catch {
    throw new UsageError(`cannot read ${path}: no such file. Give the path of a markdown page, or the name of a runbook in runbooks/ (see 'runbook list').`)
  }
  checkFileSize(real)
  // Read as an include is: a regular file, without blocking, at most MAX_INCLUDE_BYTES.
  const text = readInclude(file, real, options.cache)
  if (typeof text !== 'string') {
    throw new UsageError(`cannot read ${path}: ${text.reason.replace(/: not included.*$/, '')}. Give the path of a markdown page (at most ${MAX_INCLUDE_BYTES / 1024 / 1024} MB), or the name of a runbook in runbooks/ (see 'runbook list').`)
  }
  return parseText(text, file, options)
}
