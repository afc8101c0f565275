/**
 * Shell-safe placeholder substitution.
 *
 * Each placeholder occurrence is swapped for an inert word, the script is
 * parsed with the bash grammar, and the value is quoted for the context the
 * syntax tree puts that word in (`shell-context.ts`): bare word, quotes,
 * heredocs, substitutions, comments, and strings a second shell parses again
 * (quoted for both). Where the tree does not make the context certain, the
 * value is refused with a usage error naming the page line. The grammar is
 * loaded only when some placeholder has a value.
 */
import type {Placeholder} from '../graph/types.js'
import {UsageError} from '../errors.js'
import {bashParser, type Tree} from './bash-grammar.js'
import {decide, type Decision, type Heredoc} from './shell-context.js'
import {escapeBacktick, quoteIn} from './quote.js'

export {quoteWord, escapeDouble, escapeHeredoc} from './quote.js'

/** Where the script comes from, for error messages. */
export interface ScriptSource {
  file: string
  /** The line of the opening fence: the script starts on the next one. */
  line: number
}

/** How deep strings run by shells inside shells are followed before refusing. */
const MAX_INNER_DEPTH = 3

class Refusal extends Error {}

/** The value for a placeholder: by raw text first, then by name. */
function valueOf(values: Record<string, string>, p: Placeholder): string | undefined {
  return Object.hasOwn(values, p.raw) ? values[p.raw] : Object.hasOwn(values, p.name) ? values[p.name] : undefined
}

