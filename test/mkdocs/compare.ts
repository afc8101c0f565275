/**
 * Our parser against MkDocs' own reading (./render.py), page by page: every
 * shell code block MkDocs shows must be one of ours, in the same tabs.
 *
 * A shell block is a fenced code block whose language is a shell's (or none:
 * an unlabeled block may hold commands). Indented code blocks are left out:
 * on these pages they are prose that Python-Markdown took for code, never
 * commands an author fenced. Text is compared after what
 * Python-Markdown does to all text (tabs expanded to 4 columns, trailing
 * spaces dropped); blocks are matched in page order, the same text under
 * several tabs once per tab.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Nodes} from 'mdast'
import {mkdocsBasePaths} from '../../src/cli/target.js'
import {normaliseLang} from '../../src/graph/classify.js'
import {parseFile} from '../../src/parse/index.js'

export const SHELL_LANGS = new Set(['', 'bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession', 'terminal', 'ksh', 'dash', 'curl'])

export interface Block {
  lang: string
  text: string
  tabs: string[]
  /** MkDocs' blocks: false for an indented code block (four spaces, no fence). */
  fenced?: boolean
}

export interface Rendered {
  config: {file: string; extensions: string[]; skipped: string[]}
  pages: Record<string, Block[]>
}

export const python = '/usr/bin/python3'

/** Python-Markdown with pymdownx is installed for the system python. */
export function hasRenderer(): boolean {
  if (!existsSync(python)) return false
  try {
    execFileSync(python, ['-c', 'import markdown, pymdownx.tabbed, pymdownx.superfences, yaml'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

/** MkDocs' blocks of `pages` (all of the tree's when empty), through render.py. */
export function render(tree: string, out: string, pages: string[] = []): Rendered {
  execFileSync(python, [resolve(dirname(fileURLToPath(import.meta.url)), 'render.py'), tree, out, ...pages], {stdio: ['ignore', 'ignore', 'inherit']})
  return JSON.parse(readFileSync(out, 'utf8')) as Rendered
}

/** Our blocks of one page, parsed as `runbook` reads it (base paths from the tree's mkdocs*.yml). */
export function ourBlocks(file: string, cache: Map<string, string | null>): Block[] {
  const page = parseFile(file, {includePaths: mkdocsBasePaths(file), cache})
  const out: Block[] = []
  const visit = (node: Nodes, tabs: string[]) => {
    if (node.type === 'code') out.push({lang: normaliseLang(node.lang), text: node.value, tabs})
    const here = node.type === 'containerDirective' && node.name === 'tab' ? [...tabs, String(node.attributes?.label ?? '')] : tabs
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child, here)
  }
  visit(page.tree, [])
  return out
}

export function normaliseText(text: string): string {
  const lines = text.split('\n').map((line) => expandTabs(line).replace(/\s+$/, ''))
  while (lines.length > 0 && lines[0] === '') lines.shift()
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines.join('\n')
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line
  let out = ''
  for (const char of line) out += char === '\t' ? ' '.repeat(4 - (out.length % 4)) : char
  return out
}

export interface Difference {
  page: string
  kind: 'lost' | 'tabs'
  text: string
  mkdocs: string[]
  ours?: string[]
}

export interface Score {
  shellBlocks: number
  kept: number
  rightTabs: number
  differences: Difference[]
}

/** Compare one page; `differences` gets what differs. */
export function comparePage(page: string, mkdocs: Block[], ours: Block[], score: Score): void {
  const theirs = mkdocs.filter((block) => block.fenced !== false && SHELL_LANGS.has(normaliseLang(block.lang)) && normaliseText(block.text) !== '')
  const candidates = ours.map((block) => ({...block, key: normaliseText(block.text), used: false}))
  let cursor = 0
  for (const block of theirs) {
    score.shellBlocks++
    const key = normaliseText(block.text)
    const same = (index: number) => !candidates[index].used && candidates[index].key === key
    // In page order first; anywhere else if the order differs.
    let found = -1
    for (let index = cursor; index < candidates.length && found < 0; index++) if (same(index)) found = index
    for (let index = 0; index < cursor && found < 0; index++) if (same(index)) found = index
    if (found < 0) {
      score.differences.push({page, kind: 'lost', text: key, mkdocs: block.tabs})
      continue
    }
    const match = candidates[found]
    match.used = true
    cursor = found + 1
    score.kept++
    if (JSON.stringify(match.tabs) === JSON.stringify(block.tabs)) score.rightTabs++
    else score.differences.push({page, kind: 'tabs', text: key, mkdocs: block.tabs, ours: match.tabs})
  }
}

export function compareTree(tree: string, rendered: Rendered, cache = new Map<string, string | null>()): Score {
  const score: Score = {shellBlocks: 0, kept: 0, rightTabs: 0, differences: []}
  for (const [page, blocks] of Object.entries(rendered.pages)) comparePage(page, blocks, ourBlocks(join(tree, page), cache), score)
  return score
}
