/**
 * Where a placeholder stands in a bash script, read from the syntax tree:
 * which quotes enclose it, how many backtick levels, whether bash evaluates
 * it as arithmetic, and whether a second shell parses the string again.
 * Anything the tree does not make certain is a refusal with the reason.
 */
import type {SyntaxNode, Tree} from './bash-grammar.js'
import {innerScriptOf as readInnerScript, literalValue, readsScriptFromStdin, type InnerScript} from './inner-shell.js'
import type {QuoteContext} from './quote.js'

export interface Heredoc {
  delimiter: string
  stripTabs: boolean
}

export type Decision =
  | {
      kind: 'quote'
      context: QuoteContext
      /** Enclosing backtick substitutions, innermost first: true when that one sits inside double quotes. */
      backticks: boolean[]
      heredoc?: Heredoc
      /** The text a second shell parses (the placeholder's token in it): quote for it first. */
      inner?: string
      /** The word reaches a shell after sudo -s/-i escaped it (its name): exact unless it holds `$` or a line break. */
      escapedBy?: string
    }
  | {kind: 'integer'; why: string; backticks: boolean[]}
  | {kind: 'refuse'; why: string}

const ARITHMETIC_TEST = new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge'])
/** `${NAME<op>word}` operators whose word is a plain (pattern) word, not arithmetic. */
const WORD_OPERATOR = /^\$\{[#!]?(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])(?::?[-=+?]|##?|%%?|\/[/#%]?|\^\^?|,,?)/

function heredocOf(body: SyntaxNode): {heredoc: Heredoc; quoted: boolean} | undefined {
  const redirect = body.parent
  const start = redirect?.children.find((c) => c?.type === 'heredoc_start')
  if (!redirect || !start) return undefined
  const raw = start.text
  const quoted = /['"\\]/.test(raw)
  return {heredoc: {delimiter: raw.replace(/['"\\]/g, ''), stripTabs: redirect.text.startsWith('<<-')}, quoted}
}

/** Inside backticks, a nested backtick must be escaped: the grammar's reading of that is not certain. */
function backtickLevel(node: SyntaxNode, inDouble: boolean): boolean | 'refuse' {
  return /\\`/.test(node.text.slice(1, -1)) ? 'refuse' : inDouble
}

/** Each command's reading, once per tree: a command with 40k placeholder arguments is read once, not 40k times. */
const innerScripts = new WeakMap<Tree, Map<number, InnerScript | null>>()

/** The decision for the token occupying [start, end) of the tree's text. */
export function decide(tree: Tree, start: number, end: number): Decision {
  let known = innerScripts.get(tree)
  if (!known) innerScripts.set(tree, (known = new Map()))
  const cache = known
  const innerScriptOf = (command: SyntaxNode): InnerScript | null => {
    if (!cache.has(command.id)) cache.set(command.id, readInnerScript(command))
    return cache.get(command.id)!
  }
  const leaf = tree.rootNode.descendantForIndex(start, end - 1)
  if (!leaf) return {kind: 'refuse', why: 'the grammar found no word there'}
  const chain: SyntaxNode[] = []
  for (let n: SyntaxNode | null = leaf; n; n = n.parent) chain.push(n)

  let context: QuoteContext | undefined
  let heredoc: Heredoc | undefined
  let contextNode: SyntaxNode | undefined
  let arithmetic: string | undefined
  let inVariableName = false
  const backticks: boolean[] = []
  // 1. Up to the nearest command substitution: the innermost quoting context, and whether bash evaluates the text as arithmetic.
  for (let i = 0; i < chain.length; i++) {
    const node = chain[i]!
    if (node.type === 'command_substitution' || node.type === 'process_substitution') {
      context ??= 'word'
      break
    }
    const set = (c: QuoteContext) => {
      if (context) return
      context = c
      contextNode = node
    }
    switch (node.type) {
      case 'variable_name':
      case 'special_variable_name':
        inVariableName = true
        break
      case 'comment':
        set('comment')
        break
      case 'raw_string':
        set('single')
        break
      case 'ansi_c_string':
        set('ansi-c')
        break
      case 'string':
        set('double')
        break
      case 'heredoc_start':
      case 'heredoc_end':
        return {kind: 'refuse', why: 'it is part of a heredoc delimiter'}
      case 'heredoc_body': {
        const doc = heredocOf(node)
        if (!doc) return {kind: 'refuse', why: 'the heredoc it stands in has no delimiter the grammar could read'}
        if (!context) heredoc = doc.heredoc
        set(doc.quoted ? 'heredoc-quoted' : 'heredoc')
        break
      }
      case 'arithmetic_expansion':
      case 'c_style_for_statement':
      case 'subscript':
        arithmetic ??= 'an arithmetic expression'
        break
      case 'compound_statement':
        if (node.text.startsWith('((')) arithmetic ??= 'an arithmetic command (( … ))'
        break
      case 'binary_expression': {
        const op = node.children.find((c) => c?.type === 'test_operator')
        if (op && ARITHMETIC_TEST.has(op.text) && node.parent?.type === 'test_command') arithmetic ??= `an arithmetic comparison ${op.text} in [[ … ]]`
        break
      }
      case 'expansion':
        if (!WORD_OPERATOR.test(node.text) || chain[i - 1]?.type === 'variable_name') arithmetic ??= 'a ${…} expansion outside its default or pattern word'
        else set(chain.slice(i + 1).find((n) => n.type === 'string' || n.type === 'command_substitution' || n.type === 'program')?.type === 'string' ? 'double-param' : 'word')
        break
      case 'command': {
        const name = node.childForFieldName('name')?.text ?? ''
        if (name === 'let' || (/^(declare|typeset)$/.test(name) && /(^|\s)-[A-Za-z]*i/.test(node.text))) arithmetic ??= `the arguments of ${name}`
        break
      }
      case 'declaration_command':
        if (/^\S+\s+(-[A-Za-z]*\s+)*-[A-Za-z]*i/.test(node.text)) arithmetic ??= 'an integer variable (declare -i)'
        break
      case 'ERROR':
        return {kind: 'refuse', why: 'the bash grammar cannot read the command around it'}
    }
  }
  context ??= 'word'

  // 2. Outward: backtick levels, and strings that a second shell parses again.
  let nearestCommand: SyntaxNode | undefined
  let crossedSubstitution = false
  let escapedBy: string | undefined
  for (let j = 1; j < chain.length; j++) {
    const node = chain[j]!
    const below = chain[j - 1]
    if (node.type === 'command_substitution' || node.type === 'process_substitution') {
      if (node.text.startsWith('`')) {
        const inDouble = chain.slice(j + 1).find((n) => n.type === 'string' || n.type === 'heredoc_body' || n.type === 'command_substitution' || n.type === 'program')
        const level = backtickLevel(node, inDouble?.type === 'string')
        if (level === 'refuse') return {kind: 'refuse', why: 'it stands inside nested backticks'}
        backticks.push(level)
      }
      crossedSubstitution = true
      continue
    }
    if (node.type === 'command') {
      const inner = innerScriptOf(node)
      const first = nearestCommand === undefined
      nearestCommand ??= node
      const holds = (words: SyntaxNode[]) => below !== undefined && words.some((word) => word.id === below.id)
      if (inner && 'refused' in inner && holds(inner.words)) return {kind: 'refuse', why: inner.refused}
      if (inner && 'words' in inner && 'escapedBy' in inner && holds(inner.words)) {
        if (crossedSubstitution) return {kind: 'refuse', why: `the output of a command substitution becomes part of a command that ${inner.escapedBy} hands to a shell`}
        escapedBy ??= inner.escapedBy
      }
      if (inner && 'args' in inner && holds(inner.args)) {
        if (!first || crossedSubstitution) return {kind: 'refuse', why: `the output of a command substitution becomes part of a script that ${commandName(node)} runs`}
        const texts = inner.args.map(literalValue)
        if (texts.some((t) => t === undefined)) return {kind: 'refuse', why: `it is in a string that ${commandName(node)} runs as a script, and that string holds expansions the outer shell fills in first`}
        if (arithmetic) return {kind: 'integer', why: arithmetic, backticks}
        const by = inner.escapedBy ?? escapedBy
        return {kind: 'quote', context, backticks, ...(heredoc ? {heredoc} : {}), inner: texts.join(' '), ...(by ? {escapedBy: by} : {})}
      }
    }
    if (((node.type === 'heredoc_redirect' && below?.type === 'heredoc_body') || node.type === 'herestring_redirect') && contextNode && below) {
      const fed = stdinShellOf(node)
      if (fed) {
        const text = node.type === 'heredoc_redirect' ? heredocText(contextNode, context === 'heredoc-quoted', heredoc) : herestringText(node)
        if (text === undefined) return {kind: 'refuse', why: `it is in a script fed to ${fed} on standard input, and that script holds expansions the outer shell fills in first`}
        if (crossedSubstitution) return {kind: 'refuse', why: `the output of a command substitution becomes part of a script fed to ${fed}`}
        if (arithmetic) return {kind: 'integer', why: arithmetic, backticks}
        return {kind: 'quote', context, backticks, ...(heredoc ? {heredoc} : {}), inner: text}
      }
    }
    if (node.type === 'pipeline' && below) {
      const after = node.namedChildren.filter((c): c is SyntaxNode => c !== null && c.startIndex >= below.endIndex)
      const shell = after.find((c) => c.type === 'command' && readsScriptFromStdin(c))
      if (shell) return {kind: 'refuse', why: `what this command prints is run as a script by ${commandName(shell)} later in the pipeline`}
    }
  }
  if (inVariableName && !arithmetic) return {kind: 'refuse', why: 'it is glued to a variable name ($NAME<X> reads as one longer name); write ${NAME}<X>'}
  if (arithmetic) return {kind: 'integer', why: arithmetic, backticks}
  return {kind: 'quote', context, backticks, ...(heredoc ? {heredoc} : {}), ...(escapedBy ? {escapedBy} : {})}
}

function commandName(command: SyntaxNode): string {
  return command.childForFieldName('name')?.text ?? 'a shell'
}

/** The shell a heredoc or here-string feeds, when its command (or a later pipeline stage) is one. */
function stdinShellOf(redirect: SyntaxNode): string | undefined {
  const statement = redirect.parent
  const body = statement?.type === 'redirected_statement' ? statement.childForFieldName('body') : statement
  if (body?.type === 'command' && readsScriptFromStdin(body)) return commandName(body)
  // `cat <<EOF | bash`: the grammar hangs the pipeline's rest under the redirect.
  for (const child of redirect.namedChildren) {
    if (child?.type !== 'pipeline') continue
    const shell = child.namedChildren.find((c) => c?.type === 'command' && readsScriptFromStdin(c))
    if (shell) return commandName(shell)
  }
  return undefined
}

/** The script text of a heredoc body as the inner shell reads it; undefined when the outer shell expands parts of it. */
function heredocText(body: SyntaxNode, quoted: boolean, doc: Heredoc | undefined): string | undefined {
  if (body.type !== 'heredoc_body') return undefined
  let text = body.text
  if (doc?.stripTabs) text = text.replace(/^\t+/gm, '')
  if (quoted) return text
  if (body.namedChildren.some((c) => c && c.type !== 'heredoc_content')) return undefined
  return text.replace(/\\\n/g, '').replace(/\\([\\$`])/g, '$1')
}

function herestringText(redirect: SyntaxNode): string | undefined {
  const word = redirect.namedChildren.find((c) => c !== null)
  const value = word ? literalValue(word) : undefined
  return value === undefined ? undefined : `${value}\n`
}
