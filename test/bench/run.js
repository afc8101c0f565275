// `npm run bench`: every benchmark under test/bench, each printing our figure,
// its baseline measured in the same run, and the ratio against the target.
// Timing belongs here, never in the test suite.
import {line} from './measure.js'

const benches = ['./parse.js', './dry-run.js', './executor.js']
let over = 0
for (const bench of benches) {
  let module
  try {
    module = await import(bench)
  } catch (error) {
    console.log(`${bench}: could not load (${error.message})`)
    continue
  }
  for (const result of await module.run()) {
    const text = line(result)
    console.log(text)
    if (text.includes('OVER TARGET')) over++
  }
}
console.log(over === 0 ? 'all benchmarks within target' : `${over} benchmark(s) over target`)
