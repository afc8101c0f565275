/**
 * The MkDocs block constructs, recognised by indentation first (as
 * Python-Markdown does) before any CommonMark parse: content tabs
 * (`=== "Label"`), admonitions (`!!! type "Title"`, `???`, `???+`) and the
 * included snippets. CommonMark would read their 4-space indented bodies as
 * indented code or as lazy paragraph continuations and silently lose them.
 */
import type {Diagnostic, SourcePos} from '../graph/types.js'
import {indentOf, isBlank} from './lines.js'
import type {ExpandedLine} from './snippets.js'
import {append} from '../arrays.js'

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
  /** `literal`: a fence opener that is never closed, text as Python-Markdown reads it. */
  | {type: 'line'; line: ExpandedLine; literal?: boolean}
  /** A fence left open when its container ended: closed here so the container can end. */
  | {type: 'fence-close'; fence: string; origin: SourcePos}
  | {type: 'tabs'; indent: number; origin: SourcePos; children: TabBlock[]}
  | TabBlock
  | {type: 'admonition'; kind: string; title?: string; collapsible?: 'open' | 'closed'; indent: number; origin: SourcePos; children: Block[]}
  | {type: 'snippet'; path: string; file: string; indent: number; origin: SourcePos; children: Block[]}
  | {type: 'include-missing'; path: string; reason: string; indent: number; origin: SourcePos}

const TAB = /^[ \t]*===([!+]{0,2})[ \t]+"(.*)"[ \t]*$/
const ADMONITION = /^[ \t]*(!!!|\?\?\?\+?)(?:[ \t]+|(?=[\w-]))([\w-]+(?:[ \t]+[\w-]+)*)?(?:[ \t]*"(.*)")?[ \t]*$/
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/

/** Deeper container nesting is read as text: no real page comes near it. */
const MAX_DEPTH = 48

interface Cursor {
  lines: ExpandedLine[]
  index: number
  diagnostics: Diagnostic[]
}

export function parseBlocks(lines: ExpandedLine[], diagnostics: Diagnostic[]): Block[] {
  const cursor: Cursor = {lines, index: 0, diagnostics}
  const blocks: Block[] = []
  while (cursor.index < lines.length) {
    // A stray snippet end (its start was consumed as text) is dropped rather than looping.
    append(blocks, parseLevel(cursor, 0, 0, true, 0))
    if (cursor.index < lines.length && lines[cursor.index].marker?.type === 'snippet-end') cursor.index++
  }
  return blocks
}

/**
 * Read blocks while lines are indented at least `minIndent` (blank lines never
 * end a level). Stops before a snippet end unless `ownsSnippetEnd`. `base`:
 * the column the level's content starts at (a snippet's lines carry the
 * include's indentation), four columns past which is indented code.
 */
