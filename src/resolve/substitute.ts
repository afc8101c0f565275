/**
 * Shell-safe placeholder substitution.
 *
 * A value replaces `<NAME>` quoted for the bash context the placeholder stands
 * in, so that whatever it holds reaches the command as one literal string and
 * never as shell syntax. A small lexer tracks the quoting context (quotes,
 * `$(…)`, backticks, `${…}`, heredocs, comments); it does not parse bash, it
 * only knows enough to tell how the next character would be read.
 */
import type {Placeholder} from '../graph/types.js'
import {UsageError} from '../errors.js'

/** Where a placeholder stands, innermost first is `kind`; `backticks` counts enclosing backtick levels. */
export type QuoteContext =
  | 'word'
  | 'single'
  | 'ansi-c'
  | 'double'
  | 'double-param'
  | 'heredoc'
  | 'heredoc-quoted'
  | 'comment'

type Frame =
  | {kind: 'word'; close?: ')' | '}'; depth: number}
  | {kind: 'backtick'; inDouble: boolean}
  | {kind: 'single' | 'ansi-c' | 'double' | 'comment'}
  | {kind: 'param-dq'}
  | {kind: 'heredoc' | 'heredoc-quoted'; delimiter: string; stripTabs: boolean}

interface PendingHeredoc {
  delimiter: string
  quoted: boolean
  stripTabs: boolean
}

