/** `runbook runs`: the runs in the state folder, newest last. */
import {parseCommandArgs} from '../args.js'
import {listRuns, currentStep} from '../../execute/runs.js'
import {stateRoot} from '../../execute/paths.js'
import {UsageError} from '../../errors.js'
import {maxOf} from '../../arrays.js'
import {visibleDeep} from '../../ui/sanitize.js'

const help = `usage: runbook runs [--state-dir DIR]

Lists runs: id, runbook, when it started, status, and the step it is at.
`

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => maxOf(rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + '\n'
}

export async function runs(argv: string[]): Promise<number> {
  const {values: flags, positionals} = parseCommandArgs('runs', argv, {'state-dir': {type: 'string'}})
  if (flags.help) {
    process.stdout.write(help)
    return 0
  }
  if (positionals.length > 0) throw new UsageError(`runbook runs takes no arguments, got ${positionals.join(' ')}. See 'runbook runs --help'.`)
  const root = stateRoot(flags['state-dir'] as string | undefined)
  const all = listRuns(root)
  if (all.length === 0) {
    process.stdout.write(`No runs in ${root}.\n`)
    return 0
  }
  const rows = [['ID', 'RUNBOOK', 'STARTED', 'STATUS', 'STEP']]
  for (const r of all) {
    if (!r.state) {
      rows.push([r.id, '?', '?', 'unreadable', r.error!.split('. ')[0]!])
      continue
    }
    const s = r.state
    const at = currentStep(s)
    const started = s.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
    rows.push([r.id, s.runbook.title, started, s.status, at ? `${at.number}/${s.steps.length} ${at.title} (${at.status})` : '-'])
  }
  process.stdout.write(table(visibleDeep(rows)))
  return 0
}
