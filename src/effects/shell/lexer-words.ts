/**
 * Small readers the lexer uses on single words: assignments, brace and
 * bracket patterns, ANSI-C strings, identifiers.
 */
import type {Part, Word} from './words.js'

export const OPERATOR_CHARS = ' \t\n;&|()<>'
export const NAME_START = /[A-Za-z_]/
export const NAME_CHAR = /[A-Za-z0-9_]/

export function isName(text: string): boolean {
  return text.length > 0 && NAME_START.test(text[0]!) && [...text].every((c) => NAME_CHAR.test(c))
}

/** `NAME=value` or `NAME+=value` with NAME unquoted. */
export function asAssignment(w: Word, raw: string): {name: string; value: Word} | undefined {
  const first = w.parts[0]
  if (first?.t !== 'lit' || first.glob) return undefined
  const eq = raw.indexOf('=')
  if (eq <= 0) return undefined
  const name = raw.slice(0, raw[eq - 1] === '+' ? eq - 1 : eq)
  if (!isName(name) || !first.v.startsWith(raw.slice(0, eq + 1))) return undefined
  const rest: Part[] = [{...first, v: first.v.slice(eq + 1)}, ...w.parts.slice(1)]
  return {name, value: {raw: raw.slice(eq + 1), parts: rest.filter((p) => p.t !== 'lit' || p.v !== '' || rest.length === 1)}}
}

/** `[` starts a pattern only when a `]` follows within the word. */
export function closes(src: string, i: number, close: string): boolean {
  for (let j = i + 1; j < src.length && !OPERATOR_CHARS.includes(src[j]!); j++) if (src[j] === close) return true
  return false
}

/** `{a,b}` and `{1..3}` expand; a lone `{` does not. */
export function isBraceExpansion(src: string, i: number): boolean {
  let j = i + 1
  let sep = false
  while (j < src.length && !OPERATOR_CHARS.includes(src[j]!)) {
    if (src[j] === '}') return sep
    if (src[j] === ',' || src.startsWith('..', j)) sep = true
    j++
  }
  return false
}

/** The text of a literal word with quotes removed (here-document delimiters). */
export function literalText(w: Word): string {
  return w.parts.map((p) => (p.t === 'lit' ? p.v : p.t === 'param' ? '$' + p.name : p.raw)).join('')
}

const ANSI_ESCAPES: Record<string, string> = {n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', e: '\x1b', '0': '\0'}

export function ansiC(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) out += ANSI_ESCAPES[text[++i]!] ?? '\\' + text[i]
    else out += text[i]
  }
  return out
}
