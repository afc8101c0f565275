/**
 * Lint benchmark: `runbook lint` over every page of ../shared/corpus (all
 * rules, shellcheck on every command block when installed), against the bare
 * parse + graph of the same pages with the same snippet base paths (what any
 * command pays to read them). Both in this process, one after the other,
 * alternating over rounds; wall-clock time (shellcheck runs in child
 * processes, so CPU time of this process would hide it), CPU time beside.
 * Target: the lint finishes in under 60 s (the ratio is printed for scale).
 * Run alone: `npm run build && node test/bench/lint.js`.
 */
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {line, median} from './measure.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const dist = resolve(here, '..', '..', 'dist')
const corpusDir = resolve(here, '..', '..', '..', 'shared', 'corpus')

export async function run({rounds = Number(process.env.BENCH_ROUNDS ?? 1)} = {}) {
  if (!existsSync(corpusDir)) return [{name: 'lint of the corpus', skipped: `${corpusDir} is absent`}]
  const {lint} = await import(pathToFileURL(join(dist, 'lint', 'index.js')).href)
  const {findPages, PageLoader} = await import(pathToFileURL(join(dist, 'lint', 'pages.js')).href)
  const {shellcheckAvailable} = await import(pathToFileURL(join(dist, 'lint', 'rules', 'shellcheck.js')).href)
  const shellcheck = shellcheckAvailable()
  const cpu = () => {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1000
  }
  const ours = {wall: [], cpu: []}
  const bare = {wall: [], cpu: []}
  let findings = 0
  let pages = 0
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['ours', 'bare'] : ['bare', 'ours']
    for (const which of order) {
      const startWall = performance.now()
      const startCpu = cpu()
      if (which === 'ours') {
        const result = await lint({targets: [corpusDir], shellcheck})
        findings = result.findings.length
        pages = result.pages.length
      } else {
        const loader = new PageLoader()
        for (const page of findPages([corpusDir])) loader.load(page)
      }
      const into = which === 'ours' ? ours : bare
      into.wall.push(performance.now() - startWall)
      into.cpu.push(cpu() - startCpu)
    }
  }
  const wallOurs = median(ours.wall)
  const wallBare = median(bare.wall)
  return [
    {
      name: `lint of ${pages} corpus pages (${shellcheck ? 'with shellcheck' : 'shellcheck ABSENT'}), ${findings} findings`,
      ours: wallOurs,
      baseline: wallBare,
      baselineName: 'parse + graph of the same pages, same base paths',
      ratio: wallOurs / wallBare,
      unit: 'ms wall',
      extra: {note: `target: under 60000 ms wall; CPU of this process ${Math.round(median(ours.cpu))} vs ${Math.round(median(bare.cpu))} ms; ${rounds} round(s)`, pass: wallOurs < 60000},
    },
  ]
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const result of await run()) console.log(result.skipped ? `${result.name}: skipped (${result.skipped})` : line(result))
}
