/**
 * A script → its simple commands. sh-syntax (mvdan/sh) is the authority on
 * whether the text is valid shell and where each statement lies; the lexer
 * then reads inside each statement (sh-syntax's JSON keeps no more).
 */
import {shellParser} from './sh-parser.js'
import {lexStatement, type SimpleCommand} from './lexer.js'
import {maskPlaceholders} from './placeholders.js'
import {append} from '../../arrays.js'

export interface ParsedScript {
  commands: SimpleCommand[]
  /** Puts page placeholders back into a value read from the commands. */
  unmask(value: string): string
}

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError'
}

/** Scripts parsed ahead by `parseScripts`, by text. */
const parsedAhead = new Map<string, ParsedScript>()

export async function parseScript(script: string): Promise<ParsedScript> {
  const ahead = parsedAhead.get(script)
  if (ahead) return ahead
  const masked = maskPlaceholders(script)
  const parse = await shellParser()
  let file
  try {
    file = await parse(masked.text)
  } catch (error) {
    throw new ShellSyntaxError((error as Error).message)
  }
  // Positions are byte offsets into the UTF-8 text.
  const bytes = Buffer.from(masked.text, 'utf8')
  const commands: SimpleCommand[] = []
  for (const stmt of file.Stmts) {
    append(commands, lexStatement(bytes.subarray(stmt.Pos.Offset, stmt.End.Offset).toString('utf8')))
  }
  return {commands, unmask: masked.unmask}
}

/**
 * Parses many scripts in one call of the shell parser: each call costs 5 to
 * 40 ms whatever its size (the WebAssembly runtime's scheduling), one call
 * for ten scripts about 4 ms. The scripts are joined by newlines and each
 * statement goes back to the script it lies in. When that cannot be told
 * (a syntax error anywhere, a statement running from one script into the
 * next), nothing is kept and each script is parsed alone later, as before.
 * Returns how many scripts it parsed.
 */
export async function parseScripts(scripts: string[]): Promise<number> {
  const todo = [...new Set(scripts)].filter((s) => !parsedAhead.has(s))
  if (todo.length < 2) return 0
  const masked = todo.map(maskPlaceholders)
  const parts = masked.map((m) => Buffer.from(m.text + '\n', 'utf8'))
  const starts: number[] = []
  let offset = 0
  for (const part of parts) {
    starts.push(offset)
    offset += part.length
  }
  const parse = await shellParser()
  let file
  try {
    file = await parse(Buffer.concat(parts).toString('utf8'))
  } catch {
    return 0
  }
  const commands: SimpleCommand[][] = todo.map(() => [])
  for (const stmt of file.Stmts) {
    const i = lastAtOrBefore(starts, stmt.Pos.Offset)
    const local = stmt.Pos.Offset - starts[i]!
    const end = stmt.End.Offset - starts[i]!
    if (end > parts[i]!.length - 1) return 0
    append(commands[i]!, lexStatement(parts[i]!.subarray(local, end).toString('utf8')))
  }
  todo.forEach((script, i) => parsedAhead.set(script, {commands: commands[i]!, unmask: masked[i]!.unmask}))
  return todo.length
}

/** The index of the last start at or before `offset` (starts ascending, the first is 0). */
function lastAtOrBefore(starts: number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return lo
}
