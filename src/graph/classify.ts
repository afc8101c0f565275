/**
 * What a fenced block is for, read from its content more than its label:
 * vendors fence config as ```bash and commands with no label at all.
 * - `edit`: an editor opened on a file;
 * - `file-content`: what to put in a file (KEY=VALUE lines after an editor,
 *   YAML, nginx-style blocks, JSON, any non-shell language);
 * - `check`: only commands that look and do not touch (status, cat, list, curl
 *   without saving);
 * - `exec`: commands to run;
 * - `context`: sample output and the like, kept but never run.
 */
export type BlockKind = 'exec' | 'edit' | 'file-content' | 'check' | 'context'

export interface Classified {
  kind: BlockKind
  /** The script to run: prompts (`$ `) stripped and program output dropped. */
  script: string
  /** `edit`: the file opened. */
  file?: string
  interactive: boolean
  sudo: boolean
  /** Set when the block is shown, not run: a transcript, or paths to look at. */
  shown?: {role: 'example' | 'output'; reason: string}
  /** Program output printed after the commands in the same fence: kept apart, never run. */
  output?: {text: string; line: number}
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'shell-session', 'shellsession', 'terminal', 'ksh', 'dash', 'curl'])
const OUTPUT_LANGS = new Set(['text', 'txt', 'plain', 'plaintext', 'output', 'log', 'none', 'diff'])
const EDITORS = new Set(['vim', 'vi', 'nvim', 'nano', 'emacs', 'editor', 'sensible-editor', 'mcedit', 'joe', 'micro', 'ed', 'pico', 'gedit'])
const PAGERS = new Set(['less', 'more', 'top', 'htop', 'visudo', 'vipw', 'passwd', 'crontab', 'tmux', 'screen'])

/** Commands that only look: a block made of these alone is a check. */
const READ_ONLY = new Set([
  'cat', 'less', 'tail', 'head', 'grep', 'egrep', 'zgrep', 'ls', 'ps', 'ss', 'netstat', 'journalctl', 'stat', 'test', '[', 'which', 'whereis',
  'id', 'whoami', 'hostname', 'uname', 'df', 'free', 'ping', 'dig', 'nslookup', 'host', 'nc', 'lsof', 'wc', 'sort', 'uniq', 'awk', 'jq',
  'echo', 'printf', 'true', 'getenforce', 'sestatus', 'ip', 'file', 'date', 'uptime', 'env', 'printenv', 'sleep', 'find',
])
const READ_ONLY_SUB: Record<string, RegExp> = {
  systemctl: /^(status|is-active|is-enabled|is-failed|list-units|list-unit-files|show|cat)\b/,
  service: /^\S+\s+status\b/,
  apt: /^(list|show|policy|search)\b/,
  'apt-cache': /^(policy|show|search|madison|depends)\b/,
  yum: /^(list|info|search|repolist|check-update)\b/,
  dnf: /^(list|info|search|repolist|check-update)\b/,
  rpm: /^-q/,
  dpkg: /^-(l|s|L)\b|^--(list|status)\b/,
  'dpkg-query': /./,
  docker: /^(ps|logs|inspect|images|version|info)\b/,
  kubectl: /^(get|describe|logs|version)\b/,
  nginx: /^-t\b/,
}

/** Known command words, to tell an unlabeled command from an unlabeled config line. */
const COMMANDS = new Set([
  ...READ_ONLY, ...Object.keys(READ_ONLY_SUB), ...EDITORS,
  'sudo', 'apt-get', 'apt-key', 'dnf', 'yum', 'zypper', 'apk', 'pacman', 'snap', 'pip', 'pip3', 'npm', 'curl', 'wget', 'sh', 'bash',
  'cd', 'mkdir', 'cp', 'mv', 'rm', 'chmod', 'chown', 'ln', 'touch', 'tee', 'sed', 'export', 'source', '.', 'tar', 'unzip', 'gzip',
  'git', 'make', 'cmake', 'gpg', 'openssl', 'useradd', 'usermod', 'groupadd', 'firewall-cmd', 'ufw', 'iptables', 'setenforce',
  'semanage', 'setsebool', 'helm', 'install', 'update-alternatives', 'add-apt-repository', 'tarantool', 'tarantoolctl', 'mongo',
  'mongosh', 'psql', 'mysql', 'redis-cli', 'python', 'python3', 'node', 'go', 'cargo', 'java', 'runuser', 'su', 'exec', 'kill', 'pkill',
  'modprobe', 'sysctl', 'swapoff', 'mount', 'umount', 'systemd-run', 'docker-compose', 'podman', 'pbm', 'pbm-agent',
])

