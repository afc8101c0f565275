/**
 * Source lines that remember where they came from. Snippet expansion splices
 * other files in, and the block pass dedents bodies; every line keeps its
 * original file and line so that positions in the tree point at the source.
 */
import type {SourcePos} from '../graph/types.js'

export interface SourceLine {
  text: string
  origin: SourcePos
}

/** Python-Markdown's tab length: a tab is four columns of indentation. */
export const TAB_WIDTH = 4

/** Split file text into lines: a leading BOM is dropped, CRLF and CR end lines. */
export function splitSource(text: string, file: string, firstLine = 1): SourceLine[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const parts = body.split(/\r\n|\r|\n/)
  // A final newline ends the last line; it does not start an empty one.
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop()
  return parts.map((line, index) => ({text: line, origin: {file, line: firstLine + index}}))
}

/** Width of the leading whitespace, tabs expanded to the next multiple of four. */
export function indentOf(text: string): number {
  let width = 0
  for (const char of text) {
    if (char === ' ') width++
    else if (char === '\t') width += TAB_WIDTH - (width % TAB_WIDTH)
    else break
  }
  return width
}

export function isBlank(text: string): boolean {
  return text.trim() === ''
}

/**
 * Remove `columns` of leading indentation. Leading tabs are expanded first so
 * that a tab-indented body dedents like a space-indented one.
 */
export function dedent(text: string, columns: number): string {
  if (columns <= 0) return text
  let index = 0
  let width = 0
  while (index < text.length && (text[index] === ' ' || text[index] === '\t')) {
    width = text[index] === '\t' ? width + TAB_WIDTH - (width % TAB_WIDTH) : width + 1
    index++
  }
  const rest = text.slice(index)
  return ' '.repeat(Math.max(0, width - columns)) + rest
}

/** Prefix every line with `indent` (a snippet included from an indented line). */
export function indentLines(lines: SourceLine[], indent: string): SourceLine[] {
  if (!indent) return lines
  return lines.map((line) => ({...line, text: isBlank(line.text) ? line.text : indent + line.text}))
}
