/**
 * How two translations of a step are compared without reading their words:
 * a tab is known by its platform meaning (graph/labels), a choice tab by its
 * position in its group; a command by its text with comment lines dropped and
 * placeholders written as words (`<name of node>`, translated with the page)
 * reduced to `<…>`. Identifier-like placeholders (`<TOKEN>`, `<ip1>`) are code
 * and stay as written.
 */
import type {Action, Graph} from '../graph/types.js'
import {parseLabel} from '../graph/labels.js'
import {findPlaceholders} from '../graph/placeholders.js'

/** What a tab label means, language aside. */
export function labelMeaning(graph: Graph, groupId: string, label: string): string {
  const group = graph.groups[groupId]
  if (!group) return `?:${label}`
  if (group.dimension === 'choice') return `choice#${group.labels.indexOf(label)}`
  const meaning = parseLabel(label)
  if (group.dimension === 'arch') return `arch:${[...meaning.arches].sort().join('+')}`
  const distros = meaning.distros
    .map((term) => `${[...term.ids].sort().join('/')}${term.version ? `${term.version.op}${term.version.value}` : ''}${term.codename ? `(${term.codename})` : ''}`)
    .sort()
  return `os:${distros.join('+')}${meaning.catchAll ? '+other' : ''}`
}

/** The conditions of an action as meanings, outermost first. */
export function conditionKey(graph: Graph, action: Action): string {
  return action.when.map((condition) => labelMeaning(graph, condition.group, condition.label)).join(' › ')
}

/** The command or content as compared: comment lines dropped, worded placeholders masked, blanks collapsed. */
export function normalisedScript(action: Action): string {
  if (action.kind === 'manual') return ''
  let text = action.script
  for (const placeholder of findPlaceholders(text)) {
    if (/\s/.test(placeholder.raw)) text = text.split(placeholder.raw).join('<…>')
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !(line.startsWith('#') && !line.startsWith('#!')))
    .join('\n')
}

/** The command with every number masked: two versions of one command share it. */
export function shape(action: Action, graph: Graph): string {
  return `${action.kind}|${conditionKey(graph, action)}|${normalisedScript(action).replace(/\d+/g, '#')}`
}

/** Dice similarity of two multisets. */
export function similarity(a: string[], b: string[]): number {
  if (a.length + b.length === 0) return 1
  const counts = new Map<string, number>()
  for (const item of a) counts.set(item, (counts.get(item) ?? 0) + 1)
  let common = 0
  for (const item of b) {
    const left = counts.get(item) ?? 0
    if (left > 0) {
      common++
      counts.set(item, left - 1)
    }
  }
  return (2 * common) / (a.length + b.length)
}

/**
 * Order-keeping alignment of two lists (a maximum-weight common subsequence):
 * pairs whose score is below `threshold` never match. Returns index pairs,
 * with `undefined` on the side that has no counterpart, in order.
 */
export function align<T, U>(a: T[], b: U[], score: (x: T, y: U) => number, threshold: number): Array<[number | undefined, number | undefined]> {
  const best: number[][] = Array.from({length: a.length + 1}, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const s = score(a[i], b[j])
      const take = s >= threshold ? s + best[i + 1][j + 1] : -1
      best[i][j] = Math.max(take, best[i + 1][j], best[i][j + 1])
    }
  }
  const out: Array<[number | undefined, number | undefined]> = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const s = score(a[i], b[j])
    if (s >= threshold && best[i][j] === s + best[i + 1][j + 1]) out.push([i++, j++])
    else if (best[i][j] === best[i + 1][j]) out.push([i++, undefined])
    else out.push([undefined, j++])
  }
  while (i < a.length) out.push([i++, undefined])
  while (j < b.length) out.push([undefined, j++])
  return out
}
