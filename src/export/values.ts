/**
 * Placeholders in exported scripts: each becomes a reference to the
 * environment variable `RUNBOOK_<NAME>` (the one the engine reads), written
 * for the quoting context the engine's own lexer (`mapPlaceholders`) finds it
 * in. The value then reaches the command as one literal word at run time and
 * is never pasted into the script text, so no value can inject shell syntax.
 */
import type {Placeholder} from '../graph/types.js'
import {mapPlaceholders, type Site} from '../resolve/substitute.js'

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

/** The reference for one site; undefined where the shell would not expand it. */
function reference(site: Site): string | undefined {
  const name = envName(site.placeholder)
  switch (site.context) {
    case 'word':
      return `"\${${name}}"`
    case 'double':
    case 'heredoc':
      return `\${${name}}`
    case 'double-param':
      return `"\${${name}}"`
    case 'single':
      return `'"\${${name}}"'`
    case 'ansi-c':
      return `'"\${${name}}"$'`
    case 'heredoc-quoted':
    case 'comment':
      return undefined
  }
}

/**
 * The script with placeholders as environment references. `literal(site)`
 * decides what goes where a reference cannot expand (the Ansible export puts a
 * Jinja expression there; a comment keeps the placeholder as written).
 */
export function withEnvReferences(script: string, placeholders: Placeholder[], literal?: (p: Placeholder) => string): RenderedScript {
  const used = new Map<string, Placeholder>()
  const literals = new Map<string, Placeholder>()
  const out = mapPlaceholders(script, placeholders, (site) => {
    const ref = reference(site)
    if (ref !== undefined) {
      used.set(site.placeholder.name, site.placeholder)
      // Inside backticks bash reads `\$` and `\"` once more: references need no escaping there.
      return ref
    }
    if (site.context === 'heredoc-quoted') {
      literals.set(site.placeholder.name, site.placeholder)
      return literal ? literal(site.placeholder) : undefined
    }
    return undefined
  })
  return {script: out, used: [...used.values()], literal: [...literals.values()]}
}
