/**
 * Linear growth, as results (the time goes in test/bench/growth.js): a page
 * full of what made the parse quadratic — lazy continuation lines inside list
 * items, in tabs and admonitions, where micromark edits its event list once
 * per line — read at two sizes gives exactly the same reading of each copy.
 * And the edit step that was made linear (src/parse/micromark-edits.ts) gives
 * the same list as the step it replaced, for any batch of edits; the text line
 * above a line, indented less (src/parse/blocks.ts, found from an index built
 * once), is the one a scan of every line above finds; and whether a fence
 * closes ahead (remembered up to the line that answered) is what reading
 * ahead from each fence finds.
 */
import fc from 'fast-check'
import {EditMap} from 'micromark-util-edit-map'
import type {Event} from 'micromark-util-types'
import {describe, expect, it} from 'vitest'
import {buildGraph} from '../../src/graph/index.js'
import {closedAhead, textAbove, type Cursor} from '../../src/parse/blocks.js'
import {parseText} from '../../src/parse/index.js'
import {indentOf, isBlank} from '../../src/parse/lines.js'
import type {ExpandedLine} from '../../src/parse/snippets.js'
import {compact, type CompactNode} from './compact.js'
// The edit step under test, as every parse of the process uses it.
import '../../src/parse/micromark-edits.js'

/** One copy: a step whose list items go on unindented (lazy lines), in a tab and an admonition too. */
const unit = `## Step 1: Install the package

1. Download the archive
and check its checksum
against the published one.
2. Install it:

    \`\`\`bash
    apt-get install -y pkg --token <TOKEN>
    \`\`\`

=== "Debian"
    - Add the repository
    on every machine
    that runs the module.

    \`\`\`bash
    echo deb
    \`\`\`

!!! note "Before"
    > A quoted line
    that goes on lazily.

    - one item
    lazily continued

`

const page = (copies: number) => `# Guide\n\n${unit.repeat(copies)}`
const UNIT_LINES = unit.split('\n').length - 1
const FILE = '/nonexistent/guide/page.md'

/** Each node's line made relative to the copy it lies in. */
function shifted(nodes: CompactNode[], by: number): CompactNode[] {
  return nodes.map((node) => ({...node, line: node.line === undefined ? undefined : node.line - by, children: node.children && shifted(node.children, by)}))
}

describe('linear growth: a pathological page at two sizes', () => {
  it('reads every copy of 8 and of 32 exactly as the first of 2', () => {
    const reading = (copies: number) => {
      const parsed = parseText(page(copies), FILE)
      expect(parsed.diagnostics).toEqual([])
      const [title, ...rest] = compact(parsed.tree, '/nonexistent/guide')
      expect(title).toMatchObject({type: 'heading', text: 'Guide', line: 1})
      // Each copy opens with its step heading: split the page's nodes there.
      const copiesFound: CompactNode[][] = []
      for (const node of rest) {
        if (node.type === 'heading' && node.depth === 2) copiesFound.push([])
        copiesFound.at(-1)!.push(node)
      }
      expect(copiesFound).toHaveLength(copies)
      return copiesFound.map((nodes, i) => shifted(nodes, i * UNIT_LINES))
    }
    const small = reading(2)
    expect(small[1]).toEqual(small[0])
    for (const copies of [8, 32]) {
      const big = reading(copies)
      big.forEach((nodes) => expect(nodes).toEqual(small[0]))
    }
    // What a copy reads as, once: the lazy lines stay in their item's paragraph.
    const list = small[0]!.find((node) => node.type === 'list')!
    expect(list.children!.map((item) => item.children![0]!.text)).toEqual(['Download the archive\nand check its checksum\nagainst the published one.', 'Install it:'])
  })

  it('builds the same steps, commands and lines for every copy', () => {
    const steps = (copies: number) => buildGraph(parseText(page(copies), FILE)).procedures.flatMap((p) => p.steps)
    const small = steps(2)
    expect(small.map((s) => s.title)).toEqual(['Install the package', 'Install the package'])
    const shape = (step: (typeof small)[number], copy: number) =>
      step.actions.map((a) => ({kind: a.kind, script: a.script, line: a.source.line - copy * UNIT_LINES, placeholders: a.placeholders.map((p) => p.name)}))
    expect(shape(small[0]!, 0)).toEqual([
      {kind: 'manual', script: 'Download the archive and check its checksum against the published one.', line: 5, placeholders: []},
      {kind: 'exec', script: 'apt-get install -y pkg --token <TOKEN>', line: 10, placeholders: ['TOKEN']},
      {kind: 'check', script: 'echo deb', line: 19, placeholders: []},
    ])
    const big = steps(32)
    expect(big).toHaveLength(32)
    big.forEach((step, i) => {
      expect(step.title).toBe('Install the package')
      expect(shape(step, i)).toEqual(shape(small[0]!, 0))
    })
  })
})

