/**
 * Properties of the parser over thousands of generated documents: lines drawn
 * from a grammar of MkDocs constructs (tabs, admonitions, fences, list items,
 * snippets into test/fixtures/parse/_property, one of them missing, one a loop),
 * indented 0–24 columns with spaces or tabs, random unicode between them, CRLF
 * or LF, with or without a BOM; then random mutations of the reference page.
 * For all of them parseText and buildGraph do not throw, and every position of
 * the tree, of the graph and of the diagnostics lies in its file.
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import fc from 'fast-check'
import type {Nodes} from 'mdast'
import {describe, expect, it} from 'vitest'
import {buildGraph} from '../../src/graph/index.js'
import type {Graph, SourcePos} from '../../src/graph/types.js'
import {parseText, type ParsedPage} from '../../src/parse/index.js'
import {hasShared, repoRoot, seedEn, seedPt, wallarmDocs} from '../helpers/shared.js'
import {compact} from './compact.js'

const snippets = resolve(repoRoot, 'test/fixtures/parse/_property')
/** PROPERTY_SCALE=10 runs ten times as many cases (for a search; the suite runs the default). */
const scale = Number(process.env.PROPERTY_SCALE ?? 1)
const runs = (n: number) => Math.max(1, Math.round(n * scale))
/** A scaled search takes longer than a test usually may. */
const timeout = 60_000 * Math.max(1, scale)
const cache = new Map<string, string | null>()

function lineCount(text: string): number {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  return lines.length
}

/** Positions that do not lie in their file, as readable lines (empty when all do). */
function misplaced(page: ParsedPage, graph: Graph, pageText: string): string[] {
  const counts = new Map<string, number>([[page.file, lineCount(pageText)]])
  const count = (file: string) => {
    if (!counts.has(file)) counts.set(file, lineCount(readFileSync(file, 'utf8')))
    return counts.get(file) as number
  }
  const out: string[] = []
  const check = (what: string, at: SourcePos) => {
    if (!(Number.isInteger(at.line) && at.line >= 1 && at.line <= count(at.file))) out.push(`${what} at ${at.file}:${at.line}`)
  }
  const visit = (node: Nodes) => {
    const file = node.data?.file ?? page.file
    if (node.position) {
      check(`${node.type} start`, {file, line: node.position.start.line})
      check(`${node.type} end`, {file, line: node.position.end.line})
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child)
  }
  visit(page.tree)
  for (const diagnostic of page.diagnostics) check(`diagnostic ${diagnostic.message}`, diagnostic.source)
  for (const procedure of graph.procedures) {
    check(`procedure ${procedure.id}`, procedure.source)
    for (const step of procedure.steps) {
      check(`step ${step.id}`, step.source)
      for (const action of step.actions) check(`action ${action.id}`, action.source)
    }
  }
  for (const block of graph.context) check('context', block.source)
  for (const group of Object.values(graph.groups)) check(`group ${group.id}`, group.source)
  for (const diagnostic of graph.diagnostics) check(`graph diagnostic ${diagnostic.message}`, diagnostic.source)
  return out
}

function parseAndCheck(text: string, file: string, includePaths: string[]): ParsedPage {
  const page = parseText(text, file, {includePaths, cache})
  const graph = buildGraph(page)
  expect(misplaced(page, graph, text)).toEqual([])
  return page
}

// ---- the grammar of MkDocs lines ----

const unicode = fc.string({unit: 'binary', maxLength: 12})
const words = fc.oneof(
  {weight: 3, arbitrary: fc.constantFrom('Install', 'sudo apt install nginx', 'Debian 11.x', 'HOST=0.0.0.0', '<TOKEN>', '{{release}}', 'see [the guide][ref]', '`code`', 'Step 1: Install')},
  {weight: 1, arbitrary: unicode},
)
const indent = fc.oneof(
  {weight: 3, arbitrary: fc.constantFrom(0, 4, 8).map((n) => ' '.repeat(n))},
  {weight: 2, arbitrary: fc.integer({min: 0, max: 24}).map((n) => ' '.repeat(n))},
  {weight: 1, arbitrary: fc.integer({min: 1, max: 4}).map((n) => '\t'.repeat(n))},
  {weight: 1, arbitrary: fc.constantFrom('  \t', '\t  ', ' \t ')},
)
const label = fc.oneof(fc.constantFrom('Debian', 'CentOS/RHEL 8+, Fedora Linux, Amazon Linux 2023+', ':material-debian: On Debian', 'a "quoted" label', ''), unicode)
const snippet = fc.constantFrom('a.md', 'b.md', 'c.md', 'loop.md', 'open.md', 'missing.md', 'a.md:2:4', 'b.md::3', 'nowhere/x.md')

