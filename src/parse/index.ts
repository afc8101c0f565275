/**
 * parse: a page as the vendor wrote it → mdast, with MkDocs tabs, admonitions
 * and snippets as directive nodes (see ./types.ts). Never throws on content:
 * what it cannot make sense of becomes a diagnostic.
 */
import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import type {Root} from 'mdast'
import type {Diagnostic} from '../graph/types.js'
import {UsageError} from '../errors.js'
import {parseBlocks} from './blocks.js'
import {emitBlocks} from './emit.js'
import {splitSource} from './lines.js'
import {parseMarkdown} from './markdown.js'
import {expandSnippets} from './snippets.js'
import {checkFileSize, checkLines} from './limits.js'

export type {TabsDirective, TabDirective, AdmonitionDirective, SnippetDirective, IncludeDirective} from './types.js'

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
  let text: string
  checkFileSize(file)
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a markdown file' : (error as Error).message
    throw new UsageError(`cannot read ${path}: ${why}. Give the path of a markdown page, or the name of a runbook in runbooks/ (see 'runbook list').`)
  }
  options.cache?.set(file, text)
  return parseText(text, file, options)
}
