/**
 * Strings that a second shell parses again: `sh -c "…"`, `bash -c`, `su -c`,
 * `sudo sh -c`, `ssh host "…"`, `eval`, `trap`, and scripts fed on standard
 * input to a shell (`bash <<EOF`, `cat <<EOF | sh`, `ssh host <<EOF`). A
 * value inside such a string is quoted for the inner shell first, then that
 * text for the outer one; the literal text of the string must be known for
 * that, so a string whose text the outer shell computes is refused.
 */
import type {SyntaxNode} from './bash-grammar.js'

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'yash', 'posh'])
/** ssh options that take an argument (from its synopsis). */
const SSH_ARG_OPTIONS = 'BbcDEeFIiJLlmOoPpQRSWw'

export type InnerScript = {args: SyntaxNode[]} | {stdin: true}

/** The literal string bash makes of a word, when it needs no expansion; undefined otherwise. */
export function literalValue(node: SyntaxNode): string | undefined {
  switch (node.type) {
    case 'word':
    case 'number':
    case 'command_name': {
      if (node.type === 'command_name') return node.firstChild ? literalValue(node.firstChild) : undefined
      const text = node.text
      // Globs, braces and a leading tilde expand: not a literal.
      if (/[*?[{~]/.test(text.replace(/\\./gs, ''))) return undefined
      return text.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1')
    }
    case 'raw_string':
      return node.text.slice(1, -1)
    case 'string': {
      if (node.namedChildren.some((child) => child && child.type !== 'string_content')) return undefined
      const inner = node.text.startsWith('$"') ? node.text.slice(2, -1) : node.text.slice(1, -1)
      return inner.replace(/\\\n/g, '').replace(/\\([\\"$`])/g, '$1')
    }
    case 'concatenation': {
      let out = ''
      for (const child of node.children) {
        const part = child ? literalValue(child) : undefined
        if (part === undefined) return undefined
        out += part
      }
      return out
    }
    default:
      return undefined
  }
}

/** The words of a simple command, name first. */
export function commandWords(command: SyntaxNode): SyntaxNode[] {
  const name = command.childForFieldName('name')
  const args = command.childrenForFieldName('argument').filter((n): n is SyntaxNode => n !== null)
  return name ? [name, ...args] : args
}

/**
 * Which words of `command` a second shell parses as a script, or whether it
 * runs a shell that reads its script from standard input; null for neither.
 * Wrappers (`sudo -u x`, `env`, `timeout 5`, `nohup`) are looked through by
 * finding the shell's name among the words.
 */
export function innerScriptOf(command: SyntaxNode): InnerScript | null {
  const words = commandWords(command)
  const values = words.map(literalValue)
  for (let i = 0; i < words.length; i++) {
    const value = values[i]
    if (value === undefined) continue
    const base = value.slice(value.lastIndexOf('/') + 1)
    if (SHELLS.has(base)) {
      let j = i + 1
      let dashC = false
      for (; j < words.length; j++) {
        const option = values[j]
        if (option === undefined || option === '-' || !/^[-+]/.test(option)) break
        if (option === '--') {
          j++
          break
        }
        if (/^-[A-Za-z]*c/.test(option)) dashC = true
        if (/^[-+][oO]$/.test(option)) j++
      }
      if (dashC) return {args: j < words.length ? [words[j]!] : []}
      return j >= words.length ? {stdin: true} : null
    }
    if (base === 'eval' && i === 0) return {args: words.slice(i + 1)}
    if (base === 'trap' && i === 0) return {args: words.slice(i + 1, i + 2)}
    if (base === 'su' || base === 'runuser') {
      for (let j = i + 1; j < words.length; j++) {
        const option = values[j]
        if (option === '-c' || option === '--command') return {args: words.slice(j + 1, j + 2)}
        // `-cSCRIPT` / `--command=SCRIPT` glue the script to the option: never certain where it starts.
        if (option === undefined || /^(-c.|--command=)/.test(option)) return {args: [words[j]!]}
      }
      return {stdin: true}
    }
    if (base === 'ssh') {
      let j = i + 1
      for (; j < words.length; j++) {
        const option = values[j]
        if (option === undefined || !option.startsWith('-')) break
        if (option === '--') {
          j++
          break
        }
        const letters = option.slice(1)
        const takes = letters.split('').findIndex((c) => SSH_ARG_OPTIONS.includes(c))
        if (takes !== -1 && takes === letters.length - 1) j++
      }
      const rest = words.slice(j + 1)
      return rest.length > 0 ? {args: rest} : {stdin: true}
    }
  }
  return null
}

/** True when `command` is a shell reading its script from standard input. */
export function readsScriptFromStdin(command: SyntaxNode): boolean {
  const inner = innerScriptOf(command)
  return inner !== null && 'stdin' in inner
}
