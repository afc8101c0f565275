// `npm run bench`: every benchmark under test/bench, each printing our figure,
// its baseline measured in the same run, and the ratio against the target;
// then the expectation-set score of the same build. Timing belongs here,
// never in the test suite.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {line} from './measure.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const only = process.env.BENCH_SET?.split(',')
const benches = ['./parse.js', './growth.js', './dry-run.js', './executor.js'].filter((b) => !only || only.some((o) => b.includes(o)))
let over = 0
for (const bench of benches) {
  let module
  try {
    module = await import(bench)
  } catch (error) {
    console.log(`${bench}: could not load (${error.message})`)
    continue
  }
  const log = (text) => process.stderr.write(`${text}\n`)
  for (const result of await module.run({log})) {
    const text = line(result)
    console.log(text)
    if (text.includes('OVER TARGET')) over++
  }
}

/** The hand-labelled expectation set (../shared/expectations): how many of its cases this build plans exactly. */
function expectationScore() {
  const compare = resolve(root, '..', 'shared', 'expectations', 'compare.py')
  if (!existsSync(compare)) return 'expectation set: skipped (no ../shared/expectations beside the worktree)'
  const r = spawnSync('python3', [compare, '--run'], {cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  const exact = [...String(r.stdout).matchAll(/^exact (\d+)\/(\d+)/gm)].at(-1)
  if (!exact) return `expectation set: could not score (compare.py exited ${r.status}: ${String(r.stderr).trim().split('\n').at(-1) ?? ''})`
  return `expectation set (python3 ../shared/expectations/compare.py --run): exact ${exact[1]}/${exact[2]}`
}

if (!only || only.includes('expectations')) console.log(expectationScore())
console.log(over === 0 ? 'all benchmarks within target' : `${over} benchmark(s) over target`)
