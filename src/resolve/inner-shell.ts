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

/** sudo options that take an argument (sudo(8)), short and long. */
const SUDO_ARG_OPTIONS = 'CDghpRrTtUu'
const SUDO_LONG_ARG_OPTIONS = new Set(['--close-from', '--chdir', '--group', '--host', '--prompt', '--chroot', '--role', '--type', '--command-timeout', '--other-user', '--user'])
/** su / runuser (util-linux) and script(1) options that take an argument, besides -c. */
const SU_ARG_OPTIONS = 'gGsuw'
const SCRIPT_ARG_OPTIONS = 'BEIOT'
/** watch options that take an argument (procps-ng watch(1)). */
const WATCH_ARG_OPTIONS = 'nq'
const WATCH_LONG_ARG_OPTIONS = new Set(['--interval', '--equexit'])
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

/** `sudo -s` / `sudo -i` (also in a cluster such as `-iu`): the words of the command it hands to the shell. */
function sudoShell(words: SyntaxNode[], values: (string | undefined)[]): {escapedBy: string; words: SyntaxNode[]} | undefined {
  const at = values.findIndex((value) => value !== undefined && value.slice(value.lastIndexOf('/') + 1) === 'sudo')
  if (at === -1) return undefined
  let shell: string | undefined
  let j = at + 1
  for (; j < words.length; j++) {
    const option = values[j]
    if (option === undefined || !option.startsWith('-') || option === '-') break
    if (option === '--') {
      j++
      break
    }
    if (option.startsWith('--')) {
      if (option === '--shell' || option === '--login') shell ??= `sudo ${option}`
      if (SUDO_LONG_ARG_OPTIONS.has(option)) j++
      continue
    }
    const letters = option.slice(1)
    for (let k = 0; k < letters.length; k++) {
      const letter = letters[k]!
      if (letter === 's' || letter === 'i') shell ??= `sudo -${letter}`
      // An option that takes an argument ends the cluster: the rest of it, or the next word, is that argument.
      if (SUDO_ARG_OPTIONS.includes(letter)) {
        if (k === letters.length - 1) j++
        break
      }
    }
  }
  return shell ? {escapedBy: shell, words: words.slice(j)} : undefined
}

/** The words after a command's options; `takes(option)` says whether an option consumes the next word. */
function afterOptions(words: SyntaxNode[], values: (string | undefined)[], from: number, takes: (option: string) => boolean): number {
  let j = from
  for (; j < words.length; j++) {
    const option = values[j]
    if (option === undefined || !option.startsWith('-') || option === '-') break
    if (option === '--') return j + 1
    if (takes(option)) j++
  }
  return j
}

/**
 * `-c SCRIPT` / `--command SCRIPT` (su, runuser, script), also at the end of a
 * cluster (`su -lc SCRIPT`); `argLetters`: the command's other options that
 * take an argument, which end a cluster. A script glued to its option
 * (`-cSCRIPT`, `--command=SCRIPT`) or a word the outer shell computes is the
 * whole word: never certain where the script starts.
 */
function dashCScript(words: SyntaxNode[], values: (string | undefined)[], from: number, argLetters: string): InnerScript | undefined {
  for (let j = from; j < words.length; j++) {
    const option = values[j]
    if (option === undefined || option.startsWith('--command=')) return {args: [words[j]!]}
    if (option === '--command') return {args: words.slice(j + 1, j + 2)}
    if (!/^-[^-]/.test(option)) continue
    const letters = option.slice(1)
    for (let k = 0; k < letters.length; k++) {
      if (letters[k] === 'c') return k === letters.length - 1 ? {args: words.slice(j + 1, j + 2)} : {args: [words[j]!]}
      if (argLetters.includes(letters[k]!)) {
        if (k === letters.length - 1) j++
        break
      }
    }
  }
  return undefined
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
    if (base === 'su' || base === 'runuser') return dashCScript(words, values, i + 1, SU_ARG_OPTIONS) ?? {stdin: true}
    // flock runs its command directly unless -c follows the lock file (flock(1): options, file, then -c).
    if (base === 'flock') {
      const file = afterOptions(words, values, i + 1, (o) => /^-[A-Za-z]*[wE]$/.test(o) || o === '--timeout' || o === '--wait' || o === '--conflict-exit-code')
      const option = values[file + 1]
      return option === '-c' || option === '--command' ? {args: words.slice(file + 2, file + 3)} : null
    }
    // `script` is also a common word: only its -c counts.
    if (base === 'script') return dashCScript(words, values, i + 1, SCRIPT_ARG_OPTIONS) ?? null
    // `at` and `batch` read the commands they run later from standard input, unless -f names a file.
    // Common words both: only as the command, or right after sudo / doas.
    const after = i === 0 ? '' : values[i - 1]
    if ((base === 'at' || base === 'batch') && (i === 0 || after === 'sudo' || after === 'doas')) {
      return values.slice(i + 1).some((v) => v === undefined || /^-[A-Za-z]*f/.test(v)) ? null : {stdin: true}
    }
    if (base === 'watch') {
      const j = afterOptions(words, values, i + 1, (o) => WATCH_LONG_ARG_OPTIONS.has(o) || (/^-[A-Za-z]+$/.test(o) && WATCH_ARG_OPTIONS.includes(o.at(-1)!)))
      // -x / --exec (its own options only, not the command's): watch runs the command itself, no shell.
      const exec = values.slice(i + 1, j).some((o) => o === '--exec' || (o !== undefined && /^-[A-Za-wyz]*x/.test(o)))
      return exec ? null : {args: words.slice(j)}
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