export function classifyBlock(lang: string, value: string, previous?: {kind: string; file?: string}): Classified {
  const normalLang = normaliseLang(lang)
  const prompted = stripPrompts(value)
  const script = prompted ?? value
  const lines = meaningfulLines(script)
  const base = {script, interactive: false, sudo: usesSudo(script)}
  if (lines.length === 0) return {...base, kind: 'context'}
  if (normalLang && !SHELL_LANGS.has(normalLang)) {
    return {...base, kind: OUTPUT_LANGS.has(normalLang) ? 'context' : 'file-content', sudo: false}
  }
  if (prompted === undefined && looksLikeConfig(lines, previous)) return {...base, kind: 'file-content', sudo: false}
  if (prompted !== undefined && printsOutput(value)) {
    return {...classifyBlock(lang, prompted, previous), shown: {role: 'example', reason: 'a transcript: commands after "$ " shown with what they print'}}
  }
  if (lines.every((line) => /^(?:\/|~\/)[\w.@/-]+$/.test(line)) && !lines.some((line) => /\/s?bin\//.test(line))) {
    return {...base, kind: 'exec', shown: {role: 'example', reason: 'file paths to look at, not commands'}}
  }
  const output = outputAfterCommands(script)
  if (output) {
    const commands = script.split('\n').slice(0, output.line).join('\n').replace(/\s+$/, '')
    return {...classifyBlock(lang, commands, previous), output}
  }
  if (normalLang === '' || normalLang === 'console' || normalLang === 'curl') {
    // Unlabeled: a block of commands runs; anything else is shown, not run.
    if (!COMMANDS.has(commandWord(lines[0])) && !/^(sudo\s|\.{0,2}\/|\$\(|[A-Za-z_]\w*=\S*\s+\S)/.test(lines[0])) return {...base, kind: 'context'}
  }
  const edit = editTarget(lines)
  if (edit) return {...base, kind: 'edit', file: edit, interactive: true}
  const interactive = lines.some((line) => PAGERS.has(commandWord(line)) || /^\s*read\s/.test(line))
  return {...base, kind: lines.every(isReadOnly) ? 'check' : 'exec', interactive}
}

/** A fence a shell could run: a shell language, or no label at all. */
export function isShellLang(lang: string | null | undefined): boolean {
  const normal = normaliseLang(lang)
  return normal === '' || SHELL_LANGS.has(normal)
}

/** ```` ```{.bash .wrapped-code} ```` and ```` ```bash title="x" ```` both mean bash. */
export function normaliseLang(lang: string | null | undefined): string {
  if (!lang) return ''
  const match = /^\{?\.?([\w+-]+)/.exec(lang.trim())
  return match ? match[1].toLowerCase() : ''
}

/** Lines that carry commands: not blank, not comments, continuation lines folded in. */
function meaningfulLines(script: string): string[] {
  const out: string[] = []
  let pending = ''
  for (const raw of script.split('\n')) {
    const line = raw.trim()
    if (!pending && (line === '' || (line.startsWith('#') && !line.startsWith('#!')))) continue
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' '
      continue
    }
    out.push(pending + line)
    pending = ''
  }
  if (pending) out.push(pending)
  return out
}

/**
 * A console transcript: keep the `$ ` / `# `-less commands, drop the output.
 * Undefined when no line has a `$ ` prompt.
 */
function stripPrompts(value: string): string | undefined {
  const lines = value.split('\n')
  if (!lines.some((line) => /^\s*\$ \S/.test(line))) return undefined
  const out: string[] = []
  let continuing = false
  for (const line of lines) {
    const prompt = /^\s*\$ (.*)$/.exec(line)
    if (prompt) out.push(prompt[1])
    else if (continuing) out.push(line)
    else continue
    continuing = out[out.length - 1].trimEnd().endsWith('\\')
  }
  return out.join('\n')
}

/** A `$ ` transcript that also shows what the commands print (lines with no prompt that continue nothing). */
function printsOutput(value: string): boolean {
  let continuing = false
  for (const line of value.split('\n')) {
    const prompt = /^\s*\$ (.*)$/.exec(line)
    if (prompt) continuing = prompt[1].trimEnd().endsWith('\\')
    else if (continuing) continuing = line.trimEnd().endsWith('\\')
    else if (line.trim() !== '' && !line.trim().startsWith('#')) return true
  }
  return false
}

/**
 * Output printed after a command in the same fence: `> ` lines, `-- Logs begin …`,
 * `...`, syslog-style `Jan 22 15:59:14 …` lines. Undefined when every line reads as shell.
 */
function outputAfterCommands(script: string): {text: string; line: number} | undefined {
  const lines = script.split('\n')
  const first = lines.findIndex((line, index) => index > 0 && !lines[index - 1].trimEnd().endsWith('\\') && OUTPUT_LINE.test(line))
  if (first <= 0 || !lines.slice(0, first).some((line) => line.trim() !== '' && !line.trim().startsWith('#'))) return undefined
  return {text: lines.slice(first).join('\n').replace(/\s+$/, ''), line: first}
}

const OUTPUT_LINE = /^\s*(?:> |\.{3}\s*$|-- \S|…\s*$|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d\d:\d\d)/

/** The word that names the program: after `sudo`, `env X=Y`, `VAR=value`. */
export function commandWord(line: string): string {
  const words = line.trim().split(/\s+/)
  let index = 0
  while (index < words.length) {
    const word = words[index]
    if (word === 'sudo' || word === 'command' || word === 'exec' || word === 'nohup' || word === 'time') {
      index++
      // `sudo -u mongod -s pbm …`: these options of sudo take the next word as their value.
      while (words[index]?.startsWith('-')) index += word === 'sudo' && /^-[ugpCDhrtTRU]$/.test(words[index]) ? 2 : 1
    } else if (word === 'env' || /^[A-Za-z_]\w*=/.test(word)) index++
    else break
  }
  return (words[index] ?? '').replace(/^.*\//, '')
}

function usesSudo(script: string): boolean {
  return /(^|[;&|(]\s*|\$\(\s*|\bxargs\s+)sudo\b/m.test(script)
}

function editTarget(lines: string[]): string | undefined {
  if (lines.length !== 1) return undefined
  if (!EDITORS.has(commandWord(lines[0]))) return undefined
  const words = lines[0].split(/\s+/)
  const file = words[words.length - 1]
  return file && !file.startsWith('-') && !EDITORS.has(file.replace(/^.*\//, '')) ? file : undefined
}

function isReadOnly(line: string): boolean {
  return splitPipeline(line).every((part) => {
    const word = commandWord(part)
    if (word === 'curl') return !/(^|\s)(-[a-zA-Z]*[oO]\b|--output|--remote-name|-T|--upload-file|-X\s*(POST|PUT|DELETE|PATCH)|-d\b|--data)/.test(part)
    if (word === 'sed') return !/\s-i/.test(part)
    if (word === 'find') return !/\s-(delete|exec)\b/.test(part)
    if (READ_ONLY.has(word)) return !/(^|[^>&0-9])>{1,2}\s*[^&\s]/.test(part)
    const sub = READ_ONLY_SUB[word]
    if (!sub) return false
    const tokens = part.trim().split(/\s+/)
    const args = tokens.slice(tokens.findIndex((token) => token.replace(/^.*\//, '') === word) + 1)
    // Long options (`systemctl --no-pager status`) do not change what a subcommand does;
    // for rpm, dpkg and nginx the option is the subcommand.
    const rest = sub.source.startsWith('^-') ? args : args.filter((token) => !token.startsWith('--'))
    return sub.test(rest.join(' '))
  })
}

function splitPipeline(line: string): string[] {
  return line.split(/\s*(?:\|\||&&|\||;)\s*/).filter((part) => part.trim() !== '')
}

/**
 * Config, not commands: every line a KEY=VALUE assignment right after an
 * editor was opened (or when the page names the file), YAML mappings,
 * nginx/ini-style blocks, JSON.
 */
function looksLikeConfig(lines: string[], previous?: {kind: string; file?: string}): boolean {
  // `www.example.com_USE_REVERSE_PROXY=yes`: the shell has no such variable, so these lines are a file's content.
  const settings = lines.every((line) => /^[A-Za-z_][\w.-]*=/.test(line))
  if (settings && lines.some((line) => !/^[A-Za-z_]\w*=/.test(line))) return true
  const assignments = lines.every((line) => /^[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|'[^']*'|[^\s;&|]*)$/.test(line))
  if (assignments) return previous?.kind === 'edit' || previous?.kind === 'file-content'
  if (COMMANDS.has(commandWord(lines[0]))) return false
  if (/^[{[]/.test(lines[0]) && !isShellTest(lines[0])) return true
  const yaml = lines.filter((line) => /^(- )?[\w.-]+:(\s|$)/.test(line) || /^- \S/.test(line)).length
  if (yaml >= Math.ceil(lines.length / 2) && /^[\w.-]+:(\s|$)/.test(lines[0])) return true
  const blocky = lines.filter((line) => !isShellTest(line) && (/[;{}]$/.test(line) || /^\[[\w .-]+\]$/.test(line))).length
  return blocky >= Math.ceil(lines.length / 2)
}

/**
 * A shell test command (`[ -f x ] && …`, `[[ $a == b ]] || …`), which starts
 * with a bracket like a JSON array or an ini section: a bracket, blanks, an
 * expression with a test operator or an expansion, the closing bracket, and
 * then nothing or a shell operator.
 */
function isShellTest(line: string): boolean {
  return /^(!\s+)?(\[\[|\[)\s.*\s(\]\]|\])\s*($|&&|\|\||;|\||#)/.test(line) && /(^|\s)(-[a-zA-Z]{1,2}|==?|!=|=~|<|>|!)\s|\$/.test(line)
}
