/**
 * Answers ready to type: the page's (`:::answers`, `<!-- answers -->`) and the
 * `--answer` flags', values filled in. A value is a secret when its
 * placeholder is one or when its pattern names a credential ("API token",
 * "Senha"): then it is masked wherever output is shown or logged.
 */
import {isSecretName} from '../../graph/placeholders.js'
import {patternRegex} from '../../graph/answers.js'
import {findPlaceholders} from '../../graph/placeholders.js'
import {substituteLiteral} from '../../resolve/substitute.js'
import type {PlannedAnswer} from '../../resolve/types.js'

export interface ResolvedAnswer {
  pattern: string
  regex: RegExp
  value: string
  secret: boolean
  /** Where it was declared: `page.md:12` or `--answer`. */
  from: string
}

export interface CliAnswer {
  pattern: string
  value: string
}

/** The step's own answers first (the page knows its prompts), then the flags'. */
export function resolveAnswers(declared: PlannedAnswer[], cli: CliAnswer[], values: Record<string, string>, secretNames: Set<string>): ResolvedAnswer[] {
  const fromPage = declared.map((a) => {
    const placeholders = findPlaceholders(a.value)
    const value = substituteLiteral(a.value, values, placeholders)
    const secret = placeholders.some((p) => secretNames.has(p.name) || p.secret) || wordsOf(a.pattern)
    return {pattern: a.pattern, regex: patternRegex(a.pattern), value, secret, from: `${a.source.file.replace(/^.*\//, '')}:${a.source.line}`}
  })
  const fromFlags = cli.map((a) => ({pattern: a.pattern, regex: patternRegex(a.pattern), value: a.value, secret: wordsOf(a.pattern), from: '--answer'}))
  return [...fromPage, ...fromFlags]
}

/** "Enter the API token:" names a credential as `API_TOKEN` would. */
function wordsOf(pattern: string): boolean {
  return isSecretName(pattern.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^\p{L}\p{N}]+/gu, '_'))
}

export function matchAnswer(answers: ResolvedAnswer[], prompt: string): ResolvedAnswer | undefined {
  if (prompt.trim() === '') return undefined
  return answers.find((a) => a.regex.test(prompt))
}