function parseLevel(cursor: Cursor, minIndent: number, depth: number, ownsSnippetEnd: boolean, base: number): Block[] {
  const blocks: Block[] = []
  // `includes`: snippets opened inside the fence, whose lines are part of the code.
  let fence: {marker: string; origin: SourcePos; includes: number} | undefined
  while (cursor.index < cursor.lines.length) {
    const line = cursor.lines[cursor.index]
    if (line.marker?.type === 'snippet-end' && !fence?.includes) {
      if (ownsSnippetEnd) cursor.index++
      break
    }
    const blank = !line.marker && isBlank(line.text)
    if (!blank && indentOf(line.text) < minIndent) break
    if (fence) {
      // pymdownx expands an include inside a fence into the code: no marker, no blank line.
      if (line.marker?.type === 'snippet-start') fence.includes++
      else if (line.marker?.type === 'snippet-end') fence.includes--
      else if (!line.marker && closesFence(line.text, fence.marker)) fence = undefined
      if (!line.marker) blocks.push({type: 'line', line})
      cursor.index++
      continue
    }
    const block = blank ? undefined : parseConstruct(cursor, line, depth, base)
    if (block) {
      blocks.push(block)
      continue
    }
    const open = line.marker ? null : FENCE_OPEN.exec(line.text)
    if (open && !(open[1][0] === '`' && open[2].includes('`')) && !indentedCode(cursor, base)) {
      // Python-Markdown reads a fence with no closing line in its block as text, not as code to the end.
      if (closedAhead(cursor, minIndent, open[1])) fence = {marker: open[1], origin: line.origin, includes: 0}
      else {
        const why = depth > 0 ? 'is not closed before its block ends' : 'is never closed'
        cursor.diagnostics.push({severity: 'warning', message: `code fence ${open[1]} ${why}: read as text, as MkDocs does`, source: line.origin})
        blocks.push({type: 'line', line, literal: true})
        cursor.index++
        continue
      }
    }
    blocks.push({type: 'line', line})
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

/**
 * Is the line at the cursor indented code for CommonMark and Python-Markdown
 * (so no fence, tab or admonition starts there)? Not within three columns of
 * the body it sits in, nor of the content of the list item above it.
 */
function indentedCode(cursor: Cursor, base: number): boolean {
  const indent = indentOf(cursor.lines[cursor.index].text)
  if (indent - base < 4) return false
  for (let at = cursor.index - 1; at >= 0; at--) {
    const line = cursor.lines[at]
    if (line.marker || isBlank(line.text) || indentOf(line.text) >= indent) continue
    const item = LIST_ITEM.exec(line.text)
    return item === null || indent - (indentOf(line.text) + item[0].trimStart().length) >= 4
  }
  return true
}

/** Does a line of this level close the fence opened at the cursor? (The loop above, read ahead.) */
function closedAhead(cursor: Cursor, minIndent: number, marker: string): boolean {
  let includes = 0
  for (let at = cursor.index + 1; at < cursor.lines.length; at++) {
    const line = cursor.lines[at]
    if (line.marker?.type === 'snippet-end' && includes === 0) return false
    if ((line.marker || !isBlank(line.text)) && indentOf(line.text) < minIndent) return false
    if (line.marker?.type === 'snippet-start') includes++
    else if (line.marker?.type === 'snippet-end') includes--
    else if (!line.marker && closesFence(line.text, marker)) return true
  }
  return false
}

function closesFence(text: string, marker: string): boolean {
  const trimmed = text.trim()
  return trimmed.length >= marker.length && trimmed[0] === marker[0] && /^(`+|~+)$/.test(trimmed)
}

/** A construct starting at the cursor, consumed whole; undefined for a plain line. */
function parseConstruct(cursor: Cursor, line: ExpandedLine, depth: number, base: number): Block | undefined {
  const {marker} = line
  const indent = indentOf(line.text)
  if (marker?.type === 'include-missing') {
    cursor.index++
    return {type: 'include-missing', path: marker.path, reason: marker.reason, indent, origin: line.origin}
  }
  if (marker?.type === 'snippet-start') {
    cursor.index++
    const children = parseLevel(cursor, 0, depth + 1, true, indent)
    return {type: 'snippet', path: marker.path, file: marker.file, indent, origin: line.origin, children}
  }
  if (depth >= MAX_DEPTH) return undefined
  const tab = TAB.test(line.text)
  const admonition = tab ? null : ADMONITION.exec(line.text)
  // Indented four columns past its body, outside a list item, it is a line of indented code.
  if ((!tab && !admonition) || indentedCode(cursor, base)) return undefined
  if (tab) return parseTabGroup(cursor, indent, depth)
  if (admonition) {
    cursor.index++
    const [, opener, kind = 'note', title] = admonition
    const collapsible = opener === '???' ? 'closed' : opener === '???+' ? 'open' : undefined
    const children = parseLevel(cursor, indent + 4, depth + 1, false, indent + 4)
    if (children.every((child) => child.type === 'line' && isBlank(child.line.text))) {
      cursor.diagnostics.push({severity: 'info', message: `admonition "${title ?? kind}" has no indented body`, source: line.origin})
    }
    return {type: 'admonition', kind: kind.split(/[ \t]+/)[0].toLowerCase(), title: title || undefined, collapsible, indent, origin: line.origin, children}
  }
  return undefined
}

/** Consecutive tabs at one indent (blank lines between) form one group; `===!` starts a new one. */
function parseTabGroup(cursor: Cursor, indent: number, depth: number): Block {
  const origin = cursor.lines[cursor.index].origin
  const tabs: TabBlock[] = []
  for (;;) {
    const line = cursor.lines[cursor.index]
    const [, flags, label] = TAB.exec(line.text) as RegExpExecArray
    cursor.index++
    const children = parseLevel(cursor, indent + 4, depth + 1, false, indent + 4)
    if (children.every((child) => child.type === 'line' && isBlank(child.line.text))) {
      cursor.diagnostics.push({severity: 'warning', message: `tab "${label}" has no indented body`, source: line.origin})
    }
    tabs.push({type: 'tab', label: label.trim(), selected: flags.includes('+'), indent, origin: line.origin, children})
    const next = cursor.lines[cursor.index]
    if (!next || next.marker || indentOf(next.text) !== indent) break
    const match = TAB.exec(next.text)
    if (!match || match[1].includes('!')) break
  }
  return {type: 'tabs', indent, origin, children: tabs}
}
