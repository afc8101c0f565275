/**
 * Placeholders: one spelled two ways on a page, one the prose never explains,
 * one that looks like a secret and is printed by echo/printf. Placeholders are
 * the graph's own (graph/placeholders), so lint sees what a run would ask for.
 */
import type {Nodes} from 'mdast'
import type {Action, Placeholder} from '../../graph/types.js'
import {textOf} from '../../graph/text.js'
import {commandWord} from '../../graph/classify.js'
import {placeScript, visitNodes} from '../source.js'
import type {RuleContext} from '../types.js'

export function placeholders(context: RuleContext): void {
  const actions = context.page.graph.procedures.flatMap((procedure) => procedure.steps.flatMap((step) => step.actions)).filter((action) => action.kind !== 'manual')
  spellings(context, actions)
  unexplained(context, actions)
  echoedSecrets(context, actions)
}

function at(context: RuleContext, action: Action, raw: string): {file: string; line: number; column: number} {
  const placed = placeScript(action, context.source).find((line) => line.text.includes(raw))
  if (!placed) return {file: action.source.file, line: action.source.line, column: 1}
  const pageText = context.source.lines(action.source.file)[placed.line - 1] ?? ''
  const column = pageText.indexOf(raw)
  return {file: action.source.file, line: placed.line, column: column >= 0 ? column + 1 : placed.column}
}

function spellings(context: RuleContext, actions: Action[]): void {
  const byName = new Map<string, Map<string, Action>>()
  for (const action of actions) {
    for (const placeholder of action.placeholders) {
      let spellings = byName.get(placeholder.name)
      if (!spellings) byName.set(placeholder.name, (spellings = new Map()))
      if (!spellings.has(placeholder.raw)) spellings.set(placeholder.raw, action)
    }
  }
  for (const spellings of byName.values()) {
    if (spellings.size < 2) continue
    const [[firstRaw, firstAction], ...others] = [...spellings]
    const first = at(context, firstAction, firstRaw)
    for (const [raw, action] of others) {
      context.report({...at(context, action, raw), rule: 'placeholders/spelling', message: `placeholder ${raw} is also spelled ${firstRaw} (line ${first.line}): one value, two spellings for the reader to reconcile`, hint: `spell it ${firstRaw} everywhere`})
    }
  }
}

/** Lower case, accents folded, words only. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

function unexplained(context: RuleContext, actions: Action[]): void {
  const parts: string[] = []
  visitNodes(context.page, (node) => {
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') parts.push(textOf(node as Nodes))
  })
  const prose = fold(parts.join('\n'))
  const words = new Set(prose.split(/[^\p{L}\p{N}]+/u).filter(Boolean))
  const done = new Set<string>()
  for (const action of actions) {
    for (const placeholder of action.placeholders) {
      if (done.has(placeholder.name) || placeholder.raw.startsWith('{{')) continue
      done.add(placeholder.name)
      if (explained(placeholder, prose, words)) continue
      context.report({...at(context, action, placeholder.raw), rule: 'placeholders/unexplained', message: `placeholder ${placeholder.raw} is never explained in the prose: the reader must guess what to put there`, hint: `say what ${placeholder.raw} stands for and where to find it, in a sentence or a list near the block`})
    }
  }
}

function explained(placeholder: Placeholder, prose: string, words: Set<string>): boolean {
  const inner = fold(placeholder.raw.replace(/^<|>$/g, ''))
  if (prose.includes(fold(placeholder.raw)) || prose.includes(inner)) return true
  const nameWords = inner.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 1)
  return nameWords.length > 0 && nameWords.every((word) => words.has(word))
}

function echoedSecrets(context: RuleContext, actions: Action[]): void {
  for (const action of actions) {
    if (action.kind !== 'exec' && action.kind !== 'check') continue
    const secrets = action.placeholders.filter((placeholder) => placeholder.secret)
    if (secrets.length === 0) continue
    for (const line of placeScript(action, context.source)) {
      // Placeholders are masked first: their brackets are not redirections.
      const masked = secrets.reduce((text, secret) => text.split(secret.raw).join('\u0000'.repeat(secret.raw.length)), line.text)
      for (const segment of masked.split(/&&|\|\||;/)) {
        const [command, ...rest] = segment.split('|')
        if (!['echo', 'printf'].includes(commandWord(command)) || rest.length > 0 || /(^|[^<>&0-9])>{1,2}/.test(command)) continue
        const start = masked.indexOf(segment)
        const original = line.text.slice(start, start + command.length)
        for (const secret of secrets.filter((placeholder) => original.includes(placeholder.raw))) {
          const pageText = context.source.lines(action.source.file)[line.line - 1] ?? ''
          const column = pageText.indexOf(secret.raw)
          context.report({file: action.source.file, line: line.line, column: column >= 0 ? column + 1 : line.column, rule: 'placeholders/secret-echoed', message: `${secret.raw} looks like a secret and this line prints it (${commandWord(command)}): it lands on the screen, in scrollback and in logs`, hint: 'pipe it into the program that needs it, or write it to a file with restricted permissions'})
        }
      }
    }
  }
}
