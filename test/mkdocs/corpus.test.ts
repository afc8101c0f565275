/**
 * The corpus read as MkDocs reads it: each tree of ../shared/corpus rendered
 * by Python-Markdown + pymdownx with the tree's own mkdocs*.yml (render.py),
 * compared block by block with our parser (compare.ts). No shell block that
 * MkDocs shows may be lost, and each must sit in the tabs MkDocs puts it in.
 *
 * Needs ../shared and python3-markdown + python3-pymdownx (Debian; .ci/run
 * installs them); skipped with a message otherwise. The four trees render in
 * parallel, once, into a temp folder removed afterwards. Measured on the whole
 * corpus (MKDOCS_EVERY=1): 3496 shell blocks, 3495 kept, every kept one in
 * MkDocs' tabs; the one other is the EXCEPTIONS.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {mkdocsBasePaths} from '../../src/cli/target.js'
import {parseFile} from '../../src/parse/index.js'
import {corpusDir, hasShared} from '../helpers/shared.js'
import {compareTree, hasRenderer, python, type Rendered, type Score} from './compare.js'

const renderer = hasRenderer()
if (!renderer) console.warn('\n[runbook tests] python3-markdown / python3-pymdownx are absent: the MkDocs comparison of the corpus is skipped.\n')

/**
 * The whole corpus takes about two minutes of CPU (render and parse): the suite reads a
 * deterministic sample, every EVERY-th page of each tree in sorted order plus the pages of
 * the exceptions below. MKDOCS_EVERY=1 reads every page.
 */
const EVERY = Number(process.env.MKDOCS_EVERY ?? 4)

const TREES = ['wallarm', 'bunkerity-bunkerweb', 'percona-pbm-docs', 'GetPageSpeed-nginx-extras-docs']

/**
 * The blocks MkDocs shows that we do not, each with its reason (page, first
 * line of the block, why, and the line of the page's warning that says how
 * MkDocs renders it). A block that comes back, or a new loss, fails the test.
 */
const EXCEPTIONS: Record<string, Array<[string, string, string, number]>> = {
  'GetPageSpeed-nginx-extras-docs': [
    [
      'docs/modules/dynamic-etag.md',
      "Another worthy thing to mention is that it makes little to no sense applying dynamic `ETag` on a page that changes on",
      'MkDocs shows prose as code: a fence indented one column has a line less indented than itself, so superfences reads it as text and its closing line as the opening of a fence that swallows the paragraphs after it; we keep the author\'s text and warn at the closing line',
      88,
    ],
  ],
}

describe.skipIf(!hasShared || !renderer)('the corpus as MkDocs renders it', () => {
  let dir = ''
  const rendered = new Map<string, Rendered>()

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rb-mkdocs-'))
    const run = promisify(execFile)
    await Promise.all(
      TREES.map(async (tree) => {
        const out = join(dir, `${tree}.json`)
        // For work on the parser: MKDOCS_RENDERED=DIR reuses DIR/<tree>.json from an earlier render.py.
        const kept = process.env.MKDOCS_RENDERED
        if (kept) return void rendered.set(tree, JSON.parse(readFileSync(join(kept, `${tree}.json`), 'utf8')) as Rendered)
        const sample = EVERY > 1 ? ['--every', String(EVERY), ...new Set((EXCEPTIONS[tree] ?? []).map(([page]) => page))] : []
        await run(python, [resolve(dirname(fileURLToPath(import.meta.url)), 'render.py'), join(corpusDir, tree), out, ...sample], {maxBuffer: 1 << 24})
        rendered.set(tree, JSON.parse(readFileSync(out, 'utf8')) as Rendered)
      }),
    )
  }, 120_000)

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  for (const tree of TREES) {
    it(`${tree}: every shell block MkDocs shows is ours, in MkDocs' tabs`, () => {
      const score: Score = compareTree(join(corpusDir, tree), rendered.get(tree) as Rendered)
      const lost = score.differences.filter((d) => d.kind === 'lost')
      const tabs = score.differences.filter((d) => d.kind === 'tabs')
      console.log(`${tree}: ${score.shellBlocks} shell blocks, ${score.kept} kept, ${score.rightTabs} in MkDocs' tabs`)
      if (process.env.MKDOCS_DIFF) writeFileSync(join(process.env.MKDOCS_DIFF, `${tree}.diff.json`), JSON.stringify(score.differences, null, 1))
      expect(score.shellBlocks).toBeGreaterThan(40)
      const expected = (EXCEPTIONS[tree] ?? []).map(([page, first]) => `${page}: ${first}`)
      expect(lost.length, 'lost blocks').toBe(expected.length)
      expect(lost.map((d) => `${d.page}: ${d.text.split('\n')[0]}`)).toEqual(expected)
      // Each exception's page says, at the line given, that MkDocs shows text there as code.
      for (const [page, , , line] of EXCEPTIONS[tree] ?? []) {
        const file = join(corpusDir, tree, page)
        const warnings = parseFile(file, {includePaths: mkdocsBasePaths(file)}).diagnostics.filter((d) => d.severity === 'warning' && /MkDocs .* as code/.test(d.message))
        expect(warnings.map((d) => `${page}:${d.source?.line}`), page).toContain(`${page}:${line}`)
      }
      expect(tabs.map((d) => `${d.page}: ${d.text.split('\n')[0]} ${JSON.stringify(d.mkdocs)} vs ${JSON.stringify(d.ours)}`)).toEqual([])
    })
  }
})
