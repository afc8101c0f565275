/**
 * Parser fixtures, one folder each under test/fixtures/parse/<name>/:
 * `input.md` (plus the files it includes) and `expected.json`, the compact
 * tree and diagnostics (see ./compact.ts). Each input is parsed as if it lived
 * at `/fixtures/<name>/input.md`, with the fixture folder as the snippet base
 * path.
 *
 * The expected files were generated once (`UPDATE_FIXTURES=1 npx vitest run
 * test/parse/fixtures.test.ts` writes them) and then read line by line against
 * what Python-Markdown 3.4 with pymdownx (tabbed alternate_style, admonition,
 * details, superfences, snippets) renders for the same input; where the two
 * disagreed the parser was fixed, not the expectation. Where the dialect has
 * no rendering to compare with (`===+`, line ranges and `;` escapes came after
 * pymdownx 9.5) the expectation follows the pymdownx documentation and source.
 *
 * Where we differ from Python-Markdown on purpose:
 * - tabs-in-list (the seed's shape): a list item right after an indented block,
 *   with no blank line between, is folded into the item before by
 *   Python-Markdown (a nested list, or even paragraph text); we keep the
 *   CommonMark reading, two items, which is what the author meant and what
 *   the reference graph states (fences-indented has the blank line, and agrees).
 * - a missing include or an include cycle is a visible `include` leaf and a
 *   warning; mkdocs drops it silently (or fails the build with check_paths).
 * - `??? "Title"` with no type is type `note`; a block-form `--8<--` that is
 *   never closed stays text (pymdownx would read the rest of the page as paths).
 * - a link reference definition whose label spans two lines counts, as in
 *   CommonMark (Python-Markdown reads it as text): reference-in-html-block.
 * - code `lang` is what CommonMark reads (`{.bash` for ```` ```{.bash .x} ````);
 *   the graph normalises it.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {resolve} from 'node:path'
import type {Nodes} from 'mdast'
import {describe, expect, it} from 'vitest'
import {parseText, type ParsedPage} from '../../src/parse/index.js'
import {repoRoot} from '../helpers/shared.js'
import {compact, compactDiagnostics, withoutPositions, type CompactNode} from './compact.js'

const fixtures = resolve(repoRoot, 'test/fixtures/parse')
const names = readdirSync(fixtures)
  .filter((name) => existsSync(resolve(fixtures, name, 'input.md')))
  .sort()
const update = process.env.UPDATE_FIXTURES === '1'

function parseFixture(name: string, text = readFileSync(resolve(fixtures, name, 'input.md'), 'utf8')): ParsedPage {
  return parseText(text, `/fixtures/${name}/input.md`, {includePaths: [resolve(fixtures, name)]})
}

function tree(name: string, text?: string): CompactNode[] {
  return compact(parseFixture(name, text).tree, resolve(fixtures, name))
}

/** Lines of a file as the parser counts them (a final newline ends the last line). */
function lineCount(text: string): number {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop()
  return lines.length
}

describe('parser fixtures (test/fixtures/parse)', () => {
  it('has the fixtures this suite is about', () => {
    expect(names.length).toBeGreaterThanOrEqual(29)
  })

  for (const name of names) {
    it(name, () => {
      const page = parseFixture(name)
      const actual = {tree: compact(page.tree, resolve(fixtures, name)), diagnostics: compactDiagnostics(page.diagnostics)}
      const expectedFile = resolve(fixtures, name, 'expected.json')
      if (update) writeFileSync(expectedFile, JSON.stringify(actual, null, 2) + '\n')
      expect(actual).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')))

      // Every position points into the file the node came from.
      const lengths = new Map<string, number>([[page.file, lineCount(readFileSync(resolve(fixtures, name, 'input.md'), 'utf8'))]])
      const length = (file: string) => {
        if (!lengths.has(file)) lengths.set(file, lineCount(readFileSync(file, 'utf8')))
        return lengths.get(file) as number
      }
      const visit = (node: Nodes, file: string) => {
        const here = node.data?.file ?? file
        if (node.position) {
          expect(node.position.start.line, `${node.type} in ${name}`).toBeGreaterThanOrEqual(1)
          expect(node.position.start.line, `${node.type} in ${name}`).toBeLessThanOrEqual(length(here))
        }
        if ('children' in node) for (const child of node.children as Nodes[]) visit(child, here)
      }
      visit(page.tree, page.file)
      for (const diagnostic of page.diagnostics) {
        const file = diagnostic.source.file === page.file ? page.file : diagnostic.source.file
        expect(diagnostic.source.line).toBeGreaterThanOrEqual(1)
        expect(diagnostic.source.line).toBeLessThanOrEqual(length(file))
      }
    })
  }
})

