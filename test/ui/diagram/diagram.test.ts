/**
 * The step graph as a diagram. DOT is checked by Graphviz itself (`dot -Tsvg`
 * must accept every runbook and seed, and draw one node per model node);
 * Mermaid by a grammar of the flowchart subset we emit, with every edge's ends
 * declared and every label closed.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {buildDiagram} from '../../../src/ui/diagram/model.js'
import {renderDot} from '../../../src/ui/diagram/dot.js'
import {renderMermaid} from '../../../src/ui/diagram/mermaid.js'
import {parseFile} from '../../../src/parse/index.js'
import {buildGraph} from '../../../src/graph/index.js'
import {runCli} from '../../helpers/cli.js'
import {hasShared, repoRoot, seedEn, seedPt, wallarmDocs} from '../../helpers/shared.js'

const hasDot = spawnSync('dot', ['-V']).status === 0
if (!hasDot) console.warn('diagram tests: Graphviz `dot` is absent (apt-get install graphviz): the SVG checks are skipped.')

const runbooks = readdirSync(resolve(repoRoot, 'runbooks')).filter((f) => f.endsWith('.md')).map((f) => resolve(repoRoot, 'runbooks', f))
const graphOf = (file: string) => buildGraph(parseFile(file, {includePaths: [wallarmDocs]}))
const temp = mkdtempSync(join(tmpdir(), 'rb-diagram-'))
afterAll(() => rmSync(temp, {recursive: true, force: true}))

/** The Mermaid flowchart subset the renderer writes; anything else is a grammar error. */
function checkMermaid(text: string): {nodes: Set<string>; edges: number} {
  const lines = text.trimEnd().split('\n')
  expect(lines.slice(0, 4).map((l) => l.replace(/^title: ".*"$/, 'title: "…"'))).toEqual(['---', 'title: "…"', '---', 'flowchart TD'])
  const label = String.raw`"[^"\n]*"`
  const shapes = [String.raw`\(\(\(${label}\)\)\)`, String.raw`\(\(${label}\)\)`, String.raw`\(${label}\)`, String.raw`\{${label}\}`, String.raw`\[/${label}/\]`, String.raw`\[${label}\]`].join('|')
  const node = new RegExp(String.raw`^    ([A-Za-z][A-Za-z0-9_]*)(?:${shapes})$`)
  const edge = new RegExp(String.raw`^    ([A-Za-z][A-Za-z0-9_]*) (-->|-\.->)(?:\|${label}\|)? ([A-Za-z][A-Za-z0-9_]*)$`)
  const nodes = new Set<string>()
  const ends: string[] = []
  let depth = 0
  let edges = 0
  for (const line of lines.slice(4)) {
    let m: RegExpMatchArray | null
    if ((m = line.match(new RegExp(String.raw`^  subgraph ([A-Za-z][A-Za-z0-9_]*)\[${label}\]$`)))) depth++
    else if (line === '  end') depth--
    else if ((m = line.match(node))) {
      expect(nodes.has(m[1]!), `node ${m[1]} declared twice`).toBe(false)
      expect(m[1]).not.toBe('end')
      nodes.add(m[1]!)
    } else if ((m = line.match(edge))) {
      ends.push(m[1]!, m[3]!)
      edges++
    } else if (/^  classDef [A-Za-z]+ [^\n]+$/.test(line) || /^  class [A-Za-z0-9_,]+ [A-Za-z]+$/.test(line)) continue
    else throw new Error(`not in the Mermaid grammar: ${JSON.stringify(line)}`)
    expect(depth).toBeGreaterThanOrEqual(0)
  }
  expect(depth).toBe(0)
  for (const end of ends) expect(nodes.has(end), `edge to undeclared node ${end}`).toBe(true)
  return {nodes, edges}
}

