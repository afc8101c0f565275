/**
 * Placeholders a page expects the reader to fill in: `<TOKEN>`, `<ip1>`,
 * `<name of postanalytics node>`, `<nome do nó de pós-análise>`, and build-time
 * variables such as `{{release}}`. Shell redirections (`< file`, `<<EOF`,
 * `<(cmd)`) and autolinks (`<http://…>`) are not placeholders.
 */
import type {Placeholder} from './types.js'
import {joinWords} from './text.js'

// `<` not part of `<<`/`<(`/`>`-pairs, then a letter, then anything but brackets, a newline or `://`.
const ANGLE = /(?<![<\w])<(\p{L}[^<>\n]*?)(?<!\s)>(?!>)/gu
const MUSTACHE = /\{\{\s*([\p{L}_][\p{L}\p{N}_.]*)\s*\}\}/gu

/** Words that mark a value as a credential, in the languages vendor pages come in. */
const SECRET_WORDS = /TOKEN|SECRET|PASSWORD|PASSWD|PASS|KEY|SENHA|CHAVE|CLAVE|CONTRASENA|MOT_DE_PASSE|PASSWORT|KENNWORT|SCHLUSSEL|CREDENTIAL/

export function findPlaceholders(script: string): Placeholder[] {
  const found = new Map<string, Placeholder>()
  for (const match of script.matchAll(ANGLE)) {
    const inner = match[1]
    if (inner.includes('://') || /^[\w.+-]+@[\w.-]+$/.test(inner)) continue
    add(found, match[0], inner)
  }
  for (const match of script.matchAll(MUSTACHE)) add(found, match[0], match[1])
  return [...found.values()]
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
