/** `runbook plan <name|path> [--matrix]`: which tab each platform gets at each step. */
import {UsageError} from '../../errors.js'
import {buildMatrix, platformsNamedBy, renderMatrix} from '../../resolve/matrix.js'
import {parseCommandArgs} from '../args.js'
import {loadGraph} from '../load.js'
import {terminalSafeJson, visibleDeep} from '../../ui/sanitize.js'

const help = `usage: runbook plan <name|path> [--matrix] [--procedure TEXT] [--json | --format text|json|html] [--include-path DIR]...

For docs authors: a table of platforms × steps showing which tab each platform
gets at each step, and the holes (a platform with a tab in one step and none in
another). The platforms are those the page's tabs name, on each CPU it names.
The matrix is what plan prints; --matrix may be given or left out.
For the plan of one machine, use 'runbook run <name|path> --dry-run'.
`

export async function plan(argv: string[]): Promise<number> {
  const {values, positionals} = parseCommandArgs('plan', argv, {
    matrix: {type: 'boolean'},
    json: {type: 'boolean'},
    format: {type: 'string'},
    procedure: {type: 'string'},
    'include-path': {type: 'string', multiple: true},
  })
  if (values.help) {
    process.stdout.write(help)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`runbook plan takes one runbook name or path. ${help.split('\n')[0]}`)
  const graph = visibleDeep(await loadGraph(positionals[0], values['include-path'] as string[] | undefined))
  const wanted = values.procedure as string | undefined
  const procedures = wanted ? graph.procedures.filter((p) => p.id.includes(wanted.toLowerCase()) || p.title.toLowerCase().includes(wanted.toLowerCase())) : graph.procedures
  if (procedures.length === 0) throw new UsageError(`--procedure ${JSON.stringify(wanted)} matches no procedure; the procedures are ${graph.procedures.map((p) => p.id).join(', ') || 'none'}.`)
  const platforms = platformsNamedBy(graph)
  const matrices = procedures.map((procedure) => buildMatrix(graph, procedure, platforms))
  const format = (values.format as string | undefined) ?? (values.json ? 'json' : 'text')
  if (format === 'html') {
    const {renderMatrixHtml} = await import('../../ui/matrix-html.js')
    process.stdout.write(renderMatrixHtml(graph.title, matrices))
  } else if (format === 'json') process.stdout.write(terminalSafeJson(JSON.stringify(matrices, null, 2)) + '\n')
  else if (format === 'text') process.stdout.write(matrices.map(renderMatrix).join('\n'))
  else throw new UsageError(`runbook plan --format ${JSON.stringify(format)}: expected text, json or html.`)
  return 0
}
