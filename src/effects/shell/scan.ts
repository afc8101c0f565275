/**
 * Skipping over balanced shell constructs: `( … )`, `{ … }`, quotes and
 * backticks. The text has already been accepted by sh-syntax, so these only
 * need to find where a construct ends, not to report errors.
 */

/** `src[i]` is `'`: index after the closing quote. */
export function skipSingle(src: string, i: number): number {
  const end = src.indexOf("'", i + 1)
  return end < 0 ? src.length : end + 1
}

/** `src[i]` is `"`: index after the closing quote. */
export function skipDouble(src: string, i: number): number {
  i++
  while (i < src.length) {
    const c = src[i]
    if (c === '\\') i += 2
    else if (c === '"') return i + 1
    else if (c === '$' && src[i + 1] === '(') i = skipParens(src, i + 1)
    else if (c === '$' && src[i + 1] === '{') i = skipBraces(src, i + 1)
    else if (c === '`') i = skipBacktick(src, i)
    else i++
  }
  return src.length
}

/** `src[i]` is a backtick: index after the closing one. */
export function skipBacktick(src: string, i: number): number {
  i++
  while (i < src.length) {
    if (src[i] === '\\') i += 2
    else if (src[i] === '`') return i + 1
    else i++
  }
  return src.length
}

/** `src[i]` is `(`: index after its matching `)`. */
export function skipParens(src: string, i: number): number {
  return skipBalanced(src, i, '(', ')')
}

/** `src[i]` is `{`: index after its matching `}`. */
export function skipBraces(src: string, i: number): number {
  return skipBalanced(src, i, '{', '}')
}

function skipBalanced(src: string, i: number, open: string, close: string): number {
  let depth = 0
  while (i < src.length) {
    const c = src[i]!
    if (c === '\\') i += 2
    else if (c === "'") i = skipSingle(src, i)
    else if (c === '"') i = skipDouble(src, i)
    else if (c === '`') i = skipBacktick(src, i)
    else if (c === '#' && open === '(' && (i === 0 || ' \t\n'.includes(src[i - 1]!))) {
      // A comment inside `$( … )` may hold a lone quote or paren.
      const nl = src.indexOf('\n', i)
      i = nl < 0 ? src.length : nl
    } else {
      if (c === open) depth++
      else if (c === close && --depth === 0) return i + 1
      i++
    }
  }
  return src.length
}
