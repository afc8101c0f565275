/** `runbook export <name|path> --to ansible|sh`: hand the page to a fleet engine, or to a plain script. */
import {chmodSync, existsSync, mkdirSync, statSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'
import {UsageError} from '../../errors.js'
import {parseCommandArgs} from '../args.js'
import {loadGraph} from '../load.js'
import type {Graph, Procedure} from '../../graph/types.js'
import {slug} from '../../graph/text.js'

const help = `usage: runbook export <name|path> --to ansible [-o DIR] [--procedure TEXT] [--include-path DIR]...
       runbook export <name|path> --to sh [-o FILE] [--os ID[:VER]] [--arch A] [--os-release FILE] [--choose LABEL]...

--to ansible   the whole page, every tab, as a playbook: DIR/playbook.yml, rollback.yml,
               tabs.yml, group_vars/all/runbook.yml, inventory.example, README.md
               (DIR defaults to ./<page>-ansible)
--to sh        one bash script for one machine, resolved as 'runbook run --dry-run' would
               (stdout, or FILE; values from RUNBOOK_<NAME> environment variables)
`

export async function exportCommand(argv: string[]): Promise<number> {
  const {values, positionals} = parseCommandArgs('export', argv, {
    to: {type: 'string'},
    output: {type: 'string', short: 'o'},
    procedure: {type: 'string'},
    os: {type: 'string'},
    arch: {type: 'string'},
    'os-release': {type: 'string'},
    choose: {type: 'string', multiple: true},
    'include-path': {type: 'string', multiple: true},
  })
  if (values.help) {
    process.stdout.write(help)
    return 0
  }
  if (positionals.length !== 1) throw new UsageError(`runbook export takes one runbook name or path, got ${positionals.length}. ${help.split('\n')[0]}`)
  const to = values.to as string | undefined
  if (to !== 'ansible' && to !== 'sh') throw new UsageError(`runbook export needs --to ansible or --to sh${to === undefined ? '' : `, not --to ${JSON.stringify(to)}`}. See 'runbook export --help'.`)
  const target = positionals[0]!
  const includePaths = (values['include-path'] as string[] | undefined) ?? []
  const output = values.output as string | undefined
  if (to === 'ansible') {
    for (const flag of ['os', 'arch', 'os-release', 'choose'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --to sh: the Ansible export keeps every tab and lets each host's facts pick. Drop --${flag}.`)
    }
    const graph = await loadGraph(target, includePaths)
    const procedure = pickProcedure(graph, values.procedure as string | undefined)
    const [{ansibleFiles}, {exportHeader}] = await Promise.all([import('../../export/ansible-files.js'), import('../../export/header.js')])
    const files = await ansibleFiles(graph, procedure, exportHeader(graph, procedure))
    const dir = output ?? `${slug(basename(graph.file).replace(/\.md$/, ''))}-ansible`
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`-o ${dir}: a file is in the way; give a folder for the playbook.`)
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name)), {recursive: true})
      writeFileSync(join(dir, name), text)
    }
    process.stderr.write(`Wrote ${Object.keys(files).map((name) => join(dir, name)).join(', ')}.\n`)
    return 0
  }
  const {loadPlan} = await import('../pipeline.js')
  const loaded = await loadPlan({
    target, includePaths, dryRun: true, set: {}, env: {},
    os: values.os as string | undefined, arch: values.arch as string | undefined, osRelease: values['os-release'] as string | undefined,
    procedure: values.procedure as string | undefined, choose: (values.choose as string[] | undefined) ?? [],
  })
  const [{shScript}, {exportHeader}, {describePlatform}] = await Promise.all([import('../../export/sh.js'), import('../../export/header.js'), import('../../resolve/platform.js')])
  const procedure = loaded.graph.procedures.find((p) => p.id === loaded.plan.procedure.id)!
  const choices = loaded.plan.selections.map((s) => `"${s.label}"`).join(', ')
  const platform = describePlatform({...loaded.plan.platform, source: loaded.plan.platform.source.startsWith('/') ? 'this machine' : loaded.plan.platform.source})
  const script = await shScript(loaded.plan, exportHeader(loaded.graph, procedure, `${platform}; tabs ${choices || 'none'}`))
  if (output === undefined) process.stdout.write(script)
  else {
    const file = existsSync(output) && statSync(output).isDirectory() ? join(output, `${slug(basename(loaded.graph.file).replace(/\.md$/, ''))}.sh`) : output
    writeFileSync(file, script)
    chmodSync(file, 0o755)
    process.stderr.write(`Wrote ${file}.\n`)
  }
  return 0
}

function pickProcedure(graph: Graph, wanted: string | undefined): Procedure {
  if (graph.procedures.length === 0) throw new UsageError(`${graph.file} has no steps to export: no "<word> <number>:" step headings and no section with a command.`)
  if (wanted === undefined) return graph.procedures[0]!
  const key = slug(wanted)
  const found = graph.procedures.filter((p) => p.id === key || p.id.includes(key))
  if (found.length === 1) return found[0]!
  throw new UsageError(`--procedure ${JSON.stringify(wanted)} ${found.length ? 'matches more than one' : 'matches no'} procedure; the procedures are ${graph.procedures.map((p) => p.id).join(', ')}.`)
}
