/**
 * What changed between two versions of one command: a token-level common
 * subsequence, then each replaced token named by what it is — a version
 * (the same token with other numbers), a URL, a path, a flag, a placeholder.
 */
export type ChangeKind = 'version' | 'number' | 'url' | 'path' | 'flag' | 'placeholder' | 'argument'

export interface TokenChange {
  what: ChangeKind
  /** '' when the token is only on the other side. */
  a: string
  b: string
}

const NUMBER = /\d+(?:\.\d+)*/g
const PLACEHOLDER = /<[^<>\s]+>/g

export function tokenChanges(a: string, b: string): TokenChange[] {
  const x = a.split(/\s+/).filter(Boolean)
  const y = b.split(/\s+/).filter(Boolean)
  const lcs: number[][] = Array.from({length: x.length + 1}, () => new Array<number>(y.length + 1).fill(0))
  for (let i = x.length - 1; i >= 0; i--) for (let j = y.length - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  const changes: TokenChange[] = []
  let i = 0
  let j = 0
  let gone: string[] = []
  let added: string[] = []
  const flush = () => {
    // Tokens face each other in order; what one side has more of was added or removed (a flag with its value is one change).
    const paired = Math.min(gone.length, added.length)
    for (let at = 0; at < paired; at++) changes.push(...pair(gone[at], added[at]))
    const extra = {a: gone.slice(paired).join(' '), b: added.slice(paired).join(' ')}
    if (extra.a || extra.b) changes.push({what: (extra.a || extra.b).startsWith('-') ? 'flag' : 'argument', ...extra})
    gone = []
    added = []
  }
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      flush()
      i++
      j++
    } else if (j >= y.length || (i < x.length && lcs[i + 1][j] >= lcs[i][j + 1])) gone.push(x[i++])
    else added.push(y[j++])
  }
  flush()
  return changes
}

function pair(a: string, b: string): TokenChange[] {
  if (a.replace(NUMBER, '#') === b.replace(NUMBER, '#')) {
    const va = a.match(NUMBER) ?? []
    const vb = b.match(NUMBER) ?? []
    return va.flatMap((version, at) => (version === vb[at] ? [] : [{what: version.includes('.') || vb[at].includes('.') ? ('version' as const) : ('number' as const), a: version, b: vb[at]}]))
  }
  if (a.replace(PLACEHOLDER, '<>') === b.replace(PLACEHOLDER, '<>') && PLACEHOLDER.test(a)) {
    const pa = a.match(PLACEHOLDER) ?? []
    const pb = b.match(PLACEHOLDER) ?? []
    return pa.flatMap((raw, at) => (raw === pb[at] ? [] : [{what: 'placeholder' as const, a: raw, b: pb[at]}]))
  }
  const url = /^['"]?\w+:\/\//
  const what: ChangeKind = url.test(a) && url.test(b) ? 'url' : a.includes('/') && b.includes('/') ? 'path' : a.startsWith('-') || b.startsWith('-') ? 'flag' : 'argument'
  return [{what, a, b}]
}
