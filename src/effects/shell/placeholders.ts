/**
 * Page placeholders (`<TOKEN>`, `<name of node>`) are substituted before a
 * script runs, but effects are inferred on the template too (for `graph` and
 * the dry-run). To a shell parser `<TOKEN>` is a redirection, so each one is
 * swapped for an inert word first and put back in the values read out.
 */

/** `<` + letter … `>` on one line, with no blank just inside the brackets. */
const PLACEHOLDER = /<[A-Za-z](?:[^<>\n]*[^<>\s])?>/g
const DUMMY = /%%RBPH(\d+)%%/g

export interface Masked {
  text: string
  /** Puts the original placeholders back into a value read from `text`. */
  unmask(value: string): string
}

export function maskPlaceholders(script: string): Masked {
  const originals: string[] = []
  const text = script.replace(PLACEHOLDER, (match, offset: number) => {
    const before = script[offset - 1]
    // `<<EOF`, or `3<file>` where the digit is a file descriptor
    if (before === '<' || (before !== undefined && /[0-9]/.test(before) && /^$|\s/.test(script[offset - 2] ?? ''))) return match
    originals.push(match)
    return `%%RBPH${originals.length - 1}%%`
  })
  return {
    text,
    unmask: (value) => (originals.length ? value.replace(DUMMY, (_m, n: string) => originals[Number(n)] ?? _m) : value),
  }
}
