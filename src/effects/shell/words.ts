/**
 * Shell words as the lexer hands them over, and their static values.
 * A word is static when every part is literal (or a variable we know);
 * anything else (command substitution, `$1`, globs) makes it dynamic.
 */

export type Part =
  | {t: 'lit'; v: string; /** unquoted `*?[{`: the shell would expand it */ glob?: boolean}
  | {t: 'param'; name: string}
  | {t: 'dyn'; raw: string}
  /** `<(…)` / `>(…)`: the word names a pipe fed by another command. */
  | {t: 'proc'; raw: string}

export interface Word {
  parts: Part[]
  /** The word as written. */
  raw: string
}

/** A word evaluated against known variables. */
export interface Arg {
  /** The value, or null when the shell decides it at run time. */
  value: string | null
  raw: string
  /** Literal text before the first dynamic part: `/etc/yum.repos.d/` of `/etc/yum.repos.d/$N.repo`. */
  prefix: string
  procSubst: boolean
}

export type Vars = ReadonlyMap<string, string | null>

export function evalWord(word: Word, vars: Vars): Arg {
  let value: string | null = ''
  let prefix = ''
  let procSubst = false
  for (const part of word.parts) {
    let piece: string | null = null
    if (part.t === 'lit' && !part.glob) piece = part.v
    else if (part.t === 'param') piece = vars.get(part.name) ?? null
    if (part.t === 'proc') procSubst = true
    if (piece === null) {
      if (value !== null) prefix = value + (part.t === 'lit' ? globPrefix(part.v) : '')
      value = null
    } else if (value !== null) value += piece
  }
  return {value, raw: word.raw, prefix: value ?? prefix, procSubst}
}

/** The literal text of a globbed literal before its first pattern character. */
function globPrefix(text: string): string {
  let i = 0
  while (i < text.length && !'*?[{'.includes(text[i]!)) i++
  return text.slice(0, i)
}
