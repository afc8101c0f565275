/** `runbook lint <page|folder>...`: findings for docs authors, in text, JSON, SARIF or GitHub annotations. */
import {UsageError} from '../../errors.js'
import {SEVERITY_RANK, type Severity} from '../../lint/types.js'
import {platformFromOsFlag} from '../../resolve/platform.js'
import {wantColor} from '../../ui/color.js'
import {ENGINE_VERSION} from '../../version.js'
import {parseCommandArgs} from '../args.js'

const help = `usage: runbook lint <page|folder>... [--format text|json|sarif|github] [--json]
                    [--platforms ID:VERSION,...] [--fail-on error|warning|info|none]
                    [--include-path DIR]... [--no-shellcheck] [--no-color]

For docs authors: reads every page (folders are searched for .md files) as
'runbook run' would, following the nearest mkdocs*.yml for snippet base paths,
and reports what would trip a reader or the engine: coverage (a platform with
no tab), fences, includes, tabs, placeholders and shell (shellcheck on each
command block as it would run). Each finding has file:line:column, a rule id,
a message and a fix.

  --platforms LIST   every OS tab group must cover each (e.g. debian:11,ubuntu:22.04);
                     without it, the platforms the page's tabs name
  --fail-on LEVEL    exit 1 when a finding at or above LEVEL exists (default: error)
  --format sarif     SARIF 2.1.0 for code scanning; github: workflow annotations

Exit: 0 nothing at or above --fail-on, 1 findings, 2 bad usage.
`

const FORMATS = ['text', 'json', 'sarif', 'github'] as const

export async function lint(argv: string[]): Promise<number> {
  const {values, positionals} = parseCommandArgs('lint', argv, {
    format: {type: 'string'},
    json: {type: 'boolean'},
    platforms: {type: 'string'},
    'fail-on': {type: 'string'},
    'include-path': {type: 'string', multiple: true},
    'no-shellcheck': {type: 'boolean'},
  })
  if (values.help) {
    process.stdout.write(help)
    return 0
  }
  if (positionals.length === 0) throw new UsageError(`runbook lint needs at least one page or folder. ${help.split('\n')[0]}`)
  const format = (values.json ? 'json' : (values.format ?? 'text')) as (typeof FORMATS)[number]
  if (!FORMATS.includes(format)) throw new UsageError(`--format ${JSON.stringify(values.format)}: use one of ${FORMATS.join(', ')}.`)
  const failOn = (values['fail-on'] ?? 'error') as Severity | 'none'
  if (failOn !== 'none' && !(failOn in SEVERITY_RANK)) throw new UsageError(`--fail-on ${JSON.stringify(failOn)}: use error, warning, info or none.`)
  const platforms = values.platforms === undefined ? undefined : parsePlatforms(values.platforms as string)

  // Loaded as a module of its own (an entry of the bundle): it finds its worker file beside itself.
  const {lint: runLint} = await import('../../lint/index.js')
  const result = await runLint({targets: positionals, includePaths: values['include-path'] as string[] | undefined, platforms, shellcheck: !values['no-shellcheck']})
  let out: string
  if (format === 'json') out = (await import('../../lint/format/json.js')).renderJson(result)
  else if (format === 'sarif') out = (await import('../../lint/format/sarif.js')).renderSarif(result, ENGINE_VERSION)
  else if (format === 'github') out = (await import('../../lint/format/github.js')).renderGithub(result)
  else out = (await import('../../lint/format/text.js')).renderText(result, wantColor(process.stdout, Boolean(values['no-color'])))
  process.stdout.write(out)
  if (failOn === 'none') return 0
  return result.findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0
}

function parsePlatforms(value: string) {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean)
  if (items.length === 0) throw new UsageError('--platforms needs a list such as debian:11,ubuntu:22.04.')
  return items.map((item) => {
    try {
      return platformFromOsFlag(item, 'x86_64', '--platforms')
    } catch (error) {
      throw new UsageError(`--platforms: ${(error as Error).message.replace(/--os/g, '--platforms item')}`)
    }
  })
}
