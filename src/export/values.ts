/**
 * Placeholders in exported scripts: each becomes a reference to the
 * environment variable `RUNBOOK_<NAME>` (the one the engine reads), written
 * for the quoting context the engine's own bash grammar (`decide`, the same
 * reading `substitute` quotes values by) finds it in. The value then reaches
 * the command as one literal word at run time and is never pasted into the
 * script text. Where the engine would need the value itself to decide (a
 * string another shell runs, arithmetic), the export refuses, naming the line.
 */
import type {Placeholder, SourcePos} from '../graph/types.js'
import {UsageError} from '../errors.js'
import {bashParser} from '../resolve/bash-grammar.js'
import {decide} from '../resolve/shell-context.js'
import {escapeBacktick, type QuoteContext} from '../resolve/quote.js'
import {displayPath} from '../graph/text.js'

export function envName(placeholder: Pick<Placeholder, 'name'>): string {
  return `RUNBOOK_${placeholder.name}`
}

export interface RenderedScript {
  script: string
  /** Placeholders whose value is read from the environment. */
  used: Placeholder[]
  /** Sites where a reference cannot expand (a quoted heredoc): the value must be pasted in by the caller. */
  literal: Placeholder[]
}

/** The reference for a context; undefined where the shell would not expand it. */
function reference(context: QuoteContext, name: string): string | undefined {
  switch (context) {
    case 'word':
    case 'double-param':
      return `"\${${name}}"`
    case 'double':
    case 'heredoc':
      return `\${${name}}`
    case 'single':
      return `'"\${${name}}"'`
    case 'ansi-c':
      return `'"\${${name}}"$'`
    case 'heredoc-quoted':
    case 'comment':
      return undefined
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The script with placeholders as environment references. `literal(p)` says
 * what goes where a reference cannot expand (a quoted heredoc); a comment
 * keeps the placeholder as written.
 */
export async function withEnvReferences(script: string, placeholders: Placeholder[], source: SourcePos, literal?: (p: Placeholder) => string): Promise<RenderedScript> {
  const byRaw = new Map<string, Placeholder>()
  for (const p of placeholders) if (p.raw && !byRaw.has(p.raw)) byRaw.set(p.raw, p)
  if (byRaw.size === 0) return {script, used: [], literal: []}
  const pattern = new RegExp([...byRaw.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g')
  const hits = [...script.matchAll(pattern)].map((m) => ({start: m.index, end: m.index + m[0].length, placeholder: byRaw.get(m[0])!}))
  if (hits.length === 0) return {script, used: [], literal: []}
  let prefix = '__rb'
  while (script.includes(prefix)) prefix += 'x'
  // The placeholders as inert words, as the engine parses them.
  let masked = ''
  const starts: number[] = []
  let at = 0
  hits.forEach((h, i) => {
    masked += script.slice(at, h.start)
    starts.push(masked.length)
    masked += `${prefix}${i}_`
    at = h.end
  })
  masked += script.slice(at)
  const tree = (await bashParser()).parse(masked)!
  const used = new Map<string, Placeholder>()
  const literals = new Map<string, Placeholder>()
  try {
    let out = ''
    at = 0
    hits.forEach((h, i) => {
      out += script.slice(at, h.start)
      at = h.end
      const where = `${displayPath(source.file)}:${source.line + 1 + script.slice(0, h.start).split('\n').length - 1}`
      const refuse = (why: string) => new UsageError(`${where}: ${h.placeholder.raw} cannot be exported as a value from the environment: ${why}. Run that page with 'runbook run', or rewrite the command so ${h.placeholder.raw} stands in a plain argument (or in quotes).`)
      if (tree.rootNode.hasError) throw refuse('the bash grammar cannot read this command')
      const decision = decide(tree, starts[i]!, starts[i]! + `${prefix}${i}_`.length)
      if (decision.kind === 'refuse') throw refuse(decision.why)
      if (decision.kind === 'integer') throw refuse(`it stands in ${decision.why}, where bash evaluates text as code`)
      if (decision.inner !== undefined) throw refuse('it is in a script another shell runs, which the engine quotes with the value in hand')
      let ref = reference(decision.context, envName(h.placeholder))
      if (ref === undefined) {
        if (decision.context === 'heredoc-quoted') {
          literals.set(h.placeholder.name, h.placeholder)
          out += literal ? literal(h.placeholder) : h.placeholder.raw
        } else out += h.placeholder.raw
        return
      }
      used.set(h.placeholder.name, h.placeholder)
      for (const inDouble of decision.backticks) ref = escapeBacktick(ref, inDouble)
      out += ref
    })
    return {script: out + script.slice(at), used: [...used.values()], literal: [...literals.values()]}
  } finally {
    tree.delete()
  }
}
