/**
 * One shell statement → the simple commands it may run, in order.
 *
 * sh-syntax 0.7 validates scripts and reports statement ranges, but its JSON
 * keeps no more than positions for commands and words. Effects need argv, so
 * this lexer splits an already-validated statement the way the shell does:
 * quotes, escapes, expansions, redirections, here-documents. Compound
 * commands (`if`, loops, `case`, subshells, groups, functions) are flattened:
 * an effect in any branch counts as a possible effect of the statement.
 */
import {skipBacktick, skipBraces, skipDouble, skipParens, skipSingle} from './scan.js'
import type {Part, Word} from './words.js'
import {ansiC, asAssignment, closes, isBraceExpansion, isName, literalText, NAME_CHAR, NAME_START, OPERATOR_CHARS} from './lexer-words.js'

export interface Redir {
  op: string
  /** The file descriptor written before the operator (`2>`), when given. */
  fd: number | null
  target: Word
}

export interface SimpleCommand {
  assigns: Array<{name: string; value: Word}>
  words: Word[]
  redirs: Redir[]
  /** Scripts run by `$(…)`, backticks and `<(…)` in this command's words. */
  subs: string[]
}

/** Words that open or close compound commands where a command name would be. */
const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time', 'esac', 'coproc'])

export function lexStatement(src: string): SimpleCommand[] {
  return new Lexer(src).run()
}

class Lexer {
  private i = 0
  private readonly out: SimpleCommand[] = []
  private cur: SimpleCommand = emptyCommand()
  private heredocs: Array<{delim: string; strip: boolean}> = []
  /** After `case WORD in` and after each `;;`: patterns come before commands. */
  private casePatterns = false

  constructor(private readonly src: string) {}

  run(): SimpleCommand[] {
    const src = this.src
    while (this.i < src.length) {
      const c = src[this.i]!
      const next = src[this.i + 1]
      if (this.casePatterns && this.atStart()) {
        this.skipCasePatterns()
      } else if (c === ' ' || c === '\t') {
        this.i++
      } else if (c === '\\' && next === '\n') {
        this.i += 2
      } else if (c === '\n') {
        this.end()
        this.i++
        this.readHeredocBodies()
      } else if (c === '#') {
        const nl = src.indexOf('\n', this.i)
        this.i = nl < 0 ? src.length : nl
      } else if (c === ';') {
        if (next === ';' || next === '&') this.casePatterns = true
        this.end()
        this.i += next === ';' && src[this.i + 2] === '&' ? 3 : next === ';' || next === '&' ? 2 : 1
      } else if (c === '&' && next === '>') {
        this.redirect(null)
      } else if (c === '&' || c === '|') {
        this.end()
        this.i += next === c || (c === '|' && next === '&') ? 2 : 1
      } else if (c === '(') {
        this.openParen()
      } else if (c === ')') {
        this.end()
        this.i++
      } else if ((c === '<' || c === '>') && next !== '(') {
        this.redirect(null)
      } else {
        this.word()
      }
    }
    this.end()
    return this.out
  }

  private atStart(): boolean {
    return this.cur.words.length === 0 && this.cur.assigns.length === 0 && this.cur.redirs.length === 0
  }

  private end(): void {
    const c = this.cur
    if (c.words.length || c.assigns.length || c.redirs.length || c.subs.length) this.out.push(c)
    this.cur = emptyCommand()
  }

  private openParen(): void {
    const src = this.src
    if (this.atStart() && src[this.i + 1] === '(') {
      this.i = skipParens(src, this.i) // `(( … ))`: arithmetic, no effect
      return
    }
    if (this.cur.words.length === 1 && this.cur.assigns.length === 0 && this.peekAfterBlanks(this.i + 1) === ')') {
      // `name() { … }`: a function definition; its body is lexed as commands.
      this.cur = emptyCommand()
      this.i = src.indexOf(')', this.i) + 1
      return
    }
    this.end() // a subshell: flattened
    this.i++
  }

  private peekAfterBlanks(j: number): string | undefined {
    while (this.src[j] === ' ' || this.src[j] === '\t') j++
    return this.src[j]
  }