const line = fc.oneof(
  {weight: 4, arbitrary: fc.tuple(indent, fc.constantFrom('===', '===!', '===+', '===!+'), label).map(([i, m, l]) => `${i}${m} "${l}"`)},
  {weight: 3, arbitrary: fc.tuple(indent, fc.constantFrom('!!!', '???', '???+', '!!!'), fc.constantFrom('note', 'warning', 'Info', 'tip inline end', ''), fc.option(label)).map(([i, o, t, l]) => `${i}${o} ${t}${l === null ? '' : ` "${l}"`}`)},
  {weight: 2, arbitrary: fc.tuple(indent, fc.constantFrom('```', '````', '~~~', '```bash', '``` bash', '```{.bash .wrapped-code}', '```yaml', '```text')).map(([i, f]) => i + f)},
  {weight: 2, arbitrary: indent.map((i) => `${i}\`\`\``)},
  {weight: 4, arbitrary: fc.tuple(indent, words).map(([i, w]) => i + w)},
  {weight: 2, arbitrary: fc.tuple(indent, fc.constantFrom('1. ', '2. ', '- ', '* ', '1) '), words).map(([i, m, w]) => i + m + w)},
  {weight: 3, arbitrary: fc.tuple(indent, snippet, fc.constantFrom('', '', ';', ' -->', '  ')).map(([i, s, x]) => (x === ';' ? `${i};--8<-- "${s}"` : `${i}--8<-- "${s}"${x}`))},
  {weight: 1, arbitrary: fc.tuple(indent, fc.constantFrom('--8<--', ';--8<--')).map(([i, m]) => i + m)},
  {weight: 4, arbitrary: fc.constantFrom('', '   ', '\t')},
  {weight: 1, arbitrary: fc.tuple(fc.integer({min: 1, max: 6}), words, fc.constantFrom('', ' {#id}', ' {: .class }')).map(([d, w, a]) => `${'#'.repeat(d)} ${w}${a}`)},
  {weight: 1, arbitrary: fc.constantFrom('[ref]: https://example.com', '<div markdown>', '</div>', '---', '> quoted', ':::tab{label="x"}', '::::tabs', ':::', '::::', '<!-- rollback: sudo rm x -->')},
)

const document = fc.record({
  lines: fc.array(line, {maxLength: 40}),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
  bom: fc.boolean(),
  finalNewline: fc.boolean(),
})

function render(doc: {lines: string[]; newline: string; bom: boolean; finalNewline: boolean}): string {
  return (doc.bom ? '\uFEFF' : '') + doc.lines.join(doc.newline) + (doc.finalNewline ? doc.newline : '')
}

describe('parser properties over generated MkDocs documents', () => {
  const file = resolve(snippets, 'generated.md')

  it('never throws, and every position lies in its file (tree, graph, diagnostics)', {timeout}, () => {
    fc.assert(
      fc.property(document, (doc) => {
        parseAndCheck(render(doc), file, [snippets])
      }),
      // Found by this property: a fence an include opens and the page closes, with a line read as output.
      {numRuns: runs(2000), examples: [[{lines: ['--8<-- "open.md"', '> quoted', '```'], newline: '\n', bom: false, finalNewline: false}]]},
    )
  })

  it('reads a document the same with CRLF, CR or LF line endings, and with or without a BOM', {timeout}, () => {
    fc.assert(
      // Line breaks inside a generated line would count differently under each ending: none here.
      fc.property(document.map((doc) => ({...doc, lines: doc.lines.map((text) => text.replace(/[\r\n]/g, ' '))})), (doc) => {
        const tree = (newline: string, bom: boolean) => compact(parseText(render({...doc, newline, bom}), file, {includePaths: [snippets], cache}).tree, snippets)
        const lf = tree('\n', false)
        expect(tree('\r\n', false)).toEqual(lf)
        expect(tree('\r', true)).toEqual(lf)
      }),
      {numRuns: runs(500)},
    )
  })

  it('survives deep nesting: up to 60 levels of tabs and admonitions', {timeout}, () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('=== "T"', '!!! note', '???+ tip "x"', '- item', '1. step'), {minLength: 1, maxLength: 60}), (openers) => {
        const lines = openers.map((opener, level) => '    '.repeat(level) + opener)
        lines.push('    '.repeat(openers.length) + '```bash', '    '.repeat(openers.length) + 'echo deep', '    '.repeat(openers.length) + '```')
        parseAndCheck(lines.join('\n'), file, [snippets])
      }),
      {numRuns: runs(150)},
    )
  })
})

describe.skipIf(!hasShared)('parser properties over mutations of the reference page', () => {
  const seeds = hasShared ? [seedEn, seedPt].map((path) => ({path, lines: readFileSync(path, 'utf8').split('\n')})) : []

  const mutation = fc.oneof(
    fc.record({kind: fc.constant('delete' as const), at: fc.nat()}),
    fc.record({kind: fc.constant('duplicate' as const), at: fc.nat()}),
    fc.record({kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({min: 1, max: 8})}),
    fc.record({kind: fc.constant('outdent' as const), at: fc.nat(), by: fc.integer({min: 1, max: 8})}),
    fc.record({kind: fc.constant('insert' as const), at: fc.nat(), text: line}),
  )

  it('never throws on the reference page with lines deleted, duplicated, indented, outdented or inserted; positions stay in their files', {timeout}, () => {
    fc.assert(
      fc.property(fc.constantFrom(0, 1), fc.array(mutation, {minLength: 1, maxLength: 12}), (which, mutations) => {
        const {path, lines: original} = seeds[which]
        const lines = [...original]
        for (const m of mutations) {
          const at = m.at % Math.max(1, lines.length)
          if (m.kind === 'delete') lines.splice(at, 1)
          else if (m.kind === 'duplicate') lines.splice(at, 0, lines[at] ?? '')
          else if (m.kind === 'indent') lines[at] = ' '.repeat(m.by) + (lines[at] ?? '')
          else if (m.kind === 'outdent') lines[at] = (lines[at] ?? '').replace(new RegExp(`^ {0,${m.by}}`), '')
          else lines.splice(at, 0, m.text)
        }
        parseAndCheck(lines.join('\n'), path, [wallarmDocs])
      }),
      {numRuns: runs(200)},
    )
  })
})
