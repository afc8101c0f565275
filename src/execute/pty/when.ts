/**
 * Which commands may stop and ask a person something. Such a step runs on a
 * pseudo-terminal (see run-pty.ts): at a terminal the person answers it, and
 * without one a prompt is seen for what it is instead of reading an empty
 * answer. Everything else runs in the run's shell with stdin from /dev/null,
 * at the cost of a fork. Pure: the dry-run reads it too.
 */

/** Programs that ask unless told not to: the flags that tell them not to. */
const ASKS_UNLESS: Record<string, RegExp | null> = {
  'apt-get': /(^|\s)(-\w*y\w*|--yes|--assume-yes|-qq)(\s|$)/,
  apt: /(^|\s)(-\w*y\w*|--yes|--assume-yes)(\s|$)/,
  aptitude: /(^|\s)(-\w*y\w*|--assume-yes)(\s|$)/,
  yum: /(^|\s)(-\w*y\w*|--assumeyes)(\s|$)/,
  dnf: /(^|\s)(-\w*y\w*|--assumeyes)(\s|$)/,
  zypper: /(^|\s)(-n|--non-interactive)(\s|$)/,
  certbot: /(^|\s)(-n|--non-interactive|--noninteractive)(\s|$)/,
  'ssh-keygen': /(^|\s)-f\s/,
  'openssl': /(^|\s)(-subj|-batch)(\s|$)|^(?!req\b)/,
  ufw: /^(?!enable\b|reset\b|delete\b)|(^|\s)--force(\s|$)/,
  passwd: null,
  adduser: /(^|\s)--disabled-password(\s|$)/,
  'dpkg-reconfigure': /(^|\s)(-f\s*noninteractive|--frontend[= ]noninteractive)(\s|$)/,
  mysql_secure_installation: null,
  'mariadb-secure-installation': null,
  'read': null,
  select: null,
}

/** Subcommands that change packages (and so ask) for the package managers above. */
const PACKAGE_VERBS = /^(install|reinstall|remove|purge|upgrade|dist-upgrade|full-upgrade|autoremove|update|erase|downgrade)\b/
const PACKAGE_MANAGERS = new Set(['apt-get', 'apt', 'aptitude', 'yum', 'dnf', 'zypper'])
/** Words before the command that run it: `sudo -E`, `env A=b`, `A=b`, `time`, `nohup`. */
const WRAPPERS = new Set(['sudo', 'env', 'time', 'nohup', 'nice', 'exec', 'command', 'stdbuf', 'ionice', 'xargs'])
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh'])

/** Why a script may ask a person something, or undefined. */
export function promptReason(script: string): string | undefined {
  for (const command of commandsOf(script)) {
    const words = command.split(/\s+/).filter(Boolean)
    let i = 0
    while (i < words.length && (WRAPPERS.has(words[i]!) || /^[A-Za-z_]\w*=/.test(words[i]!) || (i > 0 && WRAPPERS.has(words[i - 1]!) && words[i]!.startsWith('-')))) i++
    const word = words[i]
    if (word === undefined) continue
    const rest = words.slice(i + 1).join(' ')
    const name = word.replace(/^.*\//, '')
    if (SHELLS.has(name) && words[i + 1] !== undefined && !words[i + 1]!.startsWith('-') && words[i + 1] !== '-c') return `runs the script ${words[i + 1]}, which may ask`
    if (/^\.{1,2}\//.test(word) || /\.(sh|run|bin)$/.test(word)) return `runs ${word}, which may ask`
    if (name === 'dpkg' && /(^|\s)(-\w*i\w*|--install|--configure|-E)(\s|$)/.test(rest) && !/--force-conf(def|old|new)/.test(rest)) return 'dpkg asks about a changed configuration file'
    if (!(name in ASKS_UNLESS)) continue
    if (PACKAGE_MANAGERS.has(name) && !PACKAGE_VERBS.test(rest.replace(/^(-\S+\s+)*/, ''))) continue
    if (name === 'apt-get' && /^update\b/.test(rest.replace(/^(-\S+\s+)*/, ''))) continue
    const quiet = ASKS_UNLESS[name]
    if (quiet && quiet.test(rest)) continue
    return name === 'read' || name === 'select' ? `reads an answer (${name})` : `${name} asks${quiet ? ' unless told not to' : ''}`
  }
  return undefined
}

/** apt and dpkg ask through debconf: without a terminal they are told not to. */
export function usesDebconf(script: string): boolean {
  return commandsOf(script).some((command) => /(^|\s|\/)(apt-get|apt|aptitude|dpkg|dpkg-reconfigure|debconf-set-selections)(\s|$)/.test(command))
}

/** The simple commands of a script, roughly: lines and `;`, `&&`, `||`, `|` pieces, comments dropped. */
function commandsOf(script: string): string[] {
  return script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, ''))
    .flatMap((line) => line.split(/;|&&|\|\||\||\$\(|`|\(|\)|\{|\}|\bthen\b|\bdo\b|\belse\b/))
    .map((part) => part.trim())
    .filter(Boolean)
}

export interface TerminalUse {
  /** The action runs on a pseudo-terminal. */
  pty: boolean
  /** Why (when it does). */
  reason?: string
  /** The environment it gets when no person has a terminal (debconf told not to ask). */
  unattendedEnv: Record<string, string>
}

/**
 * The one rule, for the executor and the dry-run: an `exec` or `check` action
 * goes to a pseudo-terminal when the page marks it interactive (a pager,
 * `read`), when its commands may ask (promptReason), or when its step
 * declares answers. apt and dpkg without a person get DEBIAN_FRONTEND=noninteractive.
 */
export function terminalUse(action: {kind: string; interactive: boolean; script: string}, stepAnswers: number): TerminalUse {
  const unattendedEnv: Record<string, string> = usesDebconf(action.script) ? {DEBIAN_FRONTEND: 'noninteractive'} : {}
  if (action.kind !== 'exec' && action.kind !== 'check') return {pty: false, unattendedEnv}
  const reason = action.interactive ? 'needs a terminal (the page runs a pager, an editor-like program or read)' : promptReason(action.script) ?? (stepAnswers > 0 ? 'the page declares answers for this step' : undefined)
  return reason ? {pty: true, reason, unattendedEnv} : {pty: false, unattendedEnv}
}
