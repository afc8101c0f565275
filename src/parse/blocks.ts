/**
 * The MkDocs block constructs, recognised by indentation first (as
 * Python-Markdown does) before any CommonMark parse: content tabs
 * (`=== "Label"`) and admonitions (`!!! type "Title"`, `???`, `???+`), in a
 * page whose snippets are already spliced in. CommonMark would read their 4-space indented bodies as
 * indented code or as lazy paragraph continuations and silently lose them.
 */
import type {Diagnostic, SourcePos} from '../graph/types.js'
import {startsHtmlBlock} from './html-block.js'
import {dedent, indentOf, isBlank} from './lines.js'
import {closingDiverges, noteFenceLine, type OpenFence} from './superfences.js'
import type {ExpandedLine} from './snippets.js'

export interface TabBlock {
  type: 'tab'
  label: string
  /** `===!` starts a new group; `===+` selects the tab by default. */
  selected: boolean
  indent: number
  origin: SourcePos
  children: Block[]
}

export type Block =
  /**
   * `literal`: a fence opener that is never closed, text as Python-Markdown reads it.
   * `start`: the number of an ordered item renumbered 1 so that CommonMark starts a list there (see laterItem).
   */
  | {type: 'line'; line: ExpandedLine; literal?: boolean; start?: number}
  /** A fence left open when its container ended: closed here so the container can end. */
  | {type: 'fence-close'; fence: string; origin: SourcePos}
  | {type: 'tabs'; indent: number; origin: SourcePos; children: TabBlock[]}
  | TabBlock
  | {type: 'admonition'; kind: string; title?: string; collapsible?: 'open' | 'closed'; indent: number; origin: SourcePos; children: Block[]}
  | {type: 'include-missing'; path: string; reason: string; indent: number; origin: SourcePos}

const TAB = /^[ \t]*===([!+]{0,2})[ \t]+"(.*)"[ \t]*$/
// Python's \w: letters of every language (`!!! Atenção`, `!!! informação`).
const ADMONITION = /^[ \t]*(!!!|\?\?\?\+?)(?:[ \t]+|(?=[\p{L}\p{N}_-]))([\p{L}\p{N}_-]+(?:[ \t]+[\p{L}\p{N}_-]+)*)?(?:[ \t]*"(.*)")?[ \t]*$/u
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/

/** Deeper container nesting is read as text: no real page comes near it. */
const MAX_DEPTH = 48

export interface Cursor {
  lines: ExpandedLine[]
  index: number
  diagnostics: Diagnostic[]
  /** Built on first use (see textAbove). */
  shallower?: Shallower
  /** By level indentation and fence marker: the last read ahead (see closedAhead). */
  ahead?: Map<string, {from: number; stop: number; closes: boolean}>
}

interface Shallower {
  above: Int32Array
  indents: Int32Array
}

export function parseBlocks(lines: ExpandedLine[], diagnostics: Diagnostic[]): Block[] {
  const cursor: Cursor = {lines, index: 0, diagnostics}
  return parseLevel(cursor, 0, 0, 0)
}

/**
 * Read blocks while lines are indented at least `minIndent` (blank lines never
 * end a level). `base`: the column the level's content starts at, four
 * columns past which is indented code.
 */
