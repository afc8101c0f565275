/**
 * CommonMark parses (remark) of the emitted documents, with the directive
 * syntax for blocks only: inline `:name` text directives would eat ordinary
 * prose such as `:material-debian:` or `10:30`. Each placeholder becomes the
 * directive node of its construct, its children the parse of its body; the
 * link reference definitions of the whole page are known to every body.
 * Positions are mapped back to the original file and line.
 */
import type {Nodes, Root, RootContent} from 'mdast'
import {directiveFromMarkdown, type ContainerDirective} from 'mdast-util-directive'
import {directive} from 'micromark-extension-directive'
import remarkParse from 'remark-parse'
import {unified, type Processor} from 'unified'
import {normaliseIdentifier, PLACEHOLDER, type Emitted, type EmittedContainer} from './emit.js'
import {isBlank} from './lines.js'
// micromark's edits made linear in the page's length (before any parse).
import './micromark-edits.js'

/** The page's definitions, for the parse under way (parses are synchronous). */
let pageDefinitions: Set<string> | undefined
const informed = new WeakSet<object>()

/**
 * Before the first `]` of a parse (where a reference is resolved), tell the
 * parser the identifiers defined elsewhere in the page. Never matches.
 * micromark keeps them in an array and looks each reference up in it, and
 * every body and section is a parse of its own that is told the whole page:
 * as arrays, a page of many references and definitions cost their product,
 * so the parser gets a list that answers from sets (micromark only pushes
 * to it and asks whether it holds an identifier).
 */
const pageReferences = {
  tokenize(this: {parser: {defined: string[]}}, _effects: unknown, _ok: unknown, nok: (code: number | null) => unknown) {
    const parser = this.parser
    if (pageDefinitions && !informed.has(parser)) {
      informed.add(parser)
      parser.defined = knownIdentifiers(parser.defined, pageDefinitions)
    }
    return nok
  },
}

/** The identifiers a parse defined (`own`) and the page's, as micromark's `parser.defined` is used. */
function knownIdentifiers(own: string[], page: Set<string>): string[] {
  const defined = new Set(own)
  const known = {
    push(...ids: string[]) {
      for (const id of ids) defined.add(id)
      return defined.size
    },
    includes: (id: string) => defined.has(id) || page.has(id),
  }
  return known as unknown as string[]
}

const extensions = {flow: directive().flow, text: {93: pageReferences}}

function remarkFlowDirectives(this: Processor) {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(extensions as never)
  ;(data.fromMarkdownExtensions ??= []).push(directiveFromMarkdown())
}

const processor = unified().use(remarkParse).use(remarkFlowDirectives).freeze()

export interface MarkdownOptions {
  /** Lines a section has at least before the parse may cut it at a heading (see parseDocument). */
  sectionLines?: number
}

/** Long enough that a page of ordinary length is one parse; short enough that micromark's working set stays small. */
const SECTION_LINES = 400
/** For the parse under way. */
let sectionLines = SECTION_LINES

export function parseMarkdown(emitted: Emitted, rootFile: string, options: MarkdownOptions = {}): Root {
  const sectionLines = Math.max(1, options.sectionLines ?? SECTION_LINES)
  const guessed = emitted.definitions ?? new Set<string>()
  const root = parseWith(emitted, rootFile, guessed, sectionLines)
  // The definitions the emitter saw by their look, outside fences (as Python-Markdown, which also
  // takes one right under an HTML line): when the parse found others too (a label on two
  // lines), the page is read again knowing them all.
  const found = new Set<string>(guessed)
  const visit = (node: Nodes) => {
    if (node.type === 'definition') found.add(normaliseIdentifier(node.label ?? node.identifier))
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child)
  }
  visit(root)
  return found.size === guessed.size ? root : parseWith(emitted, rootFile, found, sectionLines)
}

function parseWith(emitted: Emitted, rootFile: string, definitions: Set<string>, lines: number): Root {
  pageDefinitions = definitions
  sectionLines = lines
  try {
    return {type: 'root', children: parseDocument(emitted, rootFile, rootFile)}
  } finally {
    pageDefinitions = undefined
    sectionLines = SECTION_LINES
  }
}

/** An ATX heading's line as written at the left margin, where a section may start. */
const HEADING = /^#{1,6}(?:[ \t]|$)/
/** A fence's opening or closing line, to skip the `# comment` lines of shell code when choosing where to cut. */
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/

/**
 * The document's nodes, parsed section by section: micromark keeps every event
 * of a document until its end, so one parse of a long page holds hundreds of
 * megabytes and every garbage collection copies them again (the time grew
 * faster than the page). A section ends before a heading at the left margin
 * that follows a blank line, and only where micromark itself agrees: the
 * section is parsed with that heading line, and the cut holds when the heading
 * comes out as the last node of the document. Then every block before it was
 * closed before it, nothing after it can change them (link definitions of the
 * whole page are known to every parse), and the next section starts in the state
 * a document starts in. Where something runs through the heading (an unclosed
 * fence, an HTML comment, a `:::` container), the section goes on to a cut at
 * least twice as far, so that a page with no good cut is parsed at most about
 * twice, never once per heading.
 *
 * `file`: the file of the node the document's nodes sit in.
 */
