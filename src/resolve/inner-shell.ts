/**
 * Strings that a second shell parses again: `sh -c "…"`, `bash -c`, `su -c`,
 * `sudo sh -c`, `ssh host "…"`, `eval`, `trap`, `watch "…"`, `flock -c`,
 * `script -c`, GNU `parallel`'s command, and scripts fed on standard input to
 * a shell (`bash <<EOF`, `cat <<EOF | sh`, `ssh host <<EOF`, `at now <<EOF`).
 * A value inside such a string is quoted for the inner shell first, then that
 * text for the outer one; the literal text of the string must be known for
 * that, so a string whose text the outer shell computes is refused.
 *
 * Two readings are not a script: `sudo -s` / `sudo -i` hand their command's
 * words to a shell after escaping them with backslashes, all but `$` (and a
 * line break, which a backslash turns into nothing), so a value passes
 * unchanged unless it holds one of those; and tmux's commands that run a
 * shell-command or type keys into a shell take words whose reading depends on
 * each command's own options, so a value there is refused.
 */
import type {SyntaxNode} from './bash-grammar.js'
import type {Arg} from '../effects/shell/words.js'
import {getopt, has, last, type Opts, type OptSpec} from '../effects/commands/getopt.js'
import {FLOCK_OPTIONS, SCRIPT_OPTIONS, SU_OPTIONS, SUDO_OPTIONS, WATCH_OPTIONS} from '../effects/commands/options.js'

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'yash', 'posh'])
/** ssh options that take an argument (from its synopsis). */
const SSH_ARG_OPTIONS = 'BbcDEeFIiJLlmOoPpQRSWw'

export type InnerScript =
  /** Words a second shell parses as one script (joined by spaces); `escapedBy`: and sudo -s/-i escaped them first. */
  | {args: SyntaxNode[]; escapedBy?: string}
  /** A shell that reads its script from standard input. */
  | {stdin: true}
  /** Words that reach a shell after sudo -s/-i escaped them: exact but for `$` and line breaks. */
  | {escapedBy: string; words: SyntaxNode[]}
  /** Words whose reading is not certain. */
  | {refused: string; words: SyntaxNode[]}

/** tmux commands (and aliases) that run a shell-command, or type keys into a shell. */
const TMUX_SHELL_COMMANDS = new Set(['new-session', 'new', 'new-window', 'neww', 'split-window', 'splitw', 'respawn-pane', 'respawnp', 'respawn-window', 'respawnw', 'run-shell', 'run', 'if-shell', 'if', 'display-popup', 'popup', 'pipe-pane', 'pipep', 'send-keys', 'send'])

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
  const sudo = sudoShell(words, values)
  const found = scriptWords(words, values)
  if (!sudo) return found
  if (found && 'args' in found) return found.args.every((arg) => sudo.words.includes(arg)) ? {args: found.args, escapedBy: sudo.escapedBy} : found
  if (found || sudo.words.length > 0) return found ?? sudo
  // `sudo -i` with no command: a login shell that reads its commands from standard input.
  return {stdin: true}
}

/**
 * A command's words after `from`, read by the effect rules' getopt with the
 * program's option spec; `node` maps an argument back to its word. An option's
 * value glued to it (`-cSCRIPT`, `--command=SCRIPT`) maps to the whole word.
 */
function readOptions(words: SyntaxNode[], values: (string | undefined)[], from: number, spec: OptSpec): {opts: Opts; node: (arg: Arg | undefined) => SyntaxNode | undefined} {
  const args: Arg[] = words.slice(from).map((word, k) => ({value: values[from + k] ?? null, raw: word.text, prefix: values[from + k] ?? '', procSubst: false}))
  const nodes = new Map(args.map((arg, k) => [arg, words[from + k]!]))
  const node = (arg: Arg | undefined) => (arg ? (nodes.get(arg) ?? words[from + args.findIndex((a) => a.raw === arg.raw)]) : undefined)
  return {opts: getopt(args, spec), node}
}

/** `sudo -s` / `sudo -i` (also in a cluster such as `-iu`): the words of the command it hands to the shell. */
function sudoShell(words: SyntaxNode[], values: (string | undefined)[]): {escapedBy: string; words: SyntaxNode[]} | undefined {
  const at = values.findIndex((value) => value !== undefined && value.slice(value.lastIndexOf('/') + 1) === 'sudo')
  if (at === -1) return undefined
  const {opts, node} = readOptions(words, values, at + 1, SUDO_OPTIONS)
  const shell = ['i', 's', 'login', 'shell'].find((name) => has(opts, name))
  if (!shell) return undefined
  return {escapedBy: `sudo ${shell.length === 1 ? '-' : '--'}${shell}`, words: opts.operands.map((arg) => node(arg)!)}
}

/** `-c SCRIPT` (su, runuser, script; also `-lc SCRIPT`, `--command SCRIPT`): the script's word, or the whole word it is glued into. */
function dashCScript(words: SyntaxNode[], values: (string | undefined)[], from: number, spec: OptSpec): InnerScript | undefined {
  // An option the outer shell computes (`-c"$X …"`) may be -c itself: never certain where a script starts.
  const computed = words.slice(from).find((word, k) => values[from + k] === undefined && word.text.startsWith('-'))
  if (computed) return {args: [computed]}
  const {opts, node} = readOptions(words, values, from, spec)
  const script = node(last(opts, 'c'))
  return script ? {args: [script]} : undefined
}

function scriptWords(words: SyntaxNode[], values: (string | undefined)[]): InnerScript | null {
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
    if (base === 'su' || base === 'runuser') return dashCScript(words, values, i + 1, SU_OPTIONS) ?? {stdin: true}
    // flock runs its command directly unless -c follows the lock file (flock(1): options, file, then -c).
    if (base === 'flock') {
      const {opts, node} = readOptions(words, values, i + 1, FLOCK_OPTIONS)
      const [, option, script] = opts.operands
      return option?.value === '-c' || option?.value === '--command' ? {args: script ? [node(script)!] : []} : null
    }
    // `script` is also a common word: only its -c counts.
    if (base === 'script') return dashCScript(words, values, i + 1, SCRIPT_OPTIONS) ?? null
    // `at` and `batch` read the commands they run later from standard input, unless -f names a file.
    // Common words both: only as the command, or right after sudo / doas.
    const after = i === 0 ? '' : values[i - 1]
    if ((base === 'at' || base === 'batch') && (i === 0 || after === 'sudo' || after === 'doas')) {
      return values.slice(i + 1).some((v) => v === undefined || /^-[A-Za-z]*f/.test(v)) ? null : {stdin: true}
    }
    if (base === 'watch') {
      // -x / --exec: watch runs the command itself, no shell.
      const {opts, node} = readOptions(words, values, i + 1, WATCH_OPTIONS)
      return has(opts, 'x', 'exec') ? null : {args: opts.operands.map((arg) => node(arg)!)}
    }
    // GNU parallel joins its command's words and runs them through a shell; the inputs after ::: it quotes itself.
    if (base === 'parallel') {
      const end = values.findIndex((v, k) => k > i && (v === ':::' || v === '::::' || v === ':::+' || v === '::::+'))
      return {args: words.slice(i + 1, end === -1 ? words.length : end)}
    }
    if (base === 'tmux') {
      const at = values.findIndex((v, k) => k > i && v !== undefined && TMUX_SHELL_COMMANDS.has(v))
      if (at !== -1) return {refused: `tmux ${values[at]} runs its shell-command through a shell, or types keys into one, and which of its words that is depends on the command's options`, words: words.slice(at + 1)}
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