describe('spellings that mean the same document', () => {
  it('generic directive syntax gives the tree of the MkDocs form', () => {
    expect(withoutPositions(tree('directives-native'))).toEqual(withoutPositions(tree('directives-mkdocs')))
  })

  it('CRLF line endings give the tree of LF, positions included', () => {
    const text = readFileSync(resolve(fixtures, 'crlf', 'input.md'), 'utf8')
    expect(text).toContain('\r\n')
    expect(tree('crlf')).toEqual(tree('crlf', text.replace(/\r\n/g, '\n')))
  })

  it('a BOM changes nothing, positions included', () => {
    const text = readFileSync(resolve(fixtures, 'bom', 'input.md'), 'utf8')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(tree('bom')).toEqual(tree('bom', text.slice(1)))
  })

  it('tab characters indent like four spaces', () => {
    const text = readFileSync(resolve(fixtures, 'tab-indent', 'input.md'), 'utf8')
    expect(text).toContain('\t')
    expect(tree('tab-indent')).toEqual(tree('tab-indent', text.replace(/^\t+/gm, (tabs) => '    '.repeat(tabs.length))))
  })
})

describe('includes', () => {
  it('a missing include is a visible leaf and a warning naming the file and line', () => {
    const page = parseFixture('snippet-missing')
    const leaf = page.tree.children.find((node) => node.type === 'leafDirective')
    expect(leaf).toMatchObject({name: 'include', attributes: {path: 'nowhere/missing.md'}, position: {start: {line: 5}}})
    expect(page.diagnostics.map((d) => [d.severity, d.source])).toEqual([
      ['warning', {file: '/fixtures/snippet-missing/input.md', line: 5}],
      ['warning', {file: '/fixtures/snippet-missing/input.md', line: 8}],
    ])
  })

  it('a cycle a → b → a is a warning, not a hang', () => {
    const page = parseFixture('snippet-cycle')
    expect(page.diagnostics).toHaveLength(1)
    expect(page.diagnostics[0]).toMatchObject({severity: 'warning', source: {file: resolve(fixtures, 'snippet-cycle', 'b.md'), line: 3}})
    expect(page.diagnostics[0].message).toMatch(/^include "a\.md": include cycle: /)
  })

  it('a file including itself stops at once', () => {
    const page = parseText('Top.\n\n--8<-- "input.md"\n', resolve(fixtures, 'snippet-cycle', 'input.md'), {includePaths: [resolve(fixtures, 'snippet-cycle')]})
    expect(page.diagnostics.map((d) => d.message.replace(/:.*$/, ''))).toEqual([`include "input.md"`])
  })
})

describe('depth', () => {
  /** `levels` tabs, each inside the one before, the last holding a fence. */
  function nestedTabs(levels: number): string {
    const lines: string[] = []
    for (let level = 0; level < levels; level++) lines.push(`${'    '.repeat(level)}=== "L${level}"`)
    const body = '    '.repeat(levels)
    lines.push(`${body}\`\`\`bash`, `${body}echo deep`, `${body}\`\`\``)
    return lines.join('\n') + '\n'
  }

  function tabDepth(nodes: CompactNode[]): {depth: number; rest: CompactNode[]} {
    let depth = 0
    let current = nodes
    for (;;) {
      const tabs = current.find((node) => node.name === 'tabs')
      const tab = tabs?.children?.[0]
      if (!tab || tab.name !== 'tab') return {depth, rest: current}
      depth++
      current = tab.children ?? []
    }
  }

  it('parses 20 levels of nested tabs exactly', () => {
    const {depth, rest} = tabDepth(tree('tabs-nested', nestedTabs(20)))
    expect(depth).toBe(20)
    expect(rest).toEqual([{type: 'code', lang: 'bash', value: 'echo deep', line: 21}])
  })

  it('parses 50 levels of nested tabs without throwing: containers stop at 48, the rest is text', () => {
    const page = parseFixture('tabs-nested', nestedTabs(50))
    const {depth, rest} = tabDepth(compact(page.tree, resolve(fixtures, 'tabs-nested')))
    expect(depth).toBe(48)
    expect(rest[0]).toMatchObject({type: 'paragraph', line: 49})
    expect(rest[0].text).toMatch(/^=== "L48"/)
  })
})
