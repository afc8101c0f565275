// Start-up: `runbook run separate-postanalytics --dry-run --os ubuntu:22.04`
// against `node -e 0`, both spawned the same way, alternating. Target ≤ 3×.
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {alternate, line, wallMs} from './measure.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const cli = resolve(root, 'dist/cli/main.js')

export async function run({rounds = 15} = {}) {
  const {ours, baseline} = alternate(
    rounds,
    () => wallMs(process.execPath, [cli, 'run', 'separate-postanalytics', '--dry-run', '--os', 'ubuntu:22.04'], {cwd: root}),
    () => wallMs(process.execPath, ['-e', '0'], {cwd: root}),
  )
  return [{name: 'dry-run start-up', ours, baseline, baselineName: 'node -e 0', ratio: ours / baseline, target: 3, unit: 'ms'}]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const result of await run()) console.log(line(result))
