/** `runbook report <run-id>`: the evidence of a run, for a change ticket. */
import {extname, join, resolve} from 'node:path'
import {parseCommandArgs} from '../args.js'
import {stateRoot} from '../../execute/paths.js'
import {findRunDir} from '../../execute/rollback/run-state.js'
import {writeFileAtomic} from '../../execute/atomic.js'
import {UsageError} from '../../errors.js'
import {collectReport} from '../../report/collect.js'
import {renderHtml} from '../../report/html.js'
import {renderMarkdown} from '../../report/markdown.js'
import {terminalSafeJson, visible} from '../../ui/sanitize.js'

const help = `usage: runbook report <run-id> [--format html|md|json] [-o FILE] [--state-dir DIR]

The evidence of a run: the page and its hash, the engine version, the platform
and how it was detected, the choices, who ran it and when, then each step with
its attempts, the commands exactly as run (secrets masked), its log, and what
rollback snapshotted and undid. A unique prefix of the run id is enough.

  --format html   one self-contained file (no external script, style or font)
  --format md     Markdown, to paste into a ticket
  --format json   the same facts as data
  -o FILE         write there (the format follows the extension when --format
                  is not given); at a terminal, HTML without -o goes to
                  <run folder>/report.html and its path is printed
`

const FORMATS = ['html', 'md', 'json'] as const
type Format = (typeof FORMATS)[number]

function formatOf(flag: string | undefined, output: string | undefined): Format {
  if (flag !== undefined) {
    if (!(FORMATS as readonly string[]).includes(flag)) throw new UsageError(`runbook report --format ${JSON.stringify(flag)}: expected one of ${FORMATS.join(', ')}.`)
    return flag as Format
  }
  const ext = output ? extname(output).toLowerCase() : ''
  if (ext === '.md' || ext === '.markdown') return 'md'
  if (ext === '.json') return 'json'
  return 'html'
}

export async function report(argv: string[]): Promise<number> {
  const {values: flags, positionals} = parseCommandArgs('report', argv, {
    format: {type: 'string'},
    output: {type: 'string', short: 'o'},
    'state-dir': {type: 'string'},
  })
  if (flags.help) {
    process.stdout.write(help)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`runbook report takes one run id ('runbook runs' lists them). See 'runbook report --help'.`)
  const output = flags.output as string | undefined
  const format = formatOf(flags.format as string | undefined, output)
  const runDir = await findRunDir(stateRoot(flags['state-dir'] as string | undefined), positionals[0]!, 'report')
  const data = collectReport(runDir)
  const text = format === 'html' ? renderHtml(data) : format === 'md' ? renderMarkdown(data) : JSON.stringify(data, null, 2) + '\n'
  const file = output ?? (format === 'html' && process.stdout.isTTY ? join(runDir, 'report.html') : undefined)
  if (file === undefined) {
    // To a terminal or a pipe: control characters visible (JSON keeps the data, escaped).
    process.stdout.write(format === 'json' ? terminalSafeJson(text) : format === 'html' ? text : visible(text))
    return 0
  }
  writeFileAtomic(resolve(file), text)
  process.stdout.write(`Report of run ${data.runId} written to ${resolve(file)}\n`)
  return 0
}