/** `'…'` with embedded single quotes as `'\''`. */
export function quoteWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/** Escapes for the inside of double quotes (`!` is not special in non-interactive bash). */
export function escapeDouble(value: string): string {
  return value.replace(/[\\"$`]/g, (c) => `\\${c}`)
}

/** Escapes for an unquoted heredoc body. */
export function escapeHeredoc(value: string): string {
  return value.replace(/[\\$`]/g, (c) => `\\${c}`)
}

/** One level of backtick command substitution strips a backslash before `\ $ \``, and `"` too inside double quotes. */
function escapeBacktick(text: string, inDouble: boolean): string {
  return text.replace(inDouble ? /[\\$`"]/g : /[\\$`]/g, (c) => `\\${c}`)
}

export interface Site {
  placeholder: Placeholder
  context: QuoteContext
  /** Text of the line before and after the placeholder (for the heredoc delimiter check). */
  linePrefix: string
  lineSuffix: string
  heredoc?: {delimiter: string; stripTabs: boolean}
}

/** Quotes `value` for a site; throws when no quoting can keep it literal. */
export function quoteFor(value: string, site: Site, backticks: Array<{inDouble: boolean}> = []): string {
  let text: string
  switch (site.context) {
    case 'word':
      text = quoteWord(value)
      break
    case 'single':
      text = value.replace(/'/g, `'\\''`)
      break
    case 'ansi-c':
      text = `'${quoteWord(value)}$'`
      break
    case 'double':
      text = escapeDouble(value)
      break
    case 'double-param':
      // Inside "${X:-…}" a `}` would end the expansion and bash reads `'` as a quote:
      // a nested double-quoted string keeps both literal.
      text = `"${escapeDouble(value)}"`
      break
    case 'heredoc':
    case 'heredoc-quoted':
      checkDelimiter(value, site)
      text = site.context === 'heredoc' ? escapeHeredoc(value) : value
      break
    case 'comment':
      // A newline would end the comment: keep every line of the value commented.
      text = value.replace(/\r?\n/g, '\n# ')
      break
  }
  // Innermost backtick level is the last pushed; escape outward from it.
  for (let i = backticks.length - 1; i >= 0; i--) text = escapeBacktick(text, backticks[i]!.inDouble)
  return text
}

function checkDelimiter(value: string, site: Site): void {
  const doc = site.heredoc!
  const lines = `${site.linePrefix}${value}${site.lineSuffix}`.split('\n')
  for (const line of lines) {
    const bare = doc.stripTabs ? line.replace(/^\t+/, '') : line
    if (bare === doc.delimiter) {
      throw new UsageError(
        `The value of ${site.placeholder.raw} contains a line '${doc.delimiter}', which would end the heredoc it is used in early. Give a value without that line.`,
      )
    }
  }
}

/** Reads a heredoc delimiter word at `i` (after `<<` or `<<-` and blanks). */
function readDelimiter(script: string, i: number): {word: string; quoted: boolean; end: number} {
  let word = ''
  let quoted = false
  while (i < script.length && !/[\s;&|<>()]/.test(script[i]!)) {
    const c = script[i]!
    if (c === "'" || c === '"') {
      const close = script.indexOf(c, i + 1)
      const stop = close === -1 ? script.length : close
      word += script.slice(i + 1, stop)
      quoted = true
      i = stop + 1
    } else if (c === '\\') {
      word += script[i + 1] ?? ''
      quoted = true
      i += 2
    } else {
      word += c
      i++
    }
  }
  return {word, quoted, end: i}
}

/**
 * Walks `script`, calling `replace` at every placeholder occurrence with the
 * context it stands in; the returned text is spliced in (undefined keeps the raw text).
 */
export function mapPlaceholders(
  script: string,
  placeholders: Placeholder[],
  replace: (site: Site, backticks: Array<{inDouble: boolean}>) => string | undefined,
): string {
  const raws = [...placeholders].filter((p) => p.raw.length > 0).sort((a, b) => b.raw.length - a.raw.length)
  const stack: Frame[] = [{kind: 'word', depth: 0}]
  const pending: PendingHeredoc[] = []
  let out = ''
  let i = 0
  let startHeredoc = false
  const top = () => stack[stack.length - 1]!
  const wordStart = (at: number) => at === 0 || /[\s;&|()]/.test(script[at - 1]!)
  const lineStart = (at: number) => at === 0 || script[at - 1] === '\n'

  const enterPendingHeredoc = () => {
    const doc = pending.shift()
    if (doc) stack.push({kind: doc.quoted ? 'heredoc-quoted' : 'heredoc', delimiter: doc.delimiter, stripTabs: doc.stripTabs})
  }

  while (i < script.length) {
    const frame = top()
    // At the start of a heredoc body line: is it the delimiter?
    if ((frame.kind === 'heredoc' || frame.kind === 'heredoc-quoted') && lineStart(i)) {
      const nl = script.indexOf('\n', i)
      const line = script.slice(i, nl === -1 ? script.length : nl)
      if ((frame.stripTabs ? line.replace(/^\t+/, '') : line) === frame.delimiter) {
        out += line
        i += line.length
        stack.pop()
        continue
      }
    }

    const hit = raws.find((p) => script.startsWith(p.raw, i))
    if (hit) {
      const context = contextOf(frame)
      const lineBegin = script.lastIndexOf('\n', i - 1) + 1
      const lineEnd = script.indexOf('\n', i + hit.raw.length)
      const site: Site = {
        placeholder: hit,
        context,
        linePrefix: script.slice(lineBegin, i),
        lineSuffix: script.slice(i + hit.raw.length, lineEnd === -1 ? script.length : lineEnd),
      }
      const doc = [...stack].reverse().find((f) => f.kind === 'heredoc' || f.kind === 'heredoc-quoted')
      if (doc && (doc.kind === 'heredoc' || doc.kind === 'heredoc-quoted')) site.heredoc = {delimiter: doc.delimiter, stripTabs: doc.stripTabs}
      const backticks = stack.filter((f): f is Extract<Frame, {kind: 'backtick'}> => f.kind === 'backtick')
      out += replace(site, backticks) ?? hit.raw
      i += hit.raw.length
      continue
    }

    const c = script[i]!
    const next = script[i + 1]
    let take = 1
    switch (frame.kind) {
      case 'single':
      case 'ansi-c':
        if (c === '\\' && frame.kind === 'ansi-c') take = 2
        else if (c === "'") stack.pop()
        break
      case 'comment':
        if (c === '\n') {
          stack.pop()
          take = 0 // the enclosing context reads the newline (a heredoc may start there)
        }
        break
      case 'double':
      case 'param-dq':
      case 'heredoc':
        if (c === '\\') take = 2
        else if (c === '"' && frame.kind === 'double') stack.pop()
        else if (c === '}' && frame.kind === 'param-dq') stack.pop()
        else if (c === '$' && next === '(') {
          stack.push({kind: 'word', close: ')', depth: 0})
          take = 2
        } else if (c === '$' && next === '{') {
          stack.push({kind: 'param-dq'})
          take = 2
        } else if (c === '`') stack.push({kind: 'backtick', inDouble: frame.kind !== 'heredoc'})
        break
      case 'heredoc-quoted':
        break
      case 'word':
      case 'backtick':
        take = lexWord()
        break
    }
    out += script.slice(i, i + take)
    i += take
    if (startHeredoc) {
      startHeredoc = false
      enterPendingHeredoc()
    }
  }
  return out

  /** One token in word context; returns how many characters it spans. */
  function lexWord(): number {
    const frame = top() as Extract<Frame, {kind: 'word' | 'backtick'}>
    const c = script[i]!
    const next = script[i + 1]
    if (c === '\\') return 2
    if (c === "'") return stack.push({kind: 'single'}), 1
    if (c === '"') return stack.push({kind: 'double'}), 1
    if (c === '$' && next === "'") return stack.push({kind: 'ansi-c'}), 2
    if (c === '$' && next === '"') return stack.push({kind: 'double'}), 2
    if (c === '$' && next === '(') return stack.push({kind: 'word', close: ')', depth: 0}), 2
    if ((c === '<' || c === '>') && next === '(') return stack.push({kind: 'word', close: ')', depth: 0}), 2
    if (c === '$' && next === '{') return stack.push({kind: 'word', close: '}', depth: 0}), 2
    if (c === '`') {
      if (frame.kind === 'backtick') stack.pop()
      else stack.push({kind: 'backtick', inDouble: false})
      return 1
    }
    if (frame.kind === 'word') {
      if (c === '(') frame.depth++
      if (c === ')' && frame.close === ')' && frame.depth-- === 0) stack.pop()
      if (c === '}' && frame.close === '}') stack.pop()
    }
    if (c === '#' && wordStart(i)) return stack.push({kind: 'comment'}), 1
    if (c === '<' && next === '<' && script[i + 2] !== '<') {
      let j = i + 2
      const stripTabs = script[j] === '-'
      if (stripTabs) j++
      while (script[j] === ' ' || script[j] === '\t') j++
      const d = readDelimiter(script, j)
      if (d.word) pending.push({delimiter: d.word, quoted: d.quoted, stripTabs})
      return d.end - i
    }
    // Heredoc bodies begin on the line after their operator.
    if (c === '\n' && pending.length > 0) startHeredoc = true
    return 1
  }
}

function contextOf(frame: Frame): QuoteContext {
  switch (frame.kind) {
    case 'backtick':
    case 'word':
      return 'word'
    case 'param-dq':
      return 'double-param'
    default:
      return frame.kind
  }
}

/** The value for a placeholder: by raw text first, then by name. */
function valueOf(values: Record<string, string>, p: Placeholder): string | undefined {
  return Object.hasOwn(values, p.raw) ? values[p.raw] : Object.hasOwn(values, p.name) ? values[p.name] : undefined
}

/**
 * Replaces every placeholder that has a value with that value quoted for its
 * shell context. Placeholders without a value stay as written.
 */
export function substitute(script: string, values: Record<string, string>, placeholders: Placeholder[]): string {
  return mapPlaceholders(script, placeholders, (site, backticks) => {
    const value = valueOf(values, site.placeholder)
    return value === undefined ? undefined : quoteFor(value, site, backticks)
  })
}

/** For content that is not shell (file contents, manual instructions): values go in as they are. */
export function substituteLiteral(text: string, values: Record<string, string>, placeholders: Placeholder[]): string {
  const raws = [...placeholders].sort((a, b) => b.raw.length - a.raw.length)
  let out = text
  for (const p of raws) {
    const value = valueOf(values, p)
    if (value !== undefined && p.raw) out = out.split(p.raw).join(value)
  }
  return out
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
): string {
  const secret = new Set(secretNames)
  return mapPlaceholders(script, placeholders, (site, backticks) => {
    const p = site.placeholder
    const value = valueOf(values, p)
    if (p.secret || secret.has(p.name) || secret.has(p.raw)) return '***'
    return value === undefined ? undefined : quoteFor(value, site, backticks)
  })
}
