/**
 * A page's first analysis runs the parser and the graph builder from
 * dist/analysis.cjs with the compiled code the build kept
 * (src/cli/analysis-loader.ts, src/build/code-cache.mjs): V8 takes that code,
 * the graph is the one the ES modules build, a cache V8 refuses changes
 * nothing but the time, and what the bundled parser throws is still the
 * engine's own error.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, relative, resolve} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'

const dist = resolve(repoRoot, 'dist')
const dir = mkdtempSync(join(tmpdir(), 'runbook-code-cache-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** In a fresh Node process: the graph of `page` as JSON, and what V8 did with the compiled code (`cacheFile`: another one). */
function analyse(page: string, how: 'bundle' | 'modules', cacheFile?: string): {state: string; graph: string} {
  const script =
    how === 'bundle'
      ? `const m = await import(${JSON.stringify(join(dist, 'cli/analysis-loader.js'))})
         const {parseFile, buildGraph} = await m.loadAnalysis(${cacheFile ? JSON.stringify(cacheFile) : ''})
         console.log(JSON.stringify({state: m.codeCacheState(), graph: JSON.stringify(buildGraph(parseFile(${JSON.stringify(page)})))}))`
      : `const {parseFile} = await import(${JSON.stringify(join(dist, 'parse/index.js'))})
         const {buildGraph} = await import(${JSON.stringify(join(dist, 'graph/index.js'))})
         console.log(JSON.stringify({state: 'modules', graph: JSON.stringify(buildGraph(parseFile(${JSON.stringify(page)})))}))`
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return JSON.parse(result.stdout) as {state: string; graph: string}
}

describe('the first analysis with the compiled code of the build', () => {
  // The reference page (the build ran on it) and a page it never saw: tabs with snippets.
  const pages = [resolve(repoRoot, 'runbooks/separate-postanalytics.md'), resolve(repoRoot, 'test/fixtures/parse/snippet-in-tab/input.md')]

  it('is taken by V8 and builds the graph the ES modules build', () => {
    for (const page of pages) {
      const cached = analyse(page, 'bundle')
      expect(cached.state).toBe('accepted')
      expect(cached.graph).toBe(analyse(page, 'modules').graph)
    }
    expect(analyse(pages[0]!, 'bundle').graph).toContain('"title":"All-in-one automatic installation"')
  })

  it('compiles as usual when V8 refuses the cache (another Node, other flags, a damaged file), to the same graph', () => {
    const damaged = join(dir, 'damaged.v8cache')
    writeFileSync(damaged, 'not V8 code')
    const refused = analyse(pages[0]!, 'bundle', damaged)
    expect(refused.state).toBe('rejected')
    expect(refused.graph).toBe(analyse(pages[0]!, 'modules').graph)
    const missing = analyse(pages[0]!, 'bundle', join(dir, 'none.v8cache'))
    expect(missing.state).toBe('absent')
    expect(missing.graph).toBe(refused.graph)
  })

  it("hands the bundle every one of the engine's error classes, those of the ES modules", async () => {
    const [{engineErrors}, errors] = await Promise.all([import('../../src/cli/analysis-loader.js'), import('../../src/errors.js')])
    expect(Object.keys(engineErrors).sort()).toEqual(Object.keys(errors).sort())
    for (const [name, value] of Object.entries(engineErrors)) expect(value).toBe(errors[name as keyof typeof errors])
  })

  it("throws the engine's own errors: a page over a limit is one paragraph and exit 2, not a crash", () => {
    const page = join(dir, 'long-line.md')
    writeFileSync(page, `# Long\n\n## Step\n\n${'x'.repeat(1024 * 1024 + 1)}\n`)
    const result = runCli(['graph', page], {env: {RUNBOOK_NO_CACHE: '1'}})
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe(`runbook: ${relative(repoRoot, page)}:5: the line is 1 MB long, over the line length limit of 1 MB. Break it into lines, or move the data it holds into a file that a step downloads.\n`)
  })
})
