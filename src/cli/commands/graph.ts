/** `runbook graph <name|path>`: what the engine understood of a page. */
import {graphToJson, renderGraph} from '../../ui/graph.js'
import {wantColor} from '../../ui/color.js'
import {terminalSafeJson, visibleDeep} from '../../ui/sanitize.js'
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
  if (values.json) process.stdout.write(terminalSafeJson(JSON.stringify(graphToJson(built), null, 2)) + '\n')
  else {
    const notes = await effectNotes(built.procedures.flatMap((procedure) => procedure.steps.flatMap((step) => step.actions)))
    process.stdout.write(renderGraph(visibleDeep(built), wantColor(process.stdout, values['no-color'] as boolean), process.cwd(), visibleDeep(notes)))
  }
  return 0
}
