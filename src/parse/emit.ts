/**
 * Blocks back to markdown text, with each MkDocs construct written in generic
 * directive syntax (`::::tabs` / `:::tab` / `:::admonition` / `:::snippet` /
 * `::include`) and each body dedented, so that one CommonMark parse with the
 * directive extension yields the whole tree. Every emitted line remembers its
 * origin and how far it was dedented, to map positions back to the source.
 */
import type {SourcePos} from '../graph/types.js'
import {dedent, isBlank} from './lines.js'
import type {Block} from './blocks.js'

export interface EmittedLine {
  text: string
  origin: SourcePos
  /** Columns removed from the original line (0 for generated lines). */
  shift: number
}

/** Attributes of a generated directive, looked up by its `ref` after the parse. */
export type DirectiveAttributes = Record<string, string>

export interface Emitted {
  lines: EmittedLine[]
  refs: DirectiveAttributes[]
}

export function emitBlocks(blocks: Block[]): Emitted {
  const out: Emitted = {lines: [], refs: []}
  emitAll(out, blocks, 0)
  return out
}

function emitAll(out: Emitted, blocks: Block[], shift: number): void {
  for (const block of blocks) emitOne(out, block, shift)
}

function emitOne(out: Emitted, block: Block, shift: number): void {
  switch (block.type) {
    case 'line':
      out.lines.push({text: dedent(block.line.text, shift), origin: block.line.origin, shift})
      return
    case 'fence-close':
      out.lines.push({text: block.fence, origin: block.origin, shift: 0})
      return
    case 'include-missing':
      separate(out, block.origin)
      push(out, block.indent - shift, `::include{runbook-ref=${ref(out, {path: block.path, reason: block.reason})}}`, block.origin)
      separate(out, block.origin)
      return
    case 'tabs':
      return container(out, block, shift, 'tabs', {}, () => block.children.forEach((tab) => emitOne(out, tab, shift)))
    case 'tab': {
      const attributes: DirectiveAttributes = {label: block.label}
      if (block.selected) attributes.selected = 'true'
      return container(out, block, shift, 'tab', attributes, () => emitAll(out, block.children, shift + 4))
    }
    case 'admonition': {
      const attributes: DirectiveAttributes = {type: block.kind}
      if (block.title) attributes.title = block.title
      if (block.collapsible) attributes.collapsible = block.collapsible
      return container(out, block, shift, 'admonition', attributes, () => emitAll(out, block.children, shift + 4))
    }
    case 'snippet':
      return container(out, block, shift, 'snippet', {path: block.path, file: block.file}, () => emitAll(out, block.children, shift))
  }
}

type ContainerBlock = Extract<Block, {type: 'tabs' | 'tab' | 'admonition' | 'snippet'}>

function container(out: Emitted, block: ContainerBlock, shift: number, name: string, attributes: DirectiveAttributes, body: () => void): void {
  // An enclosing directive needs a longer fence than any directive inside it.
  const colons = ':'.repeat(3 + height(block))
  const column = Math.max(0, block.indent - shift)
  separate(out, block.origin)
  push(out, column, `${colons}${name}{runbook-ref=${ref(out, attributes)}}`, block.origin)
  body()
  const last = out.lines[out.lines.length - 1]?.origin ?? block.origin
  separate(out, last)
  push(out, column, colons, last)
  separate(out, last)
}

function height(block: Block): number {
  if (!('children' in block)) return 0
  let below = 0
  for (const child of block.children) {
    if ('children' in child || child.type === 'include-missing') below = Math.max(below, 1 + height(child))
  }
  return below
}

function ref(out: Emitted, attributes: DirectiveAttributes): number {
  out.refs.push(attributes)
  return out.refs.length - 1
}

function push(out: Emitted, column: number, text: string, origin: SourcePos): void {
  out.lines.push({text: ' '.repeat(column) + text, origin, shift: 0})
}

/** Blank line around generated fences so they never merge into a paragraph. */
function separate(out: Emitted, origin: SourcePos): void {
  const last = out.lines[out.lines.length - 1]
  if (last && !isBlank(last.text)) out.lines.push({text: '', origin, shift: 0})
}
