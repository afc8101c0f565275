/**
 * Linear growth: the biggest page of ../shared/corpus, repeated to 1×, 4× and
 * 16× its size, goes through every pass a page meets before it runs (parse,
 * graph with its placeholder scan, and substitution of a value into every
 * placeholder of every action). A pass that is quadratic anywhere shows as a
 * growth far above 16× at 16× the size. Figure: CPU time at 16× ÷ CPU time
 * at 1× (the baseline is our own time on the page as it is, in the same run);
 * target ≤ 17×. Run on the build: `npm run build && node test/bench/growth.js`.
 *
 * Substitution is asynchronous (the shell parser loads on first use): each
 * one is awaited inside the measure (it was not, so its work fell outside).
 *
 * Every size is measured alike: one pass in a process of its own, after the
 * same warm-up (three passes of the page at 1×; the first passes run up to
 * twice as slow while V8 compiles the hot code). Measured in one process, the
 * 1× rounds ran on code still warming up and each round inherited the heap
 * and the garbage of the rounds before it, which favoured some sizes over
 * others from run to run. 1× and 4× are the median of `BENCH_GROWTH_ROUNDS`
 * (3) processes, 16× one (it costs as much as all the others).
 */
import {spawnSync} from 'node:child_process'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {line, median} from './measure.js'

const here = dirname(fileURLToPath(import.meta.url))
const self = fileURLToPath(import.meta.url)
const dist = resolve(here, '..', '..', 'dist')
const corpusDir = resolve(here, '..', '..', '..', 'shared', 'corpus')
const WARM_UP_PASSES = 3

function pages(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((entry) =>
    entry.isDirectory() ? pages(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
  )
}

const cpuNow = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}

/** In a child process: warm up, then print the CPU milliseconds of one pass over the page repeated `times`. */
async function measurePass(biggest, times) {
  const {parseText} = await import(pathToFileURL(join(dist, 'parse', 'index.js')).href)
  const {buildGraph} = await import(pathToFileURL(join(dist, 'graph', 'index.js')).href)
  const {substitute} = await import(pathToFileURL(join(dist, 'resolve', 'substitute.js')).href)
  const text = readFileSync(biggest, 'utf8')
  // Includes are not followed (a folder that does not exist): the page's own text is what grows.
  const nowhere = join(corpusDir, '..', 'no-such-folder', 'page.md')
  let sink = 0
  const pass = async (page) => {
    const graph = buildGraph(parseText(page, nowhere))
    for (const procedure of graph.procedures) {
      for (const step of procedure.steps) {
        for (const action of step.actions) {
          const values = Object.fromEntries(action.placeholders.map((p) => [p.name, `v'"$(x)`]))
          sink += (await substitute(action.script, values, action.placeholders)).length
        }
      }
    }
  }
  for (let i = 0; i < WARM_UP_PASSES; i++) await pass(text)
  const page = Array.from({length: times}, () => text).join('\n\n')
  const start = cpuNow()
  await pass(page)
  const cpu = cpuNow() - start
  process.stdout.write(`${JSON.stringify({cpu, sink})}\n`)
}

export async function run({rounds = Number(process.env.BENCH_GROWTH_ROUNDS ?? 3)} = {}) {
  let files
  try {
    files = pages(corpusDir)
  } catch {
    console.log(`growth: skipped, no corpus at ${corpusDir} (../shared beside the worktree)`)
    return []
  }
  const biggest = files.map((file) => ({file, size: statSync(file).size})).sort((a, b) => b.size - a.size)[0].file
  const text = readFileSync(biggest, 'utf8')
  const onePass = (times) => {
    const child = spawnSync(process.execPath, [self, '--pass', biggest, String(times)], {encoding: 'utf8', maxBuffer: 1 << 20})
    if (child.status !== 0) throw new Error(`growth: the pass at ${times}× exited ${child.status}: ${child.stderr.slice(0, 500)}`)
    return JSON.parse(child.stdout).cpu
  }
  const timeOf = (times) => median(Array.from({length: times === 16 ? 1 : rounds}, () => onePass(times)))
  const one = timeOf(1)
  const four = timeOf(4)
  const sixteen = timeOf(16)
  const name = biggest.slice(corpusDir.length + 1)
  return [
    {
      name: `growth: parse + graph + substitute of ${name} repeated 16× (${((text.length * 16) / 1e6).toFixed(1)} MB)`,
      ours: sixteen,
      baseline: one,
      baselineName: `the page once, ${(text.length / 1e6).toFixed(2)} MB`,
      ratio: sixteen / one,
      target: 17,
      unit: 'ms CPU',
      extra: `4× takes ${(four / one).toFixed(2)}× the time (${Math.round(four)} ms)`,
    },
  ]
}

if (process.argv[1] && resolve(process.argv[1]) === self) {
  if (process.argv[2] === '--pass') await measurePass(process.argv[3], Number(process.argv[4]))
  else for (const result of await run()) console.log(line(result))
}
