/**
 * The pages a lint covers: each path given, folders walked for `.md` files
 * (hidden folders and node_modules skipped), each parsed and built into a
 * graph exactly as `runbook run` would, with the snippet base paths of the
 * nearest mkdocs*.yml.
 */
import {readdirSync, statSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {UsageError} from '../errors.js'
import {buildGraph} from '../graph/index.js'
import {parseFile} from '../parse/index.js'
import {mkdocsSnippetSettings} from '../cli/target.js'
import type {LintPage} from './types.js'

export function findPages(targets: string[]): string[] {
  const out = new Set<string>()
  for (const target of targets) {
    let stat
    try {
      stat = statSync(target)
    } catch {
      throw new UsageError(`${target}: no such file or folder. Give markdown pages or folders that hold them.`)
    }
    if (stat.isDirectory()) for (const file of walk(resolve(target))) out.add(file)
    else out.add(resolve(target))
  }
  return [...out]
}

function walk(dir: string): string[] {
  const found: string[] = []
  for (const entry of readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...walk(path))
    else if (entry.isFile() && entry.name.endsWith('.md')) found.push(path)
  }
  return found
}

/** Loads pages one by one; the file cache and the base paths of each folder are shared. */
export class PageLoader {
  private readonly cache = new Map<string, string | null>()
  private readonly basesByDir = new Map<string, {basePaths: string[]; restrictBasePath: boolean}>()

  constructor(private readonly includePaths: string[] = []) {}

  load(file: string): LintPage {
    const dir = file.slice(0, file.lastIndexOf('/'))
    let mkdocs = this.basesByDir.get(dir)
    if (!mkdocs) this.basesByDir.set(dir, (mkdocs = mkdocsSnippetSettings(file)))
    const basePaths = [...this.includePaths.map((path) => resolve(path)), ...mkdocs.basePaths]
    const parsed = parseFile(file, {includePaths: basePaths, cache: this.cache})
    return {file, parsed, graph: buildGraph(parsed), basePaths, restrictBasePath: mkdocs.basePaths.length > 0 && mkdocs.restrictBasePath}
  }

  /** The text of a file the parse read (pages and snippets), else undefined. */
  text(file: string): string | undefined {
    return this.cache.get(file) ?? undefined
  }
}