function parseLevel(cursor: Cursor, minIndent: number, depth: number, base: number): Block[] {
  const blocks: Block[] = []
  const first = cursor.index
  // The last non-blank line this level emits as a line (-1 after a construct): what a list item follows.
  let lastText = -1
  // Inside an HTML block that CommonMark ends at a blank line (see ./html-block.ts).
  let html = false
  // `dedent`: columns taken off a fence that superfences reads where CommonMark sees indented text.
  let fence: (OpenFence & {dedent: number}) | undefined
  while (cursor.index < cursor.lines.length) {
    let line = cursor.lines[cursor.index]
    const blank = !line.marker && isBlank(line.text)
    if (!blank && indentOf(line.text) < minIndent) break
    if (blank) html = false
    if (fence) {
      // A missing include inside a fence gives no line, as pymdownx.
      const text = fence.dedent ? dedent(line.text, fence.dedent) : line.text
      if (!line.marker && closesFence(line.text, fence.marker)) {
        const closer = line.text.trim()
        if (closer.length > fence.marker.length) {
          cursor.diagnostics.push({
            severity: 'warning',
            message: `code fence ${fence.marker} is closed by the longer ${closer}: MkDocs does not close it there and shows the lines after it as code, up to the next ${fence.marker}; read here as closed, as the author meant. Make the closing fence ${fence.marker}`,
            source: line.origin,
          })
        }
        const diverges = closingDiverges(cursor.lines, cursor.index, fence)
        if (diverges) cursor.diagnostics.push({severity: 'warning', message: diverges, source: line.origin})
        fence = undefined
      } else {
        noteFenceLine(fence, line)
      }
      if (!line.marker) blocks.push({type: 'line', line: text === line.text ? line : {...line, text}})
      if (!line.marker && !isBlank(line.text)) lastText = cursor.index
      cursor.index++
      continue
    }
    const block = blank ? undefined : parseConstruct(cursor, line, depth, base)
    if (block) {
      blocks.push(block)
      lastText = -1
      html = false
      continue
    }
    if (line.marker) {
      blocks.push({type: 'line', line: {text: line.marker.literal, origin: line.origin}})
      lastText = -1
      cursor.index++
      continue
    }
    const open = FENCE_OPEN.exec(line.text)
    const fenceLike = open !== null && !(open[1][0] === '`' && open[2].includes('`'))
    const code = fenceLike && indentedCode(cursor, base)
    // Superfences reads a fence right under a line of text (no blank line) at any indentation;
    // CommonMark would fold it into the text. It is moved to the text's column.
    const underText = code && followsText(cursor, base)
    if (fenceLike && (!code || underText)) {
      // Python-Markdown reads a fence with no closing line in its block as text, not as code to the end.
      if (closedAhead(cursor, minIndent, open[1])) {
        fence = {marker: open[1], origin: line.origin, indent: indentOf(line.text), dedent: underText ? indentOf(line.text) - contentColumn(cursor, base) : 0}
        // Superfences takes the fence out before Python-Markdown reads the HTML around it: a blank line
        // ends CommonMark's HTML block so that the fence is code here too.
        if (html) blocks.push({type: 'line', line: {text: '', origin: line.origin}})
        html = false
        if (fence.dedent) line = {...line, text: dedent(line.text, fence.dedent)}
      } else {
        const why = depth > 0 ? 'is not closed before its block ends' : 'is never closed'
        cursor.diagnostics.push({severity: 'warning', message: `code fence ${open[1]} ${why}: read as text, as MkDocs does`, source: line.origin})
        blocks.push({type: 'line', line, literal: true})
        lastText = cursor.index
        cursor.index++
        continue
      }
    }
    if (!blank && !html && !line.marker) {
      const afterBlank = cursor.index === first || isBlank(cursor.lines[cursor.index - 1].text)
      html = startsHtmlBlock(line.text, afterBlank) && !indentedCode(cursor, base)
    }
    const start = blank ? undefined : laterItemAfterCode(cursor, base, first, lastText)
    if (start !== undefined) blocks.push({type: 'line', line: fourColumnItem(renumberItem(line)), start})
    else blocks.push({type: 'line', line: fourColumnItem(line)})
    if (!blank) lastText = cursor.index
    cursor.index++
  }
  if (fence && depth > 0) {
    cursor.diagnostics.push({severity: 'warning', message: `code fence ${fence.marker} is not closed before its block ends`, source: fence.origin})
    blocks.push({type: 'fence-close', fence: fence.marker, origin: fence.origin})
  } else if (fence) {
    cursor.diagnostics.push({severity: 'warning', message: `code fence ${fence.marker} is never closed`, source: fence.origin})
  }
  return blocks
}

const LIST_ITEM = /^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+/
const WIDE_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])( {2,4})(?=\S)/

/**
 * Python-Markdown's list rule: an item's content is indented four columns
 * past its marker's line, whatever the marker's width (`1.   Because…` is
 * continued by lines at four columns). CommonMark puts the content where the
 * text starts (column 5 there), and reads those lines as something else. The
 * spaces after the marker are narrowed so that the text starts four columns
 * in, as Python-Markdown reads it.
 */
function fourColumnItem(line: ExpandedLine): ExpandedLine {
  const match = WIDE_ITEM.exec(line.text)
  if (!match || match[2].length + match[3].length <= 4) return line
  const spaces = Math.max(1, 4 - match[2].length)
  return {...line, text: match[1] + match[2] + ' '.repeat(spaces) + line.text.slice(match[0].length)}
}

const LATER_ITEM = /^([ \t]*)(\d{1,9})([.)])(?=[ \t]|$)/

/**
 * An ordered item numbered other than 1 right after indented code (blank
 * lines between or not) starts a list for CommonMark and Python-Markdown, but
 * micromark still counts the code block as the construct under way and reads
 * the item as a paragraph that may not interrupt it, losing the list and the
 * fences of its items. Its number, when the line at the cursor is such an item;
 * the item is then renumbered 1 (see renumberItem) and the list's start restored
 * after the parse. `first`: the level's first line; `lastText`: its last
 * non-blank line before the cursor.
 */
