/**
 * Declared answers to a step's prompts: `PATTERN=VALUE`, one a line, in a
 * `:::answers` directive or an `<!-- answers … -->` comment of the page, or
 * in `--answer` flags. The pattern is text the prompt contains (any case), or
 * `/a regular expression/`; the value is typed followed by Enter, and may be a
 * `<PLACEHOLDER>` filled like the commands' ones. `\=` is an `=` inside the
 * pattern; everything after the first bare `=` is the value.
 */
import type {Placeholder} from './types.js'
import {findPlaceholders} from './placeholders.js'

export interface ParsedAnswer {
  pattern: string
  value: string
  /** 0-based line of the text it came from. */
  line: number
}

export type AnswerLine = {answer: ParsedAnswer} | {error: string}

/** One `PATTERN=VALUE`; undefined for a blank or `#` comment line. */
export function parseAnswerLine(text: string, line = 0): AnswerLine | undefined {
  const trimmed = text.trim()
  if (trimmed === '' || trimmed.startsWith('#')) return undefined
  const eq = /(?<!\\)=/.exec(trimmed)
  if (!eq) return {error: `expected PATTERN=VALUE (text the prompt shows, '=', what to type), got ${JSON.stringify(trimmed)}`}
  const pattern = trimmed.slice(0, eq.index).replace(/\\=/g, '=').trim()
  if (pattern === '') return {error: `the pattern before '=' is empty in ${JSON.stringify(trimmed)}: give text the prompt shows`}
  const invalid = regexError(pattern)
  if (invalid) return {error: `${JSON.stringify(pattern)} is not a valid regular expression (${invalid})`}
  return {answer: {pattern, value: trimmed.slice(eq.index + 1).trim(), line}}
}

/** Every answer of a block, and the lines that are not one. */
export function parseAnswerBlock(text: string): {answers: ParsedAnswer[]; errors: Array<{line: number; message: string}>} {
  const answers: ParsedAnswer[] = []
  const errors: Array<{line: number; message: string}> = []
  text.split('\n').forEach((raw, i) => {
    const parsed = parseAnswerLine(raw, i)
    if (!parsed) return
    if ('answer' in parsed) answers.push(parsed.answer)
    else errors.push({line: i, message: parsed.error})
  })
  return {answers, errors}
}

/** The placeholders an answer's value names. */
export function answerPlaceholders(value: string): Placeholder[] {
  return findPlaceholders(value)
}

/** `/…/flags` patterns are regular expressions; anything else is text to find. */
export function isRegexPattern(pattern: string): boolean {
  return /^\/.+\/[a-z]*$/s.test(pattern)
}

function regexError(pattern: string): string | undefined {
  if (!isRegexPattern(pattern)) return undefined
  try {
    patternRegex(pattern)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/** The pattern as a case-insensitive regular expression. */
export function patternRegex(pattern: string): RegExp {
  if (isRegexPattern(pattern)) {
    const end = pattern.lastIndexOf('/')
    // Stateful flags (g, y) would make a second test of the same prompt fail.
    const flags = pattern.slice(end + 1).replace(/[gy]/g, '')
    return new RegExp(pattern.slice(1, end), flags.includes('i') ? flags : flags + 'i')
  }
  return new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')
}
