/**
 * Parse benchmark: every page of ../shared/corpus (all .md files, ≈2500),
 * parsed with our parser and turned into a step graph, against a bare
 * CommonMark parse (`unified().use(remarkParse).parse(text)`) of the same
 * markdown. Runs on the build: `npm run build && node test/bench/parse.js`.
 *
 * What is counted, and why this is the fair baseline:
 * - ours: `parseFile(page, {includePaths, cache})` + `buildGraph(page)`, with
 *   snippets resolved from each tree's base path (wallarm `docs/`, percona
 *   `snippets/`, GetPageSpeed `includes/`), file contents shared in one cache
 *   (filled by the warm-up; the page itself is still read by parseFile).
 * - baseline: remark-parse of the page's EXPANDED text, i.e. the page with
 *   every include spliced in, which is the markdown Python-Markdown receives
 *   from pymdownx.snippets. Both sides thus parse the same markdown: wallarm's
 *   docs/5.0 and pt-BR shell pages are one `--8<--` line that brings a whole
 *   page, and a baseline that parsed the bare line would do next to nothing
 *   for them. The expansion is done once before timing and is not counted on
 *   the baseline's side; ours pays for its own expansion, block pass, emit,
 *   position mapping and graph. ratio = ours / baseline, target ≤ 1.2 (issue 16: "keep").
 * - beside it (a second result): each file once, includes NOT
 *   followed (ours: parseText under a path whose folder does not exist, so
 *   every include is a missing-include leaf; baseline: remark-parse of the raw
 *   file text), so that the figure does not depend on how includes count.
 * - the baseline's micromark gets the same linear edit step as ours
 *   (src/parse/micromark-edits.ts; same events, same trees): without it, a
 *   page with many lazy lines costs bare remark the square of its length, and
 *   the ratio would credit us with micromark's quadratic step.
 * Rounds: warm-up rounds, then measured rounds alternating ours and baseline
 * (one of each per round, order swapped every round); the median of each.
 * `run({rounds, warmup})` or BENCH_ROUNDS / BENCH_WARMUP set the counts.
 * `run()` returns the results as test/bench/run.js takes them (name, ours,
 * baseline, baselineName, ratio, target, unit, extra): the include-following
 * figure first (the one the target is about), the single-file one beside it.
 * Times are the CPU time of this process (user + system, so the garbage
 * collector's threads count too): the machines this runs on are shared, and
 * other load moves wall-clock time far more than CPU time. The wall-clock
 * medians are printed beside.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {line, median} from './measure.js'

const here = dirname(fileURLToPath(import.meta.url))
const dist = resolve(here, '..', '..', 'dist')
const corpusDir = resolve(here, '..', '..', '..', 'shared', 'corpus')

/** The snippet base path of each documentation tree (see each SOURCE.txt). */
const BASES = {
  wallarm: [resolve(corpusDir, 'wallarm', 'docs')],
  'percona-pbm-docs': [resolve(corpusDir, 'percona-pbm-docs', 'snippets')],
  'GetPageSpeed-nginx-extras-docs': [resolve(corpusDir, 'GetPageSpeed-nginx-extras-docs', 'includes')],
}

function pages(dir) {
  return readdirSync(dir, {withFileTypes: true})
    .flatMap((entry) => (entry.isDirectory() ? pages(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : []))
    .sort()
}

function includePaths(file) {
  const tree = file.slice(corpusDir.length + 1).split(/[\\/]/)[0]
  return BASES[tree] ?? []
}

/** CPU time of this process (user + system, all its threads, the collector's included), in ms. */
function cpuNow() {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

/** Alternate two timed functions; medians of CPU and wall-clock time after `warmup` rounds of each. */
function measure(a, b, warmup, rounds) {
  for (let round = 0; round < warmup; round++) {
    a()
    b()
  }
  const cpu = {a: [], b: []}
  const wall = {a: [], b: []}
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['a', 'b'] : ['b', 'a']
    for (const which of order) {
      const startCpu = cpuNow()
      const startWall = performance.now()
      ;(which === 'a' ? a : b)()
      wall[which].push(performance.now() - startWall)
      cpu[which].push(cpuNow() - startCpu)
    }
  }
  return {a: median(cpu.a), b: median(cpu.b), wallA: median(wall.a), wallB: median(wall.b)}
}

/** The same edit step for the baseline's micromark (node_modules' copy; the build bundles its own). */
await import(pathToFileURL(join(dist, 'parse', 'micromark-edits.js')).href)

export async function run({rounds = Number(process.env.BENCH_ROUNDS ?? 5), warmup = Number(process.env.BENCH_WARMUP ?? 2)} = {}) {
  const {parseFile, parseText} = await import(pathToFileURL(join(dist, 'parse', 'index.js')).href)
  const {buildGraph} = await import(pathToFileURL(join(dist, 'graph', 'index.js')).href)
  const {splitSource} = await import(pathToFileURL(join(dist, 'parse', 'lines.js')).href)
  const {expandSnippets} = await import(pathToFileURL(join(dist, 'parse', 'snippets.js')).href)

  const files = pages(corpusDir)
  const raw = files.map((file) => readFileSync(file, 'utf8'))
  const cache = new Map()
  // The baseline's input: each page with its includes spliced in, as pymdownx.snippets does.
  const expanded = files.map((file, index) => {
    const basePaths = [dirname(file), ...includePaths(file)]
    return expandSnippets(splitSource(raw[index], file), {basePaths, diagnostics: [], cache})
      .map((line) => line.text)
      .join('\n')
  })
  const remark = unified().use(remarkParse)

  let sink = 0
  const ours = () => {
    for (const file of files) sink += buildGraph(parseFile(file, {includePaths: includePaths(file), cache})).procedures.length
  }
  const baseline = () => {
    for (const text of expanded) sink += remark.parse(text).children.length
  }
  const main = measure(ours, baseline, warmup, rounds)

  // Beside it: each file once, no include followed.
  const nowhere = resolve(corpusDir, '..', 'no-such-folder')
  const oursAlone = () => {
    files.forEach((file, index) => {
      sink += buildGraph(parseText(raw[index], join(nowhere, basename(file)))).procedures.length
    })
  }
  const baselineAlone = () => {
    for (const text of raw) sink += remark.parse(text).children.length
  }
  const alone = measure(oursAlone, baselineAlone, 1, Math.max(1, Math.ceil(rounds / 2)))

  const mb = (texts) => `${(texts.reduce((sum, text) => sum + text.length, 0) / 1e6).toFixed(1)} MB`
  const wall = (m) => `wall clock ${Math.round(m.wallA)} vs ${Math.round(m.wallB)} ms (${(m.wallA / m.wallB).toFixed(2)}×)`
  return [
    {
      name: `parse + graph, ${files.length} corpus pages, includes followed`,
      ours: main.a,
      baseline: main.b,
      baselineName: `remark-parse of the same pages with includes spliced in, ${mb(expanded)}`,
      ratio: main.a / main.b,
      target: 1.2,
      unit: 'ms CPU',
      extra: `${wall(main)}; ${rounds} rounds after ${warmup} warm-up`,
    },
    {
      name: `parse + graph, ${files.length} corpus pages, each file alone (no include followed)`,
      ours: alone.a,
      baseline: alone.b,
      baselineName: `remark-parse of the raw files, ${mb(raw)}`,
      ratio: alone.a / alone.b,
      target: 1.2,
      unit: 'ms CPU',
      extra: wall(alone),
    },
  ]
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const result of await run()) console.log(line(result))
}
