/**
 * Stable role names for the hosts a page names: `local` for the machine the
 * procedure is about, and one short word for each other machine, read from the
 * words the page uses for it ("the machine with the NGINX-Wallarm module" and
 * "Na máquina com o módulo NGINX-Wallarm" both give `nginx`; "the machine with
 * the old module" gives `old`). `--host ROLE=…`, the inventory and exports key
 * targets by these names, so they depend on the page's words, never its layout.
 */
import type {Procedure} from './types.js'
import {readHostComment, readHostProse} from './hosts.js'

export const LOCAL_ROLE = 'local'
/** Another server the page does not name, when it names none or several. */
export const OTHER_ROLE = 'other'

/**
 * The first distinctive word of a host's description, cut at its first hyphen
 * (`nginx-wallarm` → `nginx`), without accents, in lower case. Words of the
 * page's title are passed over while another word is left.
 */
export function roleName(words: string[], titleWords: Set<string>): string | undefined {
  const parts = words
    .flatMap((word) => word.split('-'))
    .map((part) => part.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]/g, ''))
    .filter((part) => part.length > 1 && !/^\d+$/.test(part))
  return parts.find((part) => !titleWords.has(part)) ?? parts[0]
}

/** The role words of the sentence or comment that sent an action elsewhere. */
function wordsOf(reason: string, titleWords: Set<string>): string[] | undefined {
  // A sentence ("On a separate server, …") may name no host; only a code comment is read as one.
  const prose = readHostProse(reason, titleWords)
  if (prose) return prose.role ?? (OLD.test(reason) ? ['old'] : undefined)
  // A comment names its host after a connective ("run from the server with X"); other text names none.
  return NAMED_AFTER.test(reason) ? readHostComment(reason) : undefined
}

/** "the server with X", "o servidor com X": a host noun, then the connective that names it. */
const NAMED_AFTER = /\b(?:server|machine|host|servidor|máquina|serveur|rechner)s?\s+(?:\S+\s+)?(?:with|com|con|avec|mit|running|onde|where)\b/iu

/** The machine being replaced ("the old server", "a máquina antiga"): role `old` in every language. */
const OLD = /\b(?:old|previous|former)\b|(?:antig[oa]s?|anterior(?:es)?|ancien(?:ne)?s?|précédente?|alten?|vorherigen?)(?![\p{L}])/iu

/**
 * Gives every action's host a role. A sentence that sends a step "to a
 * separate server" without naming it gets the page's one named other role
 * when the page names exactly one, else `other`.
 */
export function assignRoles(procedures: Procedure[], titleWords: Set<string>): void {
  const actions = procedures.flatMap((p) => p.steps.flatMap((s) => s.actions))
  const named = new Map<string, string | undefined>()
  for (const action of actions) {
    if (action.host.where !== 'other' || named.has(action.host.reason)) continue
    const words = wordsOf(action.host.reason, titleWords)
    named.set(action.host.reason, words ? roleName(words, titleWords) : undefined)
  }
  const distinct = new Set([...named.values()].filter((role): role is string => role !== undefined && role !== LOCAL_ROLE))
  const fallback = distinct.size === 1 ? [...distinct][0]! : OTHER_ROLE
  for (const action of actions) {
    action.host.role = action.host.where === 'local' ? LOCAL_ROLE : (named.get(action.host.reason) ?? fallback)
  }
}