function parseDocument(emitted: Emitted, rootFile: string, file: string): RootContent[] {
  const lines = emitted.lines
  const nodes: RootContent[] = []
  let from = 0
  let least = sectionLines
  let fence: {char: string; length: number} | undefined
  for (let at = 0; at < lines.length; at++) {
    const text = lines[at]!.text
    const marks = FENCE.exec(text)
    if (marks) {
      const run = marks[1]!
      if (!fence) {
        if (!(run[0] === '`' && marks[2]!.includes('`'))) fence = {char: run[0]!, length: run.length}
      } else if (run[0] === fence.char && run.length >= fence.length && marks[2]!.trim() === '') fence = undefined
      continue
    }
    if (fence || at - from < least || !HEADING.test(text) || !isBlank(lines[at - 1]!.text)) continue
    const section = parseSection(emitted, from, at + 1)
    const last = section.children.at(-1)
    if (last?.type !== 'heading' || last.position?.start.line !== at - from + 1) {
      least = 2 * (at - from)
      continue
    }
    section.children.pop()
    placeSection(section, emitted, from, at, rootFile, file, nodes)
    from = at
    least = sectionLines
  }
  placeSection(parseSection(emitted, from, lines.length), emitted, from, lines.length, rootFile, file, nodes)
  return nodes
}

function parseSection(emitted: Emitted, from: number, to: number): Root {
  let text = ''
  for (let at = from; at < to; at++) text += (at > from ? '\n' : '') + emitted.lines[at]!.text
  return processor.parse(text) as Root
}

/** A section's nodes, mapped back to their files and lines, onto `nodes`. */
function placeSection(section: Root, emitted: Emitted, from: number, to: number, rootFile: string, file: string, nodes: RootContent[]): void {
  const own = from === 0 && to === emitted.lines.length ? emitted : {...emitted, lines: emitted.lines.slice(from, to)}
  remapChildren(section, own, rootFile, file)
  for (const node of section.children) nodes.push(node)
}

/**
 * Original file and line on every node; `data.file` where it is not the page,
 * and on a node of the page inside an included one (`file`, the file of the
 * node around it), where taking the file from around would be wrong.
 */
function remap(node: Nodes, emitted: Emitted, rootFile: string, file: string): void {
  let here = file
  const position = node.position
  if (position) {
    const start = emitted.lines[position.start.line - 1]
    const end = emitted.lines[Math.max(0, position.end.line - 1)] ?? start
    if (start) {
      node.position = {
        start: {line: start.origin.line, column: position.start.column + start.shift},
        end: {line: end.origin.file === start.origin.file ? end.origin.line : start.origin.line, column: position.end.column + (end?.shift ?? 0)},
      }
      // A list opened by an item renumbered 1 (see laterItemAfterCode in ./blocks.ts) starts at its number as written.
      if (node.type === 'list' && node.ordered && node.start === 1 && start.listStart !== undefined) node.start = start.listStart
      if (start.origin.file !== rootFile || file !== rootFile) node.data = {...node.data, file: start.origin.file} as typeof node.data
      // Below an included node, every node says its file, the page's own too.
      if (start.origin.file !== rootFile) here = start.origin.file
    }
  }
  if (node.type === 'containerDirective' || node.type === 'leafDirective') {
    const index = node.attributes?.['runbook-ref']
    const found = index != null ? emitted.refs[Number(index)] : undefined
    if (found && !isContainer(found)) node.attributes = {...found}
  }
  remapChildren(node, emitted, rootFile, here)
}

/** Children of a node from `file`; constructs in place of their placeholders. */
function remapChildren(node: Nodes, emitted: Emitted, rootFile: string, file: string): void {
  if (!('children' in node)) return
  const children = node.children as Nodes[]
  for (let index = 0; index < children.length; index++) {
    const child = children[index]
    const ref = child.type === 'leafDirective' && child.name === PLACEHOLDER ? child.attributes?.['runbook-ref'] : undefined
    const found = ref != null ? emitted.refs[Number(ref)] : undefined
    remap(child, emitted, rootFile, file)
    if (found && isContainer(found)) children[index] = construct(found, child, rootFile, file)
  }
}

function isContainer(value: Emitted['refs'][number]): value is EmittedContainer {
  return 'body' in value && 'origin' in value
}

/** The directive a placeholder stands for, at the placeholder's place, inside a node from `file`. */
function construct(container: EmittedContainer, at: Nodes | undefined, rootFile: string, file: string): ContainerDirective {
  const {origin, end} = container
  const inner = origin.file !== rootFile ? origin.file : file
  const children = Array.isArray(container.body)
    ? container.body.map((tab) => construct(tab, undefined, rootFile, inner))
    : (parseDocument(container.body, rootFile, inner) as ContainerDirective['children'])
  const column = at?.position?.start.column ?? 1
  const node: ContainerDirective = {
    type: 'containerDirective',
    name: container.name,
    attributes: {...container.attributes},
    children,
    position: {start: {line: origin.line, column}, end: {line: end.file === origin.file ? end.line : origin.line, column: 1}},
  }
  if (origin.file !== rootFile || file !== rootFile) node.data = {file: origin.file} as ContainerDirective['data']
  return node
}

declare module 'mdast' {
  interface Data {
    /** The file a node came from, when it is not the page (or when an included node holds it). */
    file?: string
  }
}