  private word(): void {
    const start = this.i
    const w = this.readWord()
    const src = this.src
    // `2>file`: digits right before a redirection operator are its fd.
    if ((src[this.i] === '<' || src[this.i] === '>') && src[this.i + 1] !== '(' && /^[0-9]+$/.test(w.raw)) {
      this.redirect(Number(w.raw))
      return
    }
    if (this.atStart() && RESERVED.has(w.raw)) return
    if (this.atStart() && (w.raw === 'for' || w.raw === 'select')) return this.forHeader()
    if (this.atStart() && w.raw === 'case') return this.caseHeader()
    if (this.atStart() && w.raw === 'function') {
      this.readWordAfterBlanks()
      return
    }
    if (this.atStart() && w.raw === '[[') return this.skipTest()
    if (this.cur.words.length === 0) {
      const assign = asAssignment(w, src.slice(start, this.i))
      if (assign) {
        this.cur.assigns.push(assign)
        return
      }
    }
    this.cur.words.push(w)
  }

  /** `for NAME in WORDS;`: the loop variable is unknown to us. */
  private forHeader(): void {
    if (this.peekAfterBlanks(this.i) === '(') {
      this.i = skipParens(this.src, this.src.indexOf('(', this.i))
      return
    }
    const name = this.readWordAfterBlanks()
    this.cur.assigns.push({name: name.raw, value: {raw: '', parts: [{t: 'dyn', raw: '$' + name.raw}]}})
    this.end()
    while (this.i < this.src.length && !';\n'.includes(this.src[this.i]!)) {
      if (this.src[this.i] === ' ' || this.src[this.i] === '\t' || this.readWord().raw === '') this.i++
    }
  }

  private caseHeader(): void {
    this.readWordAfterBlanks() // the subject
    this.readWordAfterBlanks() // `in`
    this.casePatterns = true
  }

  /** Patterns up to `)`, or `esac`. */
  private skipCasePatterns(): void {
    const src = this.src
    while (this.i < src.length) {
      const c = src[this.i]!
      if (' \t\n|('.includes(c)) this.i++
      else if (c === ')') {
        this.i++
        this.casePatterns = false
        return
      } else {
        const w = this.readWord()
        if (w.raw === 'esac') {
          this.casePatterns = false
          return
        }
        if (w.raw === '') this.i++
      }
    }
  }

  /** `[[ … ]]`: `<`, `>`, `&&` inside are comparisons, not redirections or lists. */
  private skipTest(): void {
    while (this.i < this.src.length) {
      if (OPERATOR_CHARS.includes(this.src[this.i]!)) this.i++
      else if (this.readWord().raw === ']]') return
    }
  }

  private readWordAfterBlanks(): Word {
    while (this.src[this.i] === ' ' || this.src[this.i] === '\t') this.i++
    return this.readWord()
  }

  private redirect(fd: number | null): void {
    const src = this.src
    let op = ''
    for (const candidate of ['&>>', '<<<', '<<-', '&>', '>>', '>|', '>&', '<<', '<>', '<&', '<', '>']) {
      if (src.startsWith(candidate, this.i)) {
        op = candidate
        break
      }
    }
    this.i += op.length
    const target = this.readWordAfterBlanks()
    this.cur.redirs.push({op, fd, target})
    if (op === '<<' || op === '<<-') this.heredocs.push({delim: literalText(target), strip: op === '<<-'})
  }

  /** After a newline: the bodies of the here-documents opened on that line. */
  private readHeredocBodies(): void {
    const src = this.src
    for (const {delim, strip} of this.heredocs) {
      while (this.i < src.length) {
        const nl = src.indexOf('\n', this.i)
        const lineEnd = nl < 0 ? src.length : nl
        let line = src.slice(this.i, lineEnd)
        if (strip) line = line.replace(/^\t+/, '')
        this.i = nl < 0 ? src.length : nl + 1
        if (line === delim) break
      }
    }
    this.heredocs = []
  }

