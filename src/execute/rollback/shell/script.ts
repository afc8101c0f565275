/**
 * A script → its simple commands. sh-syntax (mvdan/sh) is the authority on
 * whether the text is valid shell and where each statement lies; the lexer
 * then reads inside each statement (sh-syntax's JSON keeps no more).
 */
import {parse} from 'sh-syntax'
import {lexStatement, type SimpleCommand} from './lexer.js'
import {maskPlaceholders} from './placeholders.js'

export interface ParsedScript {
  commands: SimpleCommand[]
  /** Puts page placeholders back into a value read from the commands. */
  unmask(value: string): string
}

export class ShellSyntaxError extends Error {
  override name = 'ShellSyntaxError'
}

export async function parseScript(script: string): Promise<ParsedScript> {
  const masked = maskPlaceholders(script)
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
    commands.push(...lexStatement(bytes.subarray(stmt.Pos.Offset, stmt.End.Offset).toString('utf8')))
  }
  return {commands, unmask: masked.unmask}
}
