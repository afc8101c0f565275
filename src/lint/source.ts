/**
 * Positions in the files a page is made of: raw lines (cached), the lines
 * fenced code covers, and where each line of an action's script sits on the
 * page (prompts stripped, bodies dedented, parts of a split block).
 */
import {readFileSync} from 'node:fs'
import type {Nodes} from 'mdast'
import type {Action} from '../graph/types.js'
import type {LintPage, SourceLines} from './types.js'

export class SourceCache implements SourceLines {
  private readonly files = new Map<string, string[]>()

  constructor(private readonly known: (file: string) => string | undefined = () => undefined) {}

  lines(file: string): string[] {
    let lines = this.files.get(file)
    if (!lines) {
      let text = this.known(file)
      if (text === undefined) {
        try {
          text = readFileSync(file, 'utf8')
        } catch {
          text = ''
        }
      }
      lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/)
      this.files.set(file, lines)
    }
    return lines
  }
}

/** Visit every node with the file its text comes from (snippet bodies: the snippet's file). */
export function visitNodes(page: LintPage, visit: (node: Nodes, file: string) => void): void {
  const walk = (node: Nodes, file: string) => {
    const here = node.data?.file ?? file
    visit(node, here)
    if (!('children' in node)) return
    const inner = node.type === 'containerDirective' && node.name === 'snippet' ? String(node.attributes?.file ?? here) : here
    for (const child of node.children as Nodes[]) walk(child, inner)
  }
  walk(page.parsed.tree, page.file)
}

/** Lines inside fenced code, by file: line-based rules must not read code as markup. */
export function fencedLines(page: LintPage): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>()
  visitNodes(page, (node, file) => {
    if (node.type !== 'code' || !node.position) return
    let set = out.get(file)
    if (!set) out.set(file, (set = new Set()))
    for (let line = node.position.start.line; line <= node.position.end.line; line++) set.add(line)
  })
  return out
}

/** First column (1-based) of non-blank text on a line. */
export function firstColumn(text: string | undefined): number {
  const match = /\S/.exec(text ?? '')
  return match ? match.index + 1 : 1
}

export interface ScriptLine {
  /** 0-based index in the script. */
  index: number
  text: string
  /** Page line (1-based) and the column where the script line's text (trimmed) starts there. */
  line: number
  column: number
  /** Leading blanks of the script line: a script column c is page column `column + c - 1 - lead`. */
  lead: number
}

/**
 * Each line of an action's script, found on the page by reading forward from
 * the action's source line: blank and unmatched lines take the last place found.
 */
export function placeScript(action: Action, source: SourceLines): ScriptLine[] {
  let placed = placed_.get(action)
  if (!placed) placed_.set(action, (placed = findScript(action, source)))
  return placed
}

/** Several rules place the same action: once is enough. */
const placed_ = new WeakMap<Action, ScriptLine[]>()

function findScript(action: Action, source: SourceLines): ScriptLine[] {
  const lines = source.lines(action.source.file)
  const out: ScriptLine[] = []
  let cursor = Math.max(0, action.source.line - 1)
  let last = {line: action.source.line, column: 1}
  action.script.split('\n').forEach((text, index) => {
    const wanted = text.trim()
    if (wanted) {
      for (let at = cursor; at < Math.min(lines.length, cursor + 200); at++) {
        const column = lines[at].indexOf(wanted)
        if (column >= 0) {
          last = {line: at + 1, column: column + 1}
          cursor = at + 1
          break
        }
      }
    }
    out.push({index, text, line: last.line, column: last.column, lead: text.length - text.trimStart().length})
  })
  return out
}