/** The edit step as micromark-util-edit-map 1.0.0 wrote it: copy everything, push everything back. */
function referenceConsume(changes: Array<[number, number, Event[]]>, events: Event[]): void {
  const map = [...changes].sort((a, b) => a[0] - b[0])
  const vecs: Event[][] = []
  for (let index = map.length - 1; index >= 0; index--) {
    vecs.push(events.slice(map[index]![0] + map[index]![1]), map[index]![2])
    events.length = map[index]![0]
  }
  vecs.push(events.slice())
  events.length = 0
  for (let slice = vecs.pop(); slice; slice = vecs.pop()) for (const element of slice) events.push(element)
}

describe('micromark edits', () => {
  it('give the same events as the copying step, for any batch of edits', () => {
    // Stand-in events: what consume moves is opaque to it.
    const event = (n: number) => ['enter', {type: `e${n}`}, {}] as unknown as Event
    fc.assert(
      fc.property(
        fc.integer({min: 0, max: 40}).chain((length) =>
          fc.tuple(
            fc.constant(length),
            fc.array(fc.tuple(fc.integer({min: 0, max: length}), fc.integer({min: 0, max: 3}), fc.array(fc.integer({min: 100, max: 999}), {maxLength: 4}), fc.boolean()), {maxLength: 6}),
          ),
        ),
        ([length, edits]) => {
          const ours = Array.from({length}, (_, i) => event(i))
          const theirs = [...ours]
          const map = new EditMap()
          // Edits never overlap in micromark: keep each removal inside the list and before the next edit.
          const used: Array<[number, number, Event[]]> = []
          for (const [at, remove, add, before] of [...edits].sort((a, b) => a[0] - b[0])) {
            const last = used.at(-1)
            if (last && at < last[0] + last[1]) continue
            const count = Math.min(remove, length - at)
            const added = add.map(event)
            const existing = used.find((u) => u[0] === at)
            if (existing) {
              existing[1] += count
              existing[2] = before ? [...added, ...existing[2]] : [...existing[2], ...added]
            } else used.push([at, count, added])
            if (before) map.addBefore(at, count, [...added])
            else map.add(at, count, [...added])
          }
          map.consume(ours)
          referenceConsume(used, theirs)
          expect(ours).toEqual(theirs)
        },
      ),
      {numRuns: 500},
    )
  })
})

describe('the text line above, indented less', () => {
  /** As parse/blocks.ts read it before: every line above, one by one. */
  const scanned = (lines: ExpandedLine[], index: number, indent: number): number => {
    for (let at = index - 1; at >= 0; at--) {
      const line = lines[at]!
      if (line.marker || isBlank(line.text) || indentOf(line.text) >= indent) continue
      return at
    }
    return -1
  }

  it('is the line a scan of every line above finds, for any lines, index and indentation', () => {
    const texts = ['x', ' x', '  - x', '    x', '\tx', '  \tx', '        x', '', '   ', '\t', '1. x', '      <div>', '    ```']
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...texts), fc.boolean()), {minLength: 1, maxLength: 40}), fc.nat(), fc.integer({min: 0, max: 12}), (shape, pick, indent) => {
        const lines = shape.map(([text, marker], i) => ({text, origin: {file: FILE, line: i + 1}, ...(marker && i % 5 === 0 ? {marker: {} as never} : {})})) as ExpandedLine[]
        const cursor: Cursor = {lines, index: 0, diagnostics: []}
        const index = pick % (lines.length + 1)
        expect(textAbove(cursor, index, indent)).toBe(scanned(lines, index, indent))
        // Asked again (the index is kept), in any order.
        for (let at = lines.length; at >= 0; at--) expect(textAbove(cursor, at, indent)).toBe(scanned(lines, at, indent))
      }),
      {numRuns: 500},
    )
  })
})

describe('a fence closed ahead', () => {
  /** As parse/blocks.ts read it before: from each fence, every line ahead. */
  const readAhead = (lines: ExpandedLine[], index: number, minIndent: number, marker: string): boolean => {
    for (let at = index + 1; at < lines.length; at++) {
      const line = lines[at]!
      if ((line.marker || !isBlank(line.text)) && indentOf(line.text) < minIndent) return false
      const trimmed = line.text.trim()
      if (!line.marker && trimmed.length >= marker.length && trimmed[0] === marker[0] && /^(`+|~+)$/.test(trimmed)) return true
    }
    return false
  }

  it('is what reading ahead finds, for any lines and any order of questions', () => {
    const texts = ['```', '````', '```bash', '~~~', '  ```', '    ```', 'x', '  x', '', '\t```', ' ~~~~ ']
    const markers = ['```', '````', '~~~', '~~~~']
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...texts), fc.boolean()), {minLength: 1, maxLength: 30}),
        fc.array(fc.tuple(fc.nat(), fc.integer({min: 0, max: 5}), fc.constantFrom(...markers)), {maxLength: 20}),
        (shape, questions) => {
          const lines = shape.map(([text, marker], i) => ({text, origin: {file: FILE, line: i + 1}, ...(marker && i % 4 === 0 ? {marker: {} as never} : {})})) as ExpandedLine[]
          const cursor: Cursor = {lines, index: 0, diagnostics: []}
          for (const [pick, minIndent, marker] of questions) {
            cursor.index = pick % lines.length
            expect(closedAhead(cursor, minIndent, marker)).toBe(readAhead(lines, cursor.index, minIndent, marker))
          }
        },
      ),
      {numRuns: 500},
    )
  })
})
