/**
 * A parsed tree as a small plain object, so that a fixture can state all of
 * it: node types, directive names and attributes, code lang/meta/value,
 * heading depth and text, paragraph text, and where each node starts (line,
 * plus the file's name when the node was included from another file).
 */
import {basename, relative} from 'node:path'
import type {Nodes, Root} from 'mdast'
import type {Diagnostic} from '../../src/graph/types.js'

export interface CompactNode {
  type: string
  name?: string
  attributes?: Record<string, string>
  lang?: string | null
  meta?: string
  depth?: number
  ordered?: boolean
  start?: number
  identifier?: string
  url?: string
  text?: string
  links?: Array<{type: string; to: string}>
  value?: string
  line?: number
  file?: string
  children?: CompactNode[]
}

export interface CompactDiagnostic {
  severity: string
  message: string
  line: number
  file: string
}

/** Messages name folders relative to the working directory: keep what does not depend on it. */
export function normaliseMessage(message: string): string {
  return message
    .replace(/\(looked in [^)]*\)/, '(looked in …)')
    .replace(/include cycle: (.*)$/, (_all, chain: string) => `include cycle: ${chain.split(' → ').map((entry) => basename(entry)).join(' → ')}`)
}

/** `dir`: the fixture folder, to show included files by their path inside it. */
export function compact(tree: Root, dir: string): CompactNode[] {
  return tree.children.map((node) => compactNode(node as Nodes, dir))
}

export function compactDiagnostics(diagnostics: Diagnostic[]): CompactDiagnostic[] {
  return diagnostics.map((d) => ({severity: d.severity, message: normaliseMessage(d.message), line: d.source.line, file: basename(d.source.file)}))
}

function compactNode(node: Nodes, dir: string): CompactNode {
  const out: CompactNode = {type: node.type}
  switch (node.type) {
    case 'containerDirective':
    case 'leafDirective':
    case 'textDirective': {
      out.name = node.name
      const attributes: Record<string, string> = {}
      for (const [key, value] of Object.entries(node.attributes ?? {})) {
        if (value == null) continue
        attributes[key] = key === 'file' ? relative(dir, value) : key === 'reason' ? normaliseMessage(value) : value
      }
      out.attributes = attributes
      break
    }
    case 'code':
      out.lang = node.lang ?? null
      if (node.meta) out.meta = node.meta
      out.value = node.value
      break
    case 'heading':
      out.depth = node.depth
      out.text = inlineText(node)
      break
    case 'paragraph': {
      out.text = inlineText(node)
      const links = inlineLinks(node)
      if (links.length > 0) out.links = links
      break
    }
    case 'list':
      out.ordered = Boolean(node.ordered)
      if (node.ordered) out.start = node.start ?? 1
      break
    case 'definition':
      out.identifier = node.identifier
      out.url = node.url
      break
    case 'html':
      out.value = node.value
      break
    default:
  }
  if (node.position) out.line = node.position.start.line
  if (node.data?.file) out.file = relative(dir, node.data.file)
  if ('children' in node && !['paragraph', 'heading'].includes(node.type)) {
    out.children = (node.children as Nodes[]).map((child) => compactNode(child, dir))
  }
  return out
}

function inlineText(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'html') return node.value
  if (node.type === 'break') return '\n'
  if (node.type === 'image' || node.type === 'imageReference') return `![${node.alt ?? ''}]`
  return 'children' in node ? (node.children as Nodes[]).map(inlineText).join('') : ''
}

function inlineLinks(node: Nodes): Array<{type: string; to: string}> {
  const out: Array<{type: string; to: string}> = []
  const visit = (child: Nodes) => {
    if (child.type === 'link' || child.type === 'image') out.push({type: child.type, to: child.url})
    else if (child.type === 'linkReference' || child.type === 'imageReference') out.push({type: child.type, to: child.identifier})
    if ('children' in child) for (const grand of child.children as Nodes[]) visit(grand)
  }
  for (const child of (node as {children: Nodes[]}).children) visit(child)
  return out
}

/** The same tree without positions: to compare two spellings of one document. */
export function withoutPositions(nodes: CompactNode[]): CompactNode[] {
  return nodes.map(({line: _line, file: _file, children, ...rest}) => (children ? {...rest, children: withoutPositions(children)} : rest))
}
