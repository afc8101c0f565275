/**
 * Flag parsing shared by every command: node's parseArgs, with its errors turned
 * into one-line usage errors that name the flag.
 */
import {parseArgs, type ParseArgsConfig} from 'node:util'
import {UsageError} from '../errors.js'

export type Options = NonNullable<ParseArgsConfig['options']>

/** Flags every command takes. */
export const commonOptions = {
  debug: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'},
  'no-color': {type: 'boolean'},
} satisfies Options

export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({args: argv, options: {...commonOptions, ...options}, allowPositionals: true, strict: true})
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '')
    throw new UsageError(`runbook ${command}: ${message}. See 'runbook ${command} --help'.`)
  }
}

/** `--set NAME=VALUE` pairs into a record; names are upper-cased like placeholders. */
export function parseAssignments(flag: string, values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const item of values ?? []) {
    const eq = item.indexOf('=')
    if (eq <= 0) throw new UsageError(`${flag} ${JSON.stringify(item)}: expected NAME=VALUE, e.g. ${flag} TOKEN=abc123.`)
    out[item.slice(0, eq).trim()] = item.slice(eq + 1)
  }
  return out
}

/** `--answer 'PATTERN=VALUE'` flags (see graph/answers.ts); a malformed one is a usage error naming it. */
export async function parseAnswerFlags(values: string[] | undefined): Promise<Array<{pattern: string; value: string}>> {
  if (!values?.length) return []
  const {parseAnswerLine} = await import('../graph/answers.js')
  return values.map((item) => {
    const parsed = parseAnswerLine(item)
    if (!parsed || 'error' in parsed) {
      const why = parsed ? parsed.error : 'it is empty'
      throw new UsageError(`--answer ${JSON.stringify(item)}: ${why}. Write --answer 'PROMPT TEXT=VALUE', e.g. --answer 'API token=abc123' (\\= for an = in the prompt text).`)
    }
    return {pattern: parsed.answer.pattern, value: parsed.answer.value}
  })
}
