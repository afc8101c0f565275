/**
 * Blocks back to markdown text for CommonMark, one document per body: the
 * page's own lines (snippets spliced in), and the body of each MkDocs
 * construct (tab, admonition) dedented as a document of its own. Where a construct stood, its
 * document has a placeholder leaf directive (`::runbook{runbook-ref=3}`) that
 * the parse replaces with the directive node (see ./markdown.ts), so that a
 * construct inside a list item lands in that item. Parsing each body once on
 * its own costs what its text costs; nested container syntax in one document
 * is parsed again at every level. A missing include is a `::include` leaf.
 * Every emitted line remembers its origin and how far it was dedented, to map
 * positions back to the source.
 */
import type {SourcePos} from '../graph/types.js'
import {dedent, isBlank} from './lines.js'
import type {Block} from './blocks.js'

export interface EmittedLine {
  text: string
  origin: SourcePos
  /** Columns removed from the original line (0 for generated lines). */
  shift: number
  /** An ordered item renumbered 1 for micromark: its number as written, the start of a list it opens. */
  listStart?: number
}

/** Attributes of a generated directive, looked up by its `ref` after the parse. */
export type DirectiveAttributes = Record<string, string>

/** A construct that stood at a placeholder: a directive and its body. */
export interface EmittedContainer {
  name: 'tabs' | 'tab' | 'admonition'
  attributes: DirectiveAttributes
  origin: SourcePos
  /** Last source line of the construct. */
  end: SourcePos
  /** The body as a document; for `tabs`, its tabs. */
  body: Emitted | EmittedContainer[]
}

export interface Emitted {
  lines: EmittedLine[]
  /** By `runbook-ref`: attributes of a leaf directive, or the construct a placeholder stands for. */
  refs: Array<DirectiveAttributes | EmittedContainer>
  /**
   * Identifiers of the link reference definitions anywhere in the page (set on
   * the page's document): a reference in one body may use a definition in
   * another, as in one CommonMark document.
   */
  definitions?: Set<string>
}

/** The placeholder directive's name. */
export const PLACEHOLDER = 'runbook'

interface Level {
  /** Source columns removed from the body's lines. */
  shift: number
  definitions: Set<string>
  /** Marker of the fence open in this document (definitions inside fences do not count). */
  fence?: string
}

export function emitBlocks(blocks: Block[]): Emitted {
  const definitions = new Set<string>()
  const out = emitDocument(blocks, {shift: 0, definitions})
  out.definitions = definitions
  return out
}

function emitDocument(blocks: Block[], level: Level): Emitted {
  const out: Emitted = {lines: [], refs: []}
  for (const block of blocks) emitOne(out, block, level)
  return out
}

// Indentation is not checked: a definition in a list item is indented too.
const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/
const DEFINITION = /^[ \t]*\[((?:[^[\]\\]|\\.)+)\]:/

function emitOne(out: Emitted, block: Block, level: Level): void {
  switch (block.type) {
    case 'line': {
      let text = dedent(block.line.text, level.shift)
      // A fence opener that is never closed: escaped, so that CommonMark reads it as text too.
      if (block.literal) text = text.replace(/^([ \t]*)([`~])/, '$1\\$2')
      else noteDefinition(text, level)
      out.lines.push(block.start === undefined ? {text, origin: block.line.origin, shift: level.shift} : {text, origin: block.line.origin, shift: level.shift, listStart: block.start})
      return
    }
    case 'fence-close':
      level.fence = undefined
      out.lines.push({text: block.fence, origin: block.origin, shift: 0})
      return
    case 'include-missing':
      placeholder(out, level, block.indent, `::include{runbook-ref=${ref(out, {path: block.path, reason: block.reason})}}`, block.origin)
      return
    default: {
      const container = emitContainer(block, level)
      placeholder(out, level, block.indent, `::${PLACEHOLDER}{runbook-ref=${ref(out, container)}}`, block.origin)
    }
  }
}

type ContainerBlock = Extract<Block, {type: 'tabs' | 'tab' | 'admonition'}>

function emitContainer(block: ContainerBlock, level: Level): EmittedContainer {
  const base = {origin: block.origin, end: lastOrigin(block)}
  const body = (shift: number) => emitDocument(block.children, {shift, definitions: level.definitions})
  switch (block.type) {
    case 'tabs':
      return {...base, name: 'tabs', attributes: {}, body: block.children.map((tab) => emitContainer(tab, level))}
    case 'tab': {
      const attributes: DirectiveAttributes = {label: block.label}
      if (block.selected) attributes.selected = 'true'
      return {...base, name: 'tab', attributes, body: body(block.indent + 4)}
    }
    case 'admonition': {
      const attributes: DirectiveAttributes = {type: block.kind}
      if (block.title) attributes.title = block.title
      if (block.collapsible) attributes.collapsible = block.collapsible
      return {...base, name: 'admonition', attributes, body: body(block.indent + 4)}
    }
  }
}

/** The origin of the last line in a block, for the end of its position. */
function lastOrigin(block: Block): SourcePos {
  switch (block.type) {
    case 'line':
      return block.line.origin
    case 'fence-close':
    case 'include-missing':
      return block.origin
    default: {
      const children = block.children as Block[]
      return children.length > 0 ? lastOrigin(children[children.length - 1]) : block.origin
    }
  }
}

function noteDefinition(text: string, level: Level): void {
  if (level.fence) {
    const close = FENCE_CLOSE.exec(text)
    if (close && close[1][0] === level.fence[0] && close[1].length >= level.fence.length) level.fence = undefined
    return
  }
  const open = FENCE_OPEN.exec(text)
  if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
    level.fence = open[1]
    return
  }
  const definition = DEFINITION.exec(text)
  if (definition) level.definitions.add(normaliseIdentifier(definition[1]))
}

/** As micromark-util-normalize-identifier: the form `parser.defined` holds. */
export function normaliseIdentifier(label: string): string {
  return label.replace(/[\t\n\r ]+/g, ' ').replace(/^ | $/g, '').toLowerCase().toUpperCase()
}

function ref(out: Emitted, value: DirectiveAttributes | EmittedContainer): number {
  out.refs.push(value)
  return out.refs.length - 1
}

/** A generated line at the construct's column, with blank lines around so that it never merges into a paragraph. */
function placeholder(out: Emitted, level: Level, indent: number, text: string, origin: SourcePos): void {
  separate(out, origin)
  out.lines.push({text: ' '.repeat(Math.max(0, indent - level.shift)) + text, origin, shift: 0})
  separate(out, origin)
}

function separate(out: Emitted, origin: SourcePos): void {
  const last = out.lines[out.lines.length - 1]
  if (last && !isBlank(last.text)) out.lines.push({text: '', origin, shift: 0})
}
