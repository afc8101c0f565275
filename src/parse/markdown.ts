/**
 * One CommonMark parse (remark) of the emitted text, with the directive syntax
 * for blocks only: inline `:name` text directives would eat ordinary prose such
 * as `:material-debian:` or `10:30`. Positions are then mapped back to the
 * original file and line.
 */
import type {Root, Nodes} from 'mdast'
import {directiveFromMarkdown} from 'mdast-util-directive'
import {directive} from 'micromark-extension-directive'
import remarkParse from 'remark-parse'
import {unified, type Processor} from 'unified'
import type {Emitted} from './emit.js'

const flowDirectives = {flow: directive().flow}

function remarkFlowDirectives(this: Processor) {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(flowDirectives)
  ;(data.fromMarkdownExtensions ??= []).push(directiveFromMarkdown())
}

const processor = unified().use(remarkParse).use(remarkFlowDirectives).freeze()

export function parseMarkdown(emitted: Emitted, rootFile: string): Root {
  const text = emitted.lines.map((line) => line.text).join('\n')
  const tree = processor.parse(text) as Root
  remap(tree, emitted, rootFile)
  return tree
}

/** Original file and line on every node; `data.file` where it is not the page itself. */
function remap(node: Nodes, emitted: Emitted, rootFile: string): void {
  const position = node.position
  if (position) {
    const start = emitted.lines[position.start.line - 1]
    const end = emitted.lines[Math.max(0, position.end.line - 1)] ?? start
    if (start) {
      node.position = {
        start: {line: start.origin.line, column: position.start.column + start.shift},
        end: {line: end.origin.file === start.origin.file ? end.origin.line : start.origin.line, column: position.end.column + (end?.shift ?? 0)},
      }
      if (start.origin.file !== rootFile) node.data = {...node.data, file: start.origin.file} as typeof node.data
    }
  }
  if (node.type === 'containerDirective' || node.type === 'leafDirective') {
    const index = node.attributes?.['runbook-ref']
    if (index != null && emitted.refs[Number(index)]) node.attributes = {...emitted.refs[Number(index)]}
  }
  if ('children' in node) for (const child of node.children) remap(child as Nodes, emitted, rootFile)
}

declare module 'mdast' {
  interface Data {
    /** The file a node came from, when it was included from another file. */
    file?: string
  }
}