interface Occurrence {
  start: number
  end: number
  placeholder: Placeholder
  token: string
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Every occurrence of any placeholder's raw text, longest raw first at each position; one linear pass. */
function findOccurrences(script: string, placeholders: Placeholder[]): Occurrence[] {
  const byRaw = new Map<string, Placeholder>()
  for (const p of placeholders) if (p.raw.length > 0 && !byRaw.has(p.raw)) byRaw.set(p.raw, p)
  if (byRaw.size === 0) return []
  const pattern = new RegExp([...byRaw.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g')
  // An inert word no script line already contains.
  let prefix = '__rb'
  while (script.includes(prefix)) prefix += 'x'
  const out: Occurrence[] = []
  for (const match of script.matchAll(pattern)) {
    out.push({start: match.index, end: match.index + match[0].length, placeholder: byRaw.get(match[0])!, token: `${prefix}${out.length}_`})
  }
  return out
}

export interface SubstituteOptions {
  source?: ScriptSource
  /** Text used instead of a value (e.g. `***` for secrets); it is not quoted. */
  shown?: (placeholder: Placeholder, value: string) => string | undefined
}

/**
 * Replaces every placeholder that has a value with that value quoted for its
 * shell context. Placeholders without a value stay as written.
 */
export async function substitute(script: string, values: Record<string, string>, placeholders: Placeholder[], options: SubstituteOptions = {}): Promise<string> {
  const occurrences = findOccurrences(script, placeholders)
  const valued = occurrences.filter((o) => valueOf(values, o.placeholder) !== undefined)
  if (valued.length === 0) return script
  const parts: string[] = []
  const maskedStart = new Map<Occurrence, number>()
  let length = 0
  let at = 0
  for (const o of occurrences) {
    const before = script.slice(at, o.start)
    parts.push(before, o.token)
    maskedStart.set(o, length + before.length)
    length += before.length + o.token.length
    at = o.end
  }
  parts.push(script.slice(at))
  const masked = parts.join('')

  const parser = await bashParser()
  const trees = new Map<string, Tree>()
  const parse = (text: string): Tree => {
    let tree = trees.get(text)
    if (!tree) {
      tree = parser.parse(text)!
      trees.set(text, tree)
    }
    return tree
  }
  try {
    const out: string[] = []
    at = 0
    for (const o of occurrences) {
      out.push(script.slice(at, o.start))
      at = o.end
      const value = valueOf(values, o.placeholder)
      if (value === undefined) {
        out.push(o.placeholder.raw)
        continue
      }
      const shown = options.shown?.(o.placeholder, value)
      try {
        out.push(shown ?? replacement(parse, masked, o.token, value, 0, maskedStart.get(o)))
      } catch (error) {
        if (!(error instanceof Refusal)) throw error
        throw new UsageError(refusalMessage(script, o, error.message, options.source))
      }
    }
    out.push(script.slice(at))
    return out.join('')
  } finally {
    for (const tree of trees.values()) tree.delete()
  }
}

function refusalMessage(script: string, o: Occurrence, why: string, source: ScriptSource | undefined): string {
  const lineInScript = script.slice(0, o.start).split('\n').length - 1
  const where = source ? `${source.file}:${source.line + 1 + lineInScript}` : `line ${lineInScript + 1} of the command`
  return `${where}: the value of ${o.placeholder.raw} cannot be substituted safely: ${why}. Rewrite that command on the page so ${o.placeholder.raw} stands in a plain argument (or in quotes), or run that step by hand.`
}

/** The text that replaces `token` in `text` (a script, or a string some shell parses again). */
function replacement(parse: (text: string) => Tree, text: string, token: string, value: string, depth: number, at?: number): string {
  if (value.includes('\0')) throw new Refusal('it holds a NUL byte, which no shell word can hold')
  const start = at ?? text.indexOf(token)
  if (start < 0) throw new Refusal('the grammar lost track of it')
  const tree = parse(text)
  if (tree.rootNode.hasError) throw new Refusal('the bash grammar cannot read this command, so the quoting its value needs is not certain')
  const decision: Decision = decide(tree, start, start + token.length)
  if (decision.kind === 'refuse') throw new Refusal(decision.why)
  let quoted: string
  if (decision.kind === 'integer') {
    if (!/^-?[0-9]+$/.test(value)) throw new Refusal(`it stands in ${decision.why}, where bash evaluates text as code; only an integer can go there`)
    quoted = value
  } else {
    let literal = value
    if (decision.inner !== undefined) {
      if (depth + 1 >= MAX_INNER_DEPTH) throw new Refusal(`it is in a script run by a shell inside a shell ${depth + 1} levels deep`)
      literal = replacement(parse, decision.inner, token, value, depth + 1)
    }
    if (decision.escapedBy && /[$\n]/.test(literal)) {
      throw new Refusal(`it is in a command that ${decision.escapedBy} hands to a shell after escaping it with backslashes, which leave $ to that shell and turn a line break into nothing; a value with either cannot pass through unchanged`)
    }
    if (decision.heredoc) checkDelimiter(literal, decision.heredoc, text, start, token)
    quoted = quoteIn(decision.context, literal)
  }
  for (const inDouble of decision.backticks) quoted = escapeBacktick(quoted, inDouble)
  return quoted
}

/** A value line equal to the heredoc's delimiter would end the heredoc early. */
function checkDelimiter(value: string, doc: Heredoc, text: string, start: number, token: string): void {
  const lineBegin = text.lastIndexOf('\n', start - 1) + 1
  const lineEnd = text.indexOf('\n', start + token.length)
  const whole = text.slice(lineBegin, start) + value + text.slice(start + token.length, lineEnd === -1 ? text.length : lineEnd)
  if (doc.stripTabs && /\n\t/.test(value)) throw new Refusal('it has a line that starts with a tab, which the <<- heredoc it is used in would strip')
  for (const line of whole.split('\n')) {
    if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) {
      throw new Refusal(`it holds a line '${doc.delimiter}', which would end the heredoc it is used in early; give a value without that line`)
    }
  }
}

/** For content that is not shell (file contents, manual instructions): values go in as they are. */
export function substituteLiteral(text: string, values: Record<string, string>, placeholders: Placeholder[]): string {
  const occurrences = findOccurrences(text, placeholders)
  let out = ''
  let at = 0
  for (const o of occurrences) {
    out += text.slice(at, o.start) + (valueOf(values, o.placeholder) ?? o.placeholder.raw)
    at = o.end
  }
  return out + text.slice(at)
}

/** Placeholders named by the keys of `values` (`<X>` keys are raw text, others names written `<NAME>`). */
function placeholdersFromKeys(values: Record<string, string>, secretNames: string[]): Placeholder[] {
  return Object.keys(values).map((key) => {
    const raw = key.startsWith('<') && key.endsWith('>') ? key : `<${key}>`
    const name = raw.slice(1, -1)
    return {name, raw, secret: secretNames.includes(key) || secretNames.includes(name)}
  })
}

/**
 * The script as shown to a person: values substituted, secret ones as `***`.
 * Without `placeholders`, the keys of `values` say which raw texts to look for.
 */
export function displayScript(
  script: string,
  values: Record<string, string>,
  secretNames: string[],
  placeholders: Placeholder[] = placeholdersFromKeys(values, secretNames),
): Promise<string> {
  const secret = new Set(secretNames)
  return substitute(script, values, placeholders, {
    shown: (p) => (p.secret || secret.has(p.name) || secret.has(p.raw) ? '***' : undefined),
  })
}
