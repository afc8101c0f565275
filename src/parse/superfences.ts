/**
 * How pymdownx.superfences pairs fence lines, where it differs from
 * CommonMark: a fence opened at N columns closes only on a line of exactly
 * its marker at exactly N columns; a non-blank line less indented than N
 * before that makes the whole block text (and that line is not read as a
 * fence). Where our reading closes a fence that superfences does not, MkDocs
 * shows the text after it as code, or the block as text: the block pass keeps
 * the author's reading and warns, naming the lines (see ./blocks.ts).
 */
import type {SourcePos} from '../graph/types.js'
import {indentOf, isBlank} from './lines.js'
import type {ExpandedLine} from './snippets.js'

/** Lines read ahead for where MkDocs' fence ends: bounded, so that a page of broken fences stays linear. */
const LOOKAHEAD = 2000

export interface OpenFence {
  marker: string
  origin: SourcePos
  /** Columns of the opening line, as written. */
  indent: number
  /** The first non-blank line inside that is less indented than the opening line. */
  shallow?: SourcePos
}

/** Note a line inside the fence (before its closing line). */
export function noteFenceLine(fence: OpenFence, line: ExpandedLine): void {
  if (!fence.shallow && !line.marker && !isBlank(line.text) && indentOf(line.text) < fence.indent) fence.shallow = line.origin
}

/**
 * Where superfences closes a fence of `marker` opened at `indent` columns,
 * reading from `from`: the index of its closing line, or -1 when it reads the
 * block as text (a less indented line, the end of the page, or nothing within the lookahead).
 */
function superfencesEnd(lines: ExpandedLine[], from: number, indent: number, marker: string): number {
  for (let at = from; at < lines.length && at < from + LOOKAHEAD; at++) {
    const {text, marker: include} = lines[at]
    if (include || isBlank(text)) continue
    const column = indentOf(text)
    if (column < indent) return -1
    if (column === indent && text.trim() === marker) return at
  }
  return -1
}

/**
 * The warning for a fence we close at `closer` (the index of our closing
 * line) that superfences does not close there: MkDocs shows the text after
 * it as code, or the block itself as text; undefined when both readings agree.
 */
export function closingDiverges(lines: ExpandedLine[], closer: number, fence: OpenFence): string | undefined {
  const line = lines[closer]
  const column = indentOf(line.text)
  const written = line.text.trim()
  const where = `code fence ${fence.marker} opened at line ${fence.origin.line}`
  if (fence.shallow) {
    // Superfences gave up the block at the shallow line; this closing line then opens a fence of its own.
    const end = fence.shallow === line.origin ? -1 : superfencesEnd(lines, closer + 1, column, written)
    if (end < 0) return `${where}: line ${fence.shallow.line} is less indented than the fence, so MkDocs shows the block as text, not code; read here as code, as the author meant. Indent every line of the block at least as far as its opening fence`
    if (end === closer + 1) return undefined
    return `${where}: line ${fence.shallow.line} is less indented than the fence, so MkDocs reads the block as text and this closing line as the opening of another fence, and shows lines ${line.origin.line + 1} to ${lines[end].origin.line - 1} (the text after it) as code; read here as the author meant. Indent every line of the block at least as far as its opening fence`
  }
  if (column === fence.indent && written === fence.marker) return undefined
  // A longer closing fence has its own warning (blocks.ts); a deeper one is content to superfences.
  if (written.length !== fence.marker.length || column <= fence.indent) return undefined
  const end = superfencesEnd(lines, closer + 1, fence.indent, fence.marker)
  if (end <= closer + 1) return undefined
  return `${where} is closed ${column - fence.indent} columns further in than it opens: MkDocs does not close it here and shows lines ${line.origin.line + 1} to ${lines[end].origin.line - 1} (the text after it) as code; read here as closed, as the author meant. Indent the closing fence as its opening line`
}