  private readWord(): Word {
    const src = this.src
    const start = this.i
    const parts: Part[] = []
    const lit = (v: string, glob = false) => {
      const last = parts[parts.length - 1]
      if (last?.t === 'lit' && !last.glob && !glob) last.v += v
      else parts.push({t: 'lit', v, ...(glob ? {glob} : {})})
    }
    while (this.i < src.length) {
      const c = src[this.i]!
      const next = src[this.i + 1]
      if ((c === '<' || c === '>') && next === '(') {
        const end = skipParens(src, this.i + 1)
        this.cur.subs.push(src.slice(this.i + 2, end - 1))
        parts.push({t: 'proc', raw: src.slice(this.i, end)})
        this.i = end
      } else if (c === '(' && src[this.i - 1] === '=' && this.i > start) {
        // `NAME=( … )`: an array assignment
        const end = skipParens(src, this.i)
        parts.push({t: 'dyn', raw: src.slice(this.i, end)})
        this.i = end
      } else if (OPERATOR_CHARS.includes(c)) {
        break
      } else if (c === '\\') {
        if (next !== '\n' && next !== undefined) lit(next)
        this.i += 2
      } else if (c === "'") {
        const end = skipSingle(src, this.i)
        lit(src.slice(this.i + 1, end - 1))
        this.i = end
      } else if (c === '"') {
        this.readDouble(parts, lit)
      } else if (c === '$') {
        this.readDollar(parts, lit, false)
      } else if (c === '`') {
        this.readBacktick(parts)
      } else if (c === '~' && this.i === start) {
        let j = this.i + 1
        while (j < src.length && !OPERATOR_CHARS.includes(src[j]!) && src[j] !== '/') j++
        parts.push(j === this.i + 1 ? {t: 'param', name: 'HOME'} : {t: 'dyn', raw: src.slice(this.i, j)})
        this.i = j
      } else {
        lit(c, c === '*' || c === '?' || (c === '[' && closes(src, this.i, ']')) || (c === '{' && isBraceExpansion(src, this.i)))
        this.i++
      }
    }
    return {raw: src.slice(start, this.i), parts}
  }

  private readDouble(parts: Part[], lit: (v: string) => void): void {
    const src = this.src
    const end = skipDouble(src, this.i) - 1
    this.i++
    while (this.i < end) {
      const c = src[this.i]!
      if (c === '\\' && '$`"\\\n'.includes(src[this.i + 1]!)) {
        if (src[this.i + 1] !== '\n') lit(src[this.i + 1]!)
        this.i += 2
      } else if (c === '$') this.readDollar(parts, lit, true)
      else if (c === '`') this.readBacktick(parts)
      else {
        lit(c)
        this.i++
      }
    }
    this.i = end + 1
  }

  private readDollar(parts: Part[], lit: (v: string) => void, quoted: boolean): void {
    const src = this.src
    const start = this.i
    const next = src[this.i + 1] ?? ''
    if (next === "'" && !quoted) {
      let j = this.i + 2
      while (j < src.length && src[j] !== "'") j += src[j] === '\\' ? 2 : 1
      lit(ansiC(src.slice(this.i + 2, j)))
      this.i = j + 1
    } else if (next === '"' && !quoted) {
      this.i++
      this.readDouble(parts, lit)
    } else if (next === '(') {
      const end = skipParens(src, this.i + 1)
      if (src[this.i + 2] !== '(') this.cur.subs.push(src.slice(this.i + 2, end - 1))
      parts.push({t: 'dyn', raw: src.slice(start, end)})
      this.i = end
    } else if (next === '{') {
      const end = skipBraces(src, this.i + 1)
      const inner = src.slice(this.i + 2, end - 1)
      parts.push(isName(inner) ? {t: 'param', name: inner} : {t: 'dyn', raw: src.slice(start, end)})
      this.i = end
    } else if (NAME_START.test(next)) {
      let j = this.i + 1
      while (j < src.length && NAME_CHAR.test(src[j]!)) j++
      parts.push({t: 'param', name: src.slice(this.i + 1, j)})
      this.i = j
    } else if (next !== '' && '0123456789@*#?$!-'.includes(next)) {
      parts.push({t: 'dyn', raw: src.slice(start, start + 2)})
      this.i += 2
    } else {
      lit('$')
      this.i++
    }
  }

  private readBacktick(parts: Part[]): void {
    const end = skipBacktick(this.src, this.i)
    const inner = this.src.slice(this.i + 1, end - 1)
    this.cur.subs.push(inner.replace(/\\([`$\\])/g, '$1'))
    parts.push({t: 'dyn', raw: this.src.slice(this.i, end)})
    this.i = end
  }
}

function emptyCommand(): SimpleCommand {
  return {assigns: [], words: [], redirs: [], subs: []}
}
