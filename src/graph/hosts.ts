/**
 * Prose that says an instruction belongs on another server. Vendor pages say it
 * in their own language, so the phrases form a small lexicon per language;
 * the role a sentence names ("the machine with the NGINX-Wallarm module") is
 * compared with the page title, so that a page about the NGINX module itself
 * does not send its own steps elsewhere.
 */
import {lowered, squash} from './text.js'

/**
 * "on a separate/different/another server" and its translations: always another host.
 * The phrase lists are matched in lower case (see `lowered`): their patterns with letter
 * classes then need no `i` flag, which V8 compiles slowly with them.
 */
const ANOTHER_SERVER = [
  /\bon (?:a|an|one) (?:separate|different|dedicated|remote|other) (?:server|machine|host|instance)\b/i,
  /\bon another (?:server|machine|host|instance)\b/i,
  /\bem (?:um|uma) (?:servidor|máquina|host) (?:separad[oa]|diferente|dedicad[oa]|remot[oa])(?![\p{L}])/u,
  /\bem outr[oa] (?:servidor|máquina|host)(?![\p{L}])/u,
  /\ben (?:un|una) (?:servidor|máquina|host) (?:separad[oa]|diferente|dedicad[oa]|remot[oa])(?![\p{L}])/u,
  /\ben otr[oa] (?:servidor|máquina|host)(?![\p{L}])/u,
  /\bsur un (?:serveur|hôte) (?:séparé|distinct|différent|dédié|distant)(?![\p{L}])/u,
  /\bsur un autre (?:serveur|hôte)(?![\p{L}])/u,
  /\bauf (?:einem anderen|einem separaten|einem dedizierten) (?:server|host|rechner)\b/i,
]

/**
 * The machine being replaced in an upgrade or a migration: "Delete machine with
 * the old node", "the old server", "a máquina antiga". Never the one the
 * procedure installs on. Matched in lower case.
 */