describe('graph --format mermaid', () => {
  it.each(runbooks)('%s is a well-formed flowchart with one node per model node', (file) => {
    const diagram = buildDiagram(graphOf(file))
    const {nodes} = checkMermaid(renderMermaid(diagram))
    expect(nodes.size).toBe(diagram.clusters.reduce((n, c) => n + c.nodes.length, 0))
  })

  it('draws the tarantool runbook exactly', () => {
    const result = runCli(['graph', 'tarantool', '--format', 'mermaid'])
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines.slice(4, 12)).toEqual([
      '  subgraph p0["Installation"]',
      '    p0_start(("start"))',
      '    p0_s1("1. Install the Tarantool packages")',
      '    p0_s1_g1{"platform"}',
      '    p0_s1_g1_v0["Debian<br/>1 block"]',
      '    p0_s1_g1_v1["Ubuntu<br/>1 block"]',
      '    p0_s2("2. Configure the instance")',
      '    p0_s2_g2{"platform"}',
    ])
    expect(lines).toContain('    p0_start --> p0_s1')
    expect(lines).toContain('    p0_s1_g1 -->|"Debian"| p0_s1_g1_v0')
    expect(lines).toContain('    p0_s1_g1_v0 --> p0_s2')
    expect(lines).toContain('    p0_s1_g1_v1 --> p0_s2')
  })

  it('a hostile title and label cannot break out of their quotes', () => {
    const page = join(temp, 'hostile.md')
    writeFileSync(page, '# Title "quoted" a < b #1 \\ end\n\n## Install\n\n### Step 1: Pick "this"]) --> x\n\n=== "Debian \\"12\\" |x|"\n\n    ```bash\n    echo hi\n    ```\n\n=== "Ubuntu"\n\n    ```bash\n    echo hi\n    ```\n')
    const text = renderMermaid(buildDiagram(graphOf(page)))
    checkMermaid(text)
    expect(text).toContain('title: "Title #quot;quoted#quot; a #lt; b #35;1 \\ end"')
  })
})

describe.skipIf(!hasDot)('graph --format dot and svg', () => {
  const pages = [...runbooks, ...(hasShared ? [seedEn, seedPt] : [])]
  if (!hasShared) console.warn('diagram tests: ../shared is absent: the seed pages are not drawn.')

  it.each(pages)('dot -Tsvg accepts %s and draws every node', (file) => {
    const diagram = buildDiagram(graphOf(file))
    const svg = spawnSync('dot', ['-Tsvg'], {input: renderDot(diagram), encoding: 'utf8'})
    expect(svg.stderr).toBe('')
    expect(svg.status).toBe(0)
    const drawn = svg.stdout.match(/<g id="node\d+" class="node">/g) ?? []
    expect(drawn.length).toBe(diagram.clusters.reduce((n, c) => n + c.nodes.length, 0))
    expect(svg.stdout.match(/<g id="clust\d+" class="cluster">/g)?.length).toBe(diagram.clusters.length)
  })

  it('runbook graph separate-postanalytics --format svg draws both procedures with their platform branches', () => {
    const result = runCli(['graph', 'separate-postanalytics', '--format', 'svg'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^<\?xml[^]*<svg[^]*<\/svg>\n?$/)
    expect(result.stdout).toContain('<title>cluster_p0</title>')
    expect(result.stdout).toContain('<title>cluster_p1</title>')
    expect(result.stdout).toContain('>All&#45;in&#45;one automatic installation</text>')
    expect(result.stdout).toContain('>Manual installation</text>')
    for (const platform of ['Debian', 'Ubuntu', 'CentOS']) expect(result.stdout).toContain(`>${platform}</text>`)
  })
})

describe('graph --format svg without Graphviz', () => {
  it('says how to install it and exits 2', () => {
    const result = runCli(['graph', 'tarantool', '--format', 'svg'], {env: {PATH: '/nonexistent'}})
    expect(result.code).toBe(2)
    expect(result.stderr).toBe("runbook: runbook graph --format svg needs Graphviz's 'dot', which is not installed. Install it (Debian/Ubuntu: apt-get install graphviz; RHEL family: dnf install graphviz), or print the diagram with --format dot or --format mermaid.\n")
  })
})
