// Start-up: `runbook run separate-postanalytics --dry-run --os ubuntu:22.04`
// against `node -e 0`, both spawned the same way, alternating. Targets: ≤ 1.5× with the
// graph cached, ≤ 2.5× on a first run (no cache).
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {alternate, line, wallMs} from './measure.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const cli = resolve(root, 'dist/cli/main.js')

const args = [cli, 'run', 'separate-postanalytics', '--dry-run', '--os', 'ubuntu:22.04']

export async function run({rounds = 15} = {}) {
  const node = () => wallMs(process.execPath, ['-e', '0'], {cwd: root})
  // The usual case: the page was read before, so its graph and effects come from the cache.
  const warm = alternate(rounds, () => wallMs(process.execPath, args, {cwd: root}), node)
  // The first run on a machine, or after the page changed: parse, graph and shell parser from scratch.
  const cold = alternate(Math.ceil(rounds / 2), () => wallMs(process.execPath, args, {cwd: root, env: {...process.env, RUNBOOK_NO_CACHE: '1'}}), node)
  return [
    {name: 'dry-run start-up (cached graph)', ...warm, baselineName: 'node -e 0', ratio: warm.ours / warm.baseline, target: 1.5, unit: 'ms'},
    {name: 'dry-run start-up (no cache, first run)', ...cold, baselineName: 'node -e 0', ratio: cold.ours / cold.baseline, target: 2.5, unit: 'ms'},
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const result of await run()) console.log(line(result))
