/** `runbook diff <page-a> <page-b>`: drift between two translations or versions of one guide. */
import {UsageError} from '../../errors.js'
import {diffGraphs, renderDiffJson, renderDiffText} from '../../diff/index.js'
import {parseCommandArgs} from '../args.js'
import {loadGraph} from '../load.js'

const help = `usage: runbook diff <page-a> <page-b> [--json] [--include-path DIR]...

Aligns two translations (or two versions) of one guide by structure —
procedures, steps and tabs matched by what they do and the platforms they
name, not by their words — and reports the drift: steps or tabs on one side
only, commands that differ (versions, URLs, paths, flags), placeholders renamed.
Exit: 0 no drift, 1 drift, 2 bad usage.
`

export async function diff(argv: string[]): Promise<number> {
  const {values, positionals} = parseCommandArgs('diff', argv, {
    json: {type: 'boolean'},
    'include-path': {type: 'string', multiple: true},
  })
  if (values.help) {
    process.stdout.write(help)
    return 0
  }
  if (positionals.length !== 2) throw new UsageError(`runbook diff takes exactly two pages (got ${positionals.length}). ${help.split('\n')[0]}`)
  const includePaths = values['include-path'] as string[] | undefined
  const [a, b] = await Promise.all(positionals.map((page) => loadGraph(page, includePaths)))
  const report = diffGraphs(a, b)
  process.stdout.write(values.json ? renderDiffJson(report) : renderDiffText(report))
  return report.drift.length === 0 ? 0 : 1
}
