/** `runbook list`: the runbooks in runbooks/, each with its title. */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {parseCommandArgs} from '../args.js'
import {listRunbookNames, runbooksDir} from '../target.js'

export async function list(argv: string[]): Promise<number> {
  const {values} = parseCommandArgs('list', argv, {json: {type: 'boolean'}})
  if (values.help) {
    process.stdout.write('usage: runbook list [--json]\n\nThe runbooks in runbooks/; run one with `runbook run <name>`.\n')
    return 0
  }
  const rows = listRunbookNames().map((name) => ({name, title: titleOf(join(runbooksDir, `${name}.md`)) ?? name}))
  if (values.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n')
  else {
    const width = Math.max(4, ...rows.map((row) => row.name.length))
    for (const row of rows) process.stdout.write(`${row.name.padEnd(width)}  ${row.title}\n`)
  }
  return 0
}

/** The first `# ` heading: cheap, and enough for a listing. */
function titleOf(file: string): string | undefined {
  const text = readFileSync(file, 'utf8')
  return /^#[ \t]+(.+?)[ \t#]*$/m.exec(text)?.[1]
}
