// Start-up: `runbook run separate-postanalytics --dry-run --os ubuntu:22.04`
// against `node -e 0`, both spawned the same way, alternating. Targets: ≤ 1.5× with the
// graph cached, ≤ 2.5× on a first run (no cache). And the first run's floor, with no
// target: the same page parsed by remark-parse alone, bundled, in a fresh process.
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {rolldown} from 'rolldown'
import {alternate, line, wallMs} from './measure.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const cli = resolve(root, 'dist/cli/main.js')

const page = resolve(root, 'runbooks/separate-postanalytics.md')
const args = [cli, 'run', 'separate-postanalytics', '--dry-run', '--os', 'ubuntu:22.04']

/** remark-alone.mjs and the parser, in one file as dist/ is bundled (unbundled, Node's resolving of micromark's hundred modules would be measured too). */
async function bundleRemarkAlone(dir) {
  const bundle = await rolldown({input: resolve(root, 'test/bench/remark-alone.mjs'), platform: 'node', external: [/^node:/]})
  const file = join(dir, 'remark-alone.mjs')
  await bundle.write({file, format: 'esm', comments: false, charset: 'ascii'})
  await bundle.close()
  return file
}

export async function run({rounds = 15} = {}) {
  const node = () => wallMs(process.execPath, ['-e', '0'], {cwd: root})
  // The usual case: the page was read before, so its graph and effects come from the cache.
  const warm = alternate(rounds, () => wallMs(process.execPath, args, {cwd: root}), node)
  // The first run on a machine, or after the page changed: parse, graph and shell parser from scratch.
  const cold = alternate(Math.ceil(rounds / 2), () => wallMs(process.execPath, args, {cwd: root, env: {...process.env, RUNBOOK_NO_CACHE: '1'}}), node)
  const dir = mkdtempSync(join(tmpdir(), 'runbook-bench-'))
  let floor
  try {
    const remarkAlone = await bundleRemarkAlone(dir)
    floor = alternate(Math.ceil(rounds / 2), () => wallMs(process.execPath, [remarkAlone, page], {cwd: root}), node)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
  return [
    {name: 'dry-run start-up (cached graph)', ...warm, baselineName: 'node -e 0', ratio: warm.ours / warm.baseline, target: 1.5, unit: 'ms'},
    {
      name: 'dry-run start-up (no cache, first run)', ...cold, baselineName: 'node -e 0', ratio: cold.ours / cold.baseline, target: 2.5, unit: 'ms',
      extra: {oursOverRemarkAlone: `${(cold.ours / floor.ours).toFixed(2)}× (the floor below)`},
    },
    {
      name: 'first dry-run floor: remark-parse alone of the same page (bundled, fresh process)', ...floor, baselineName: 'node -e 0', ratio: floor.ours / floor.baseline, unit: 'ms',
      extra: 'the design\'s parser before the engine does anything: what the 2.5× target leaves the engine is 2.5× minus this ratio',
    },
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const result of await run()) console.log(line(result))
