/**
 * Placeholders a page expects the reader to fill in: `<TOKEN>`, `<ip1>`,
 * `<name of postanalytics node>`, `<nome do nó de pós-análise>`, and build-time
 * variables such as `{{release}}`. Shell redirections (`< file`, `<<EOF`,
 * `<(cmd)`), autolinks (`<http://…>`) and HTML tags are not placeholders.
 */
import type {Placeholder} from './types.js'
import {joinWords} from './text.js'

// `<` not part of `<<`/`<(`/`>`-pairs, then a letter, then anything but brackets, a newline or `://`.
const ANGLE = /(?<!<)<(\p{L}[^<>\n]*?)(?<!\s)>(?!>)/gu
// Right after a word (`%40<KERBEROS_REALM>`, `-p<password>`): one name, not a type parameter (`List<String>`) or `i<n; …>`.
const GLUED = /^(?![A-Z][a-z])[\p{L}\p{N}_.-]+$/u
const MUSTACHE = /\{\{\s*([\p{L}_][\p{L}\p{N}_.]*)\s*\}\}/gu

/** Words that mark a value as a credential, in the languages vendor pages come in. */
const SECRET_WORDS = /TOKEN|SECRET|PASSWORD|PASSWD|PASS|KEY|SENHA|CHAVE|CLAVE|CONTRASENA|MOT_DE_PASSE|PASSWORT|KENNWORT|SCHLUSSEL|CREDENTIAL/

export function findPlaceholders(script: string): Placeholder[] {
  const found = new Map<string, Placeholder>()
  // Whether `</tag>` occurs, asked once per tag: a page repeating a placeholder 40k times scans the script once, not 40k times.
  const closes = new Map<string, boolean>()
  const closed = (tag: string) => {
    let yes = closes.get(tag)
    if (yes === undefined) closes.set(tag, (yes = script.includes(`</${tag}>`)))
    return yes
  }
  for (const match of script.matchAll(ANGLE)) {
    const inner = match[1]
    if (match.index > 0 && /\w/.test(script[match.index - 1]) && !GLUED.test(inner)) continue
    if (inner.includes('://') || /^[\w.+-]+@[\w.-]+$/.test(inner) || isMarkup(inner, closed)) continue
    add(found, match[0], inner)
  }
  for (const match of script.matchAll(MUSTACHE)) add(found, match[0], match[1])
  return [...found.values()]
}

/**
 * HTML in a block (`<div class="x">`, `<h1>…</h1>`, `<br/>`) is markup, not a
 * value to fill in: a tag with attributes, a void element, or one closed
 * further on. `<title>` alone stays a placeholder.
 */
function isMarkup(inner: string, closed: (tag: string) => boolean): boolean {
  const tag = /^([a-zA-Z][\w-]*)(?:\s|\/?$)/.exec(inner)?.[1]
  if (!tag) return false
  if (/^[a-zA-Z][\w-]*\s+[\w:-]+\s*=\s*["']/.test(inner)) return true
  if (/^(?:br|hr|img|meta|link|input|wbr)\s*\/?$/.test(inner)) return true
  return closed(tag)
}

function add(found: Map<string, Placeholder>, raw: string, inner: string): void {
  if (found.has(raw)) return
  const name = parameterName(inner)
  if (!name) return
  found.set(raw, {name, raw, secret: isSecretName(name)})
}

/** `name of postanalytics node` → `NAME_OF_POSTANALYTICS_NODE`; accents folded so it can be an env var. */
export function parameterName(text: string): string {
  return joinWords(text, '_').toUpperCase()
}

export function isSecretName(name: string): boolean {
  return SECRET_WORDS.test(name.toUpperCase())
}
