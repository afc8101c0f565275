/**
 * Secret parameters: which ones are, and a masker that hides their values (and
 * the shell-quoted forms substitution gives them) in anything shown or logged.
 */
import {escapeDouble, escapeHeredoc, quoteWord} from '../resolve/quote.js'
import {StreamMasker} from './stream-mask.js'

const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASS|KEY/i

export const MASK = '***'

/** A name that looks like a credential, or a placeholder the parser flagged. */
export function isSecretName(name: string, flagged = false): boolean {
  return flagged || SECRET_NAME.test(name)
}

export interface Masker {
  /** `text` with every secret value replaced by `***`. */
  mask(text: string): string
  /** True when there is nothing to hide (the fast path for output floods). */
  readonly empty: boolean
  /** A masker for one byte stream (a step's stdout or stderr): catches a secret split across chunks. */
  stream(): StreamMasker | undefined
}

/** Every form a value can take in a script or in output, longest first. */
function formsOf(value: string): string[] {
  const forms = new Set<string>([
    quoteWord(value),
    value.replace(/'/g, `'\\''`),
    escapeDouble(value),
    escapeHeredoc(value),
    value,
  ])
  // Output is read line by line: a multi-line secret is hidden line by line too.
  for (const line of value.split(/\r?\n/)) if (line.trim().length >= 4) forms.add(line)
  return [...forms].filter((f) => f.length > 0)
}

export function createMasker(secretValues: Iterable<string>): Masker {
  const forms = new Set<string>()
  for (const value of secretValues) if (value) for (const f of formsOf(value)) forms.add(f)
  const sorted = [...forms].sort((a, b) => b.length - a.length)
  if (sorted.length === 0) return {mask: (text) => text, empty: true, stream: () => undefined}
  const pattern = new RegExp(sorted.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
  // Longest in bytes first: at one position of the stream the longer form wins.
  const bytes = sorted.map((f) => Buffer.from(f)).sort((a, b) => b.length - a.length)
  const replacement = Buffer.from(MASK)
  return {mask: (text) => text.replace(pattern, MASK), empty: false, stream: () => new StreamMasker(bytes, replacement)}
}
