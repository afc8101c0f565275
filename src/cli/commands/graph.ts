/** `runbook graph <name|path>`: what the engine understood of a page. */
import {relative} from 'node:path'
import {graphToJson, renderGraph} from '../../ui/graph.js'
import {wantColor} from '../../ui/color.js'
import {terminalSafeJson, visibleDeep} from '../../ui/sanitize.js'
import {RunbookError, UsageError} from '../../errors.js'
import {parseCommandArgs} from '../args.js'
import {effectNotes} from '../effect-notes.js'
import {loadGraph} from '../load.js'

const help = `usage: runbook graph <name|path> [--json | --format text|json|mermaid|dot|svg] [--include-path DIR]...

Shows procedures → steps → tab groups → actions (kind, file:line), and
diagnostics. --json prints the graph as data (schema in README.md).
--format mermaid|dot draws the step graph as a diagram (procedures as
clusters, tab groups as branches labelled with their platforms, conditional
blocks dashed, steps for another server in blue); --format svg renders the
DOT through Graphviz's 'dot' (Debian package graphviz).
`

const FORMATS = ['text', 'json', 'mermaid', 'dot', 'svg'] as const
type Format = (typeof FORMATS)[number]

export async function graph(argv: string[]): Promise<number> {
  const {values, positionals} = parseCommandArgs('graph', argv, {json: {type: 'boolean'}, format: {type: 'string'}, 'include-path': {type: 'string', multiple: true}})
  if (values.help) {
    process.stdout.write(help)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`runbook graph takes one runbook name or path, got ${positionals.length}. ${help.split('\n')[0]}`)
  const format = (values.format as string | undefined) ?? (values.json ? 'json' : 'text')
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`runbook graph --format ${JSON.stringify(format)}: expected one of ${FORMATS.join(', ')}.`)
  const loaded = await loadGraph(positionals[0], values['include-path'] as string[] | undefined)
  // Page text is printed with its control characters visible; JSON escapes them instead.
  const built = format === 'json' ? loaded : visibleDeep(loaded)
  for (const d of built.diagnostics.filter((d) => /^include /.test(d.message))) process.stderr.write(`runbook: warning: ${relative(process.cwd(), d.source.file) || d.source.file}:${d.source.line}: ${d.message}\n`)
  const empty = built.procedures.flatMap((procedure) => procedure.steps).find((step) => step.actions.length === 0 && step.missingIncludes?.length)
  if (empty) {
    throw new UsageError(`step ${empty.number} "${empty.title}" (${relative(process.cwd(), empty.source.file) || empty.source.file}:${empty.source.line}) is only the include ${empty.missingIncludes!.map((path) => `"${path}"`).join(', ')}, and that file was not found. Add the folder it is relative to with --include-path DIR.`)
  }
  switch (format as Format) {
    case 'json':
      process.stdout.write(terminalSafeJson(JSON.stringify(graphToJson(built), null, 2)) + '\n')
      return 0
    case 'text': {
      const notes = await effectNotes(built.procedures.flatMap((procedure) => procedure.steps.flatMap((step) => step.actions)))
      process.stdout.write(renderGraph(built, wantColor(process.stdout, values['no-color'] as boolean), process.cwd(), visibleDeep(notes)))
      return 0
    }
    default: {
      const [{buildDiagram}, {renderDot}, {renderMermaid}] = await Promise.all([import('../../ui/diagram/model.js'), import('../../ui/diagram/dot.js'), import('../../ui/diagram/mermaid.js')])
      const diagram = buildDiagram(built)
      if (format === 'mermaid') process.stdout.write(renderMermaid(diagram))
      else if (format === 'dot') process.stdout.write(renderDot(diagram))
      else process.stdout.write(await dotToSvg(renderDot(diagram)))
      return 0
    }
  }
}

async function dotToSvg(dot: string): Promise<string> {
  const {loadExeca} = await import('../../execute/lazy-execa.js')
  const execa = await loadExeca()
  try {
    const result = await execa('dot', ['-Tsvg'], {input: dot, stripFinalNewline: false})
    return result.stdout
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RunbookError(`runbook graph --format svg needs Graphviz's 'dot', which is not installed. Install it (Debian/Ubuntu: apt-get install graphviz; RHEL family: dnf install graphviz), or print the diagram with --format dot or --format mermaid.`, 2)
    }
    throw new RunbookError(`Graphviz's 'dot' failed to draw the graph: ${(error as {stderr?: string}).stderr?.trim() || (error as Error).message}`, 1)
  }
}