const OLD_MACHINE = [
  /\b(?:machine|server|host|instance|vm)s? with the (?:old|previous|former)\b/i,
  /\b(?:old|previous|former) (?:machine|server|host|instance|vm)s?\b/i,
  /(?:máquina|servidor|host|instância)(?:s|es)? (?:com o nó |com a instância )?(?:antig[oa]s?|anterior(?:es)?)(?![\p{L}])/u,
  /(?:máquina|servidor|host|equipo)(?:s|es)? (?:con el nodo )?(?:antigu[oa]s?|anterior(?:es)?)(?![\p{L}])/u,
  /(?:ancien(?:ne)?s? (?:machine|serveur|hôte)|(?:machine|serveur|hôte) (?:avec l'ancien|précédent))(?![\p{L}])/u,
  /\b(?:alten?|vorherigen?) (?:maschine|server|host|rechner)\b/u,
]

/**
 * "On the Nagios host", "no servidor do Nagios": a host named by its role. Whether
 * it is this machine or another is decided for the page (see `NamedHosts`).
 * Matched in lower case.
 */
const ON_NAMED_HOST = [
  /\bon (?:the|your|each|every|a|an) ([\p{L}\p{N}][\p{L}\p{N} .‐-]{1,40}?) (?:host|server|machine|instance)s?\b/u,
  /\b(?:no|na|nos|nas) (?:host|servidor|máquina)(?:es|s)? (?:do|da|de) ([\p{L}\p{N}][\p{L}\p{N} .‐-]{1,40}?)(?=[,.;:]|$)/u,
  /\ben el (?:host|servidor|equipo) (?:de(?:l)? )?([\p{L}\p{N}][\p{L}\p{N} .‐-]{1,40}?)(?=[,.;:]|$)/u,
  /\bsur (?:l'hôte|le serveur|la machine) ([\p{L}\p{N}][\p{L}\p{N} .‐-]{1,40}?)(?=[,.;:]|$)/u,
  /\bauf dem ([\p{L}\p{N}][\p{L}\p{N}.‐-]{1,40}?)[- ]?(?:host|server|rechner)\b/u,
]

/**
 * The hosts a page names by role, sorted into this machine and the others.
 * A page that names two roles ("on the Nagios host", "on the filter node
 * host") starts on the one its first step does not talk to: the first step
 * that mentions the Nagios host as the peer it configures runs elsewhere.
 */
export interface NamedHosts {
  local: Set<string>
  other: Set<string>
}

/** Role words named with "on the X host" in a text. */
export function namedHostRoles(text: string): string[][] {
  const out: string[][] = []
  const sentence = lowered(squash(text))
  for (const pattern of ON_NAMED_HOST) {
    const match = pattern.exec(sentence)
    if (match) {
      const role = roleWords(match[1])
      if (role.length > 0) out.push(role)
    }
  }
  return out
}

/** Which named roles are this machine: needs two roles, one of them absent from the first step. */
export function sortNamedHosts(stepTexts: string[][]): NamedHosts | undefined {
  const roles = new Map<string, string[]>()
  for (const texts of stepTexts) for (const text of texts) for (const role of namedHostRoles(text)) roles.set(role.join(' '), role)
  if (roles.size < 2) return undefined
  const named = [...roles.values()]
  // The first step says where it runs ("To do this, on a filter node host:"), else it runs on the role it does not talk to.
  const own = [...new Map((stepTexts[0] ?? []).flatMap(namedHostRoles).map((role) => [role.join(' '), role])).values()]
  const first = new Set(stepTexts[0]?.flatMap((text) => roleWords(text)) ?? [])
  const local = own.length === 1 ? own : named.filter((role) => !role.some((word) => first.has(word)))
  if (local.length !== 1) return undefined
  const other = named.filter((role) => role.join(' ') !== local[0].join(' '))
  return {local: new Set(local[0]), other: new Set(other.flat().filter((word) => !local[0].includes(word)))}
}

/**
 * A test request "to the address of the protected application" goes through
 * the proxy that protects it: on a page that puts that proxy on another
 * server, the request is sent from there.
 */
export const PROTECTED_APP = /(?:protected (?:application|app|service)|(?:aplicativo|aplicação|aplicacao|serviço) protegid[oa]|(?:aplicación|servicio) protegid[oa]|(?:application|service) protégée?|geschützten? (?:Anwendung|Dienst))/iu

/** "On the machine with X," at the start of a sentence: X names the host. */
const ON_HOST_WITH = [
  /(?:^|[.!?:]\s+|\*\s*)(?:on|in|from) the (?:machine|server|host|instance)s? (?:with|running|where) (.+?)(?:[,:;.]|$)/i,
  /(?:^|[.!?:]\s+)(?:na|no|nas|nos) (?:máquina|servidor|host)(?:es|s)? (?:com|onde) (.+?)(?:[,:;.]|$)/i,
  /(?:^|[.!?:]\s+)en el (?:servidor|host|equipo) (?:con|donde) (.+?)(?:[,:;.]|$)/i,
  /(?:^|[.!?:]\s+)sur (?:la machine|le serveur|l'hôte) (?:avec|où) (.+?)(?:[,:;.]|$)/i,
  /(?:^|[.!?:]\s+)auf (?:dem server|der maschine|dem host|dem rechner) mit (.+?)(?:[,:;.]|$)/i,
]

/** A code comment that names the host its lines run on: "run from the server with X". */
const SERVER_NOUN = /\b(?:server|machine|host|servidor|máquina|serveur|rechner)\b/i
const ROLE_AFTER = /\b(?:with|com|con|avec|mit|running|onde|where)\b\s+(.+)$/i

/** Words too common to tell two hosts apart. */
const STOP = new Set(
  'the a an of with on in from to and or module modules módulo módulos modulo modul moduls servidor servidores máquina serveur serveurs rechner server machine host primary main principal principais o os a as do da dos das de com no na um uma el la los las del con un une le les du des avec sur der die das dem mit auf ein eine instance node nodes separate separado separada'.split(' '),
)

/** Every phrase above names a host with one of these words: one test rules out most sentences. */
const HOST_NOUN = /server|machine|maschine|host|hôte|instance|instância|servidor|máquina|serveur|rechner|equipo|\bvm\b/iu

export type HostReading = {where: 'other'; reason: string; role?: string[]} | undefined

/** Does this sentence (prose, heading) send what follows to another host? */
export function readHostProse(text: string, titleWords: Set<string>, named?: NamedHosts): HostReading {
  if (!HOST_NOUN.test(text)) return undefined
  const sentence = squash(text)
  const lower = lowered(sentence)
  if (ANOTHER_SERVER.some((pattern) => pattern.test(lower))) return {where: 'other', reason: firstSentence(sentence)}
  if (OLD_MACHINE.some((pattern) => pattern.test(lower))) return {where: 'other', reason: firstSentence(sentence)}
  if (named) {
    for (const role of namedHostRoles(sentence)) {
      if (role.some((word) => named.local.has(word))) return undefined
      if (role.some((word) => named.other.has(word))) return {where: 'other', reason: firstSentence(sentence), role}
    }
  }
  for (const pattern of ON_HOST_WITH) {
    const match = pattern.exec(sentence)
    if (!match) continue
    const role = roleWords(match[1])
    if (role.length > 0 && !role.some((word) => titleWords.has(word))) return {where: 'other', reason: firstSentence(sentence), role}
  }
  return undefined
}

/** The role a host comment names (`# run from the server with primary NGINX-Wallarm module`), or undefined. */
export function readHostComment(comment: string): string[] | undefined {
  if (!SERVER_NOUN.test(comment)) return undefined
  const match = ROLE_AFTER.exec(comment)
  const role = roleWords(match ? match[1] : comment)
  return role.length > 0 ? role : undefined
}

export function roleWords(text: string): string[] {
  return squash(text.normalize('NFC').replace(/[\u2010-\u2013]/g, '-'))
    .toLowerCase()
    // Combining marks are part of their word: Hindi or Thai vowel signs, the dot İ keeps in lower case.
    .split(/[^\p{L}\p{M}\p{N}-]+/u)
    .filter((word) => word.length > 2 && !STOP.has(word))
}

export function titleWords(title: string): Set<string> {
  return new Set(roleWords(title))
}

function firstSentence(text: string): string {
  const match = /^(.+?[.!?:])(\s|$)/.exec(text)
  return (match ? match[1] : text).slice(0, 240)
}
