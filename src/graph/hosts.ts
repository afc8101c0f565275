/**
 * Prose that says an instruction belongs on another server. Vendor pages say it
 * in their own language, so the phrases form a small lexicon per language;
 * the role a sentence names ("the machine with the NGINX-Wallarm module") is
 * compared with the page title, so that a page about the NGINX module itself
 * does not send its own steps elsewhere.
 */
import {squash} from './text.js'

/** "on a separate/different/another server" and its translations: always another host. */
const ANOTHER_SERVER = [
  /\bon (?:a|an|one) (?:separate|different|dedicated|remote|other) (?:server|machine|host|instance)\b/i,
  /\bon another (?:server|machine|host|instance)\b/i,
  /\bem (?:um|uma) (?:servidor|máquina|host) (?:separad[oa]|diferente|dedicad[oa]|remot[oa])(?![\p{L}])/iu,
  /\bem outr[oa] (?:servidor|máquina|host)(?![\p{L}])/iu,
  /\ben (?:un|una) (?:servidor|máquina|host) (?:separad[oa]|diferente|dedicad[oa]|remot[oa])(?![\p{L}])/iu,
  /\ben otr[oa] (?:servidor|máquina|host)(?![\p{L}])/iu,
  /\bsur un (?:serveur|hôte) (?:séparé|distinct|différent|dédié|distant)(?![\p{L}])/iu,
  /\bsur un autre (?:serveur|hôte)(?![\p{L}])/iu,
  /\bauf (?:einem anderen|einem separaten|einem dedizierten) (?:server|host|rechner)\b/i,
]

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
const HOST_NOUN = /server|machine|maschine|host|hôte|instance|servidor|máquina|serveur|rechner|equipo/iu

export type HostReading = {where: 'other'; reason: string; role?: string[]} | undefined

/** Does this sentence (prose, heading) send what follows to another host? */
export function readHostProse(text: string, titleWords: Set<string>): HostReading {
  if (!HOST_NOUN.test(text)) return undefined
  const sentence = squash(text)
  if (ANOTHER_SERVER.some((pattern) => pattern.test(sentence))) return {where: 'other', reason: firstSentence(sentence)}
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
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((word) => word.length > 2 && !STOP.has(word))
}

export function titleWords(title: string): Set<string> {
  return new Set(roleWords(title))
}

function firstSentence(text: string): string {
  const match = /^(.+?[.!?:])(\s|$)/.exec(text)
  return (match ? match[1] : text).slice(0, 240)
}