function laterItemAfterCode(cursor: Cursor, base: number, first: number, lastText: number): number | undefined {
  const line = cursor.lines[cursor.index]
  const match = LATER_ITEM.exec(line.text)
  if (!match || lastText < 0 || Number(match[2]) === 1 || indentedCode(cursor, base)) return undefined
  // The first line of the indented run that ends at lastText: code only if nothing but a blank line
  // or the level's start is above it (an indented line right under text continues a paragraph).
  let top = lastText
  while (top > first && !cursor.lines[top - 1].marker && !isBlank(cursor.lines[top - 1].text) && indentOf(cursor.lines[top - 1].text) >= base + 4) top--
  if (top > first && !isBlank(cursor.lines[top - 1].text)) return undefined
  return indentedCode(cursor, base, top) ? Number(match[2]) : undefined
}

/** `12. text` as `1.  text`: the text stays in its column, so the item's content column does not move. */
function renumberItem(line: ExpandedLine): ExpandedLine {
  const match = LATER_ITEM.exec(line.text) as RegExpExecArray
  const [whole, indent, digits, delimiter] = match
  return {...line, text: `${indent}1${delimiter}${' '.repeat(digits.length - 1)}${line.text.slice(whole.length)}`}
}

/**
 * Is the line at the cursor indented code for CommonMark and Python-Markdown
 * (so no fence, tab or admonition starts there)? Not within three columns of
 * the body it sits in, nor of the content of the list item above it.
 */
function indentedCode(cursor: Cursor, base: number, index = cursor.index): boolean {
  const indent = indentOf(cursor.lines[index].text)
  if (indent - base < 4) return false
  const at = textAbove(cursor, index, indent)
  if (at < 0) return true
  const line = cursor.lines[at]
  const item = LIST_ITEM.exec(line.text)
  return item === null || indent - (indentOf(line.text) + item[0].trimStart().length) >= 4
}

/**
 * The nearest line above `index` that is text (no marker, not blank) indented
 * less than `indent`, or -1. Each line's own nearest shallower text line is
 * found once per page (see shallowerLines), so the lines of a long indented
 * run are not all read again for each line of it that looks like a construct.
 */
export function textAbove(cursor: Cursor, index: number, indent: number): number {
  const {above, indents} = (cursor.shallower ??= shallowerLines(cursor.lines))
  // A marker or blank line's entry is the nearest text line above it.
  let at = index - 1
  if (at >= 0 && indents[at]! < 0) at = above[at]!
  while (at >= 0 && indents[at]! >= indent) at = above[at]!
  return at
}

/**
 * For each text line, the nearest text line above it indented less (a stack of
 * ever deeper lines, one pass); for a marker or blank line, the nearest text
 * line above. `indents`: each line's indentation, -1 where it is not text.
 */
function shallowerLines(lines: ExpandedLine[]): Shallower {
  const above = new Int32Array(lines.length)
  const indents = new Int32Array(lines.length)
  const deeper: number[] = []
  for (let at = 0; at < lines.length; at++) {
    const line = lines[at]!
    if (line.marker || isBlank(line.text)) {
      indents[at] = -1
      above[at] = deeper.at(-1) ?? -1
      continue
    }
    const indent = (indents[at] = indentOf(line.text))
    while (deeper.length > 0 && indents[deeper.at(-1)!]! >= indent) deeper.pop()
    above[at] = deeper.at(-1) ?? -1
    deeper.push(at)
  }
  return {above, indents}
}

/** Is the line above the cursor text of a paragraph (not blank, not indented code, not a marker)? */
function followsText(cursor: Cursor, base: number): boolean {
  const above = cursor.lines[cursor.index - 1]
  if (!above || above.marker || isBlank(above.text) || indentOf(above.text) < base) return false
  return !indentedCode(cursor, base, cursor.index - 1)
}

/** The column text starts at for the line at the cursor: its list item's content, or the level's. */
function contentColumn(cursor: Cursor, base: number): number {
  const at = textAbove(cursor, cursor.index, indentOf(cursor.lines[cursor.index].text))
  if (at < 0) return base
  const line = cursor.lines[at]
  if (indentOf(line.text) < base) return base
  const item = LIST_ITEM.exec(line.text)
  return item ? Math.min(indentOf(line.text) + item[0].trimStart().length, indentOf(line.text) + 4) : Math.max(base, indentOf(line.text))
}

/**
 * Does a line of this level close the fence opened at the cursor? (The loop
 * above, read ahead.) The answer is the first line that ends the level or
 * closes such a fence; it holds for every opener up to that line, so a run of
 * fences never closed is read ahead once, not once per fence.
 */
