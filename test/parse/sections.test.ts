/**
 * A long document is parsed in sections cut before headings (see
 * parseDocument in src/parse/markdown.ts), and must read exactly as one parse
 * of the whole: here with a cut allowed before every heading, against no cut
 * at all, on the constructs that run through a heading (an unclosed fence
 * whose shell comments look like headings, an HTML comment, a `:::` container,
 * a fence left open in a list item, indented code), on references whose
 * definition lies in a later section, on MkDocs tabs and admonitions whose
 * bodies are cut too, and on any page made of such lines.
 */
import fc from 'fast-check'
import type {Root} from 'mdast'
import {describe, expect, it} from 'vitest'
import {parseBlocks} from '../../src/parse/blocks.js'
import {emitBlocks} from '../../src/parse/emit.js'
import {splitSource} from '../../src/parse/lines.js'
import {parseMarkdown} from '../../src/parse/markdown.js'
import {expandSnippets} from '../../src/parse/snippets.js'

const FILE = '/nonexistent/docs/page.md'

function read(text: string, sectionLines: number): Root {
  const diagnostics: never[] = []
  const lines = expandSnippets(splitSource(text, FILE), {basePaths: ['/nonexistent/docs'], diagnostics, budget: {used: text.length}})
  return parseMarkdown(emitBlocks(parseBlocks(lines, diagnostics)), FILE, {sectionLines})
}

/** Cut wherever the parse allows, and never. */
const cutEverywhere = (text: string) => read(text, 1)
const whole = (text: string) => read(text, Number.POSITIVE_INFINITY)

const cases: Record<string, string> = {
  'an unclosed fence with shell comments': '# Install\n\n```bash\napt-get update\n\n# add the key\ncurl -fsSL x\n\n## not a heading\n',
  'a closed fence with shell comments': '# Install\n\n```bash\napt-get update\n\n# add the key\n```\n\n# Configure\n\ntext\n',
  'an HTML comment across headings': '# One\n\n<!--\n\n# hidden\n\n-->\n\n# Two\n\ntext\n',
  'a pre block across a heading': '# One\n\n<pre>\n\n# inside\n\n</pre>\n\n# Two\n',
  'a ::: container across a heading': '# One\n\n:::note\n\n# inside\n\n:::\n\n# Two\n',
  'a list item with an open fence before a heading': '# One\n\n- item\n\n  ```\n  code\n\n# Two\n\n- again\n',
  'indented code before a heading': '# One\n\n    code\n\n    more\n\n# Two\n',
  'a loose list before a heading': '# One\n\n1. a\n\n2. b\n\n# Two\n\n3. c\n',
  'a reference defined in a later section': '# One\n\nSee [the guide][g] and [g].\n\n# Two\n\n[g]: https://example.com/guide\n',
  'a definition whose label spans two lines': '# One\n\nSee [the long\nlabel].\n\n# Two\n\n[the long\nlabel]: https://example.com/x\n',
  'a heading right after a paragraph': '# One\ntext\n# Two\ntext\n#Three\n####### seven\n',
  'MkDocs tabs and admonitions with headings inside': '# One\n\n=== "Debian"\n\n    # Step\n\n    ```bash\n    # comment\n    apt-get install x\n    ```\n\n    # Next\n\n=== "RHEL"\n\n    # Step\n\n!!! note\n\n    # Inside\n\n    text\n\n# Two\n',
}

describe('sections of a long document', () => {
  for (const [name, text] of Object.entries(cases)) {
    it(`read as one parse: ${name}`, () => {
      expect(cutEverywhere(text)).toEqual(whole(text))
    })
  }

  it('keep the shell comments of a fence in its code, and an HTML comment whole', () => {
    const fenced = cutEverywhere(cases['a closed fence with shell comments']!)
    expect(fenced.children.map((node) => [node.type, node.position?.start.line])).toEqual([
      ['heading', 1],
      ['code', 3],
      ['heading', 9],
      ['paragraph', 11],
    ])
    expect(fenced.children[1]).toMatchObject({type: 'code', lang: 'bash', value: 'apt-get update\n\n# add the key'})
    const commented = cutEverywhere(cases['an HTML comment across headings']!)
    expect(commented.children.map((node) => [node.type, node.position?.start.line])).toEqual([
      ['heading', 1],
      ['html', 3],
      ['heading', 9],
      ['paragraph', 11],
    ])
  })

  it('resolve a reference to a definition in a later section', () => {
    const tree = cutEverywhere(cases['a definition whose label spans two lines']!)
    const paragraph = tree.children[1]!
    expect(paragraph.type).toBe('paragraph')
    expect(paragraph.type === 'paragraph' && paragraph.children.map((node) => node.type)).toEqual(['text', 'linkReference', 'text'])
    expect(tree.children.map((node) => [node.type, node.position?.start.line])).toEqual([
      ['heading', 1],
      ['paragraph', 3],
      ['heading', 6],
      ['definition', 8],
    ])
  })

  it('resolve references across bodies and sections, whatever the case and spacing of the label', () => {
    const text = '# One\n\n=== "Tab"\n\n    See [The  Guide] and [missing].\n\n# Two\n\n!!! note\n\n    [the guide]: https://example.com/g\n\nAnd [THE GUIDE][] here.\n'
    const tree = cutEverywhere(text)
    expect(tree).toEqual(whole(text))
    const references: string[] = []
    const texts: string[] = []
    const visit = (node: Root | Root['children'][number]) => {
      if (node.type === 'linkReference') references.push(node.identifier)
      if (node.type === 'text') texts.push(node.value)
      if ('children' in node) for (const child of node.children) visit(child)
    }
    visit(tree)
    expect(references).toEqual(['the guide', 'the guide'])
    expect(texts.join('|')).toContain('[missing]')
  })

  it('read any page of such lines as one parse', () => {
    const pieces = ['# Title', '## Sub', '#no', '', 'text', '- item', '  - nested', '1. first', '    indented', '```', '```bash', '~~~', '# comment', '<!--', '-->', '<div>', '</div>', ':::note', ':::', '> quote', '[x]: /url', 'a [x] ref', '=== "Tab"', '    # in tab', '!!! note', '    body', '---', '===']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 40}), (lines) => {
        const text = lines.join('\n') + '\n'
        expect(cutEverywhere(text)).toEqual(whole(text))
      }),
      {numRuns: 300},
    )
  })
})
