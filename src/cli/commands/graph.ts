/** `runbook graph <name|path>`: what the engine understood of a page. */
import {relative} from 'node:path'
import {graphToJson, renderGraph} from '../../ui/graph.js'
import {wantColor} from '../../ui/color.js'
import {UsageError} from '../../errors.js'
import {parseCommandArgs} from '../args.js'
import {effectNotes} from '../effect-notes.js'
import {loadGraph} from '../load.js'

const help = `usage: runbook graph <name|path> [--json] [--include-path DIR]...

Shows procedures → steps → tab groups → actions (kind, file:line), and
diagnostics. --json prints the graph as data (schema in README.md).
`

export async function graph(argv: string[]): Promise<number> {
  const {values, positionals} = parseCommandArgs('graph', argv, {json: {type: 'boolean'}, 'include-path': {type: 'string', multiple: true}})
  if (values.help) {
    process.stdout.write(help)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`runbook graph takes one runbook name or path, got ${positionals.length}. ${help.split('\n')[0]}`)
  const built = await loadGraph(positionals[0], values['include-path'] as string[] | undefined)
  if (values.json) {
    process.stdout.write(JSON.stringify(graphToJson(built), null, 2) + '\n')
    for (const d of built.diagnostics.filter((d) => /^include /.test(d.message))) process.stderr.write(`runbook: warning: ${relative(process.cwd(), d.source.file) || d.source.file}:${d.source.line}: ${d.message}\n`)
  } else {
    const notes = await effectNotes(built.procedures.flatMap((procedure) => procedure.steps.flatMap((step) => step.actions)))
    process.stdout.write(renderGraph(built, wantColor(process.stdout, values['no-color'] as boolean), process.cwd(), notes))
  }
  const empty = built.procedures.flatMap((procedure) => procedure.steps).find((step) => step.actions.length === 0 && step.missingIncludes?.length)
  if (empty) {
    throw new UsageError(`step ${empty.number} "${empty.title}" (${relative(process.cwd(), empty.source.file) || empty.source.file}:${empty.source.line}) is only the include ${empty.missingIncludes!.map((path) => `"${path}"`).join(', ')}, and that file was not found. Add the folder it is relative to with --include-path DIR.`)
  }
  return 0
}