export function closedAhead(cursor: Cursor, minIndent: number, marker: string): boolean {
  const key = `${minIndent} ${marker[0]} ${marker.length}`
  const known = (cursor.ahead ??= new Map()).get(key)
  if (known && known.from <= cursor.index && cursor.index < known.stop) return known.closes
  let at = cursor.index + 1
  let closes = false
  for (; at < cursor.lines.length; at++) {
    const line = cursor.lines[at]
    if ((line.marker || !isBlank(line.text)) && indentOf(line.text) < minIndent) break
    if (!line.marker && closesFence(line.text, marker)) {
      closes = true
      break
    }
  }
  cursor.ahead.set(key, {from: cursor.index, stop: at, closes})
  return closes
}

function closesFence(text: string, marker: string): boolean {
  const trimmed = text.trim()
  return trimmed.length >= marker.length && trimmed[0] === marker[0] && /^(`+|~+)$/.test(trimmed)
}

/** A construct starting at the cursor, consumed whole; undefined for a plain line. */
function parseConstruct(cursor: Cursor, line: ExpandedLine, depth: number, base: number): Block | undefined {
  const {marker} = line
  const indent = indentOf(line.text)
  if (marker) {
    // In indented code the include line is code as written; nowhere may the engine's own marker leak into a script.
    if (indentedCode(cursor, base)) return undefined
    cursor.index++
    return {type: 'include-missing', path: marker.path, reason: marker.reason, indent, origin: line.origin}
  }
  if (depth >= MAX_DEPTH) return undefined
  const tab = TAB.test(line.text)
  const admonition = tab ? null : ADMONITION.exec(line.text)
  // Indented four columns past its body, outside a list item, it is a line of indented code.
  if ((!tab && !admonition) || indentedCode(cursor, base)) return undefined
  if (tab) {
    // Python-Markdown sees blocks four columns apart: a group two or three columns in is plain text there.
    if ((indent - base) % 4 !== 0) {
      cursor.diagnostics.push({
        severity: 'warning',
        message: `tab group indented ${indent - base} columns: MkDocs renders it as plain text (its tabs and their code need four columns per level); read here as tabs, as the author meant. Indent it by ${Math.ceil((indent - base) / 4) * 4} columns`,
        source: line.origin,
      })
    }
    return parseTabGroup(cursor, indent, depth)
  }
  if (admonition) {
    cursor.index++
    const [, opener, kind = 'note', title] = admonition
    const collapsible = opener === '???' ? 'closed' : opener === '???+' ? 'open' : undefined
    const children = parseLevel(cursor, indent + 4, depth + 1, indent + 4)
    if (children.every((child) => child.type === 'line' && isBlank(child.line.text))) {
      cursor.diagnostics.push({severity: 'info', message: `admonition "${title ?? kind}" has no indented body`, source: line.origin})
    }
    return {type: 'admonition', kind: kind.split(/[ \t]+/)[0].toLowerCase(), title: title || undefined, collapsible, indent, origin: line.origin, children}
  }
  return undefined
}

/** Python-Markdown's backslash escapes: `\.` is a dot, `\d` stays as written. */
const ESCAPED = /\\([\\`*_{}[\]()>#+\-.!])/g

/**
 * A label as MkDocs shows it: the text of its inline markdown, so backslash
 * escapes are undone (`1\.5\.7 and later`) and code spans lose their backticks.
 */
export function labelText(raw: string): string {
  const parts = raw.trim().split(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/)
  let out = ''
  // split with two groups: text, fence, code, text, fence, code, …
  for (let index = 0; index < parts.length; index += 3) {
    out += parts[index].replace(ESCAPED, '$1')
    if (index + 2 < parts.length) out += parts[index + 2].trim() === '' ? parts[index + 2] : parts[index + 2].replace(/^ (.*) $/, '$1')
  }
  return out
}

/** Consecutive tabs at one indent (blank lines between) form one group; `===!` starts a new one. */
function parseTabGroup(cursor: Cursor, indent: number, depth: number): Block {
  const origin = cursor.lines[cursor.index].origin
  const tabs: TabBlock[] = []
  for (;;) {
    const line = cursor.lines[cursor.index]
    const [, flags, label] = TAB.exec(line.text) as RegExpExecArray
    cursor.index++
    const children = parseLevel(cursor, indent + 4, depth + 1, indent + 4)
    if (children.every((child) => child.type === 'line' && isBlank(child.line.text))) {
      cursor.diagnostics.push({severity: 'warning', message: `tab "${label}" has no indented body`, source: line.origin})
    }
    tabs.push({type: 'tab', label: labelText(label), selected: flags.includes('+'), indent, origin: line.origin, children})
    const next = cursor.lines[cursor.index]
    if (!next || next.marker || indentOf(next.text) !== indent) break
    const match = TAB.exec(next.text)
    if (!match || match[1].includes('!')) break
  }
  return {type: 'tabs', indent, origin, children: tabs}
}
