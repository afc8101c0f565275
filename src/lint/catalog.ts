/**
 * Every rule `runbook lint` can report, with its default severity and what it
 * checks (SARIF lists these as the tool's rules).
 */
import type {Severity} from './types.js'

export interface RuleInfo {
  id: string
  severity: Severity
  description: string
}

const rules: RuleInfo[] = [
  {id: 'coverage/missing-platform', severity: 'error', description: 'An OS tab group has no tab for a platform the page claims (or that --platforms names), and the step does not say why.'},
  {id: 'coverage/ambiguous', severity: 'warning', description: 'Two tabs of one group fit the same platform equally well.'},
  {id: 'fences/unclosed', severity: 'error', description: 'A code fence is never closed (or not before its block ends): MkDocs renders it as text.'},
  {id: 'fences/closing-length', severity: 'error', description: 'A closing fence longer or shorter than its opener: MkDocs does not accept it as the end of the block.'},
  {id: 'fences/shell-holds-content', severity: 'warning', description: 'A bash/sh fence whose body is file content or program output, not commands.'},
  {id: 'fences/commands-unlabelled', severity: 'info', description: 'Commands in an unlabelled or text fence.'},
  {id: 'fences/prompt-mixes-output', severity: 'warning', description: 'A `$ ` prompt fence that mixes commands and their output.'},
  {id: 'includes/missing', severity: 'error', description: 'A --8<-- include whose target is missing, unreadable, remote or cyclic.'},
  {id: 'includes/outside-base', severity: 'error', description: 'A --8<-- include that resolves outside the snippet base paths of mkdocs*.yml.'},
  {id: 'includes/trailing-text', severity: 'error', description: 'A --8<-- line with text after the quoted path: MkDocs renders it as text.'},
  {id: 'tabs/indent', severity: 'error', description: 'A tab group at an indent MkDocs does not render as tabs.'},
  {id: 'tabs/empty', severity: 'warning', description: 'A tab (or admonition) with no indented body.'},
  {id: 'tabs/escaped-label', severity: 'warning', description: 'Backslash escapes or HTML entities in a tab label (shown as written).'},
  {id: 'tabs/unknown-label', severity: 'warning', description: 'A label in a platform tab group that names no platform and no known choice.'},
  {id: 'tabs/labels-disagree', severity: 'warning', description: 'Two tab groups of one step label the same platform differently.'},
  {id: 'placeholders/spelling', severity: 'warning', description: 'One placeholder spelled two ways on one page.'},
  {id: 'placeholders/unexplained', severity: 'info', description: 'A placeholder the prose never explains.'},
  {id: 'placeholders/secret-echoed', severity: 'warning', description: 'A placeholder that looks like a secret is printed by echo/printf.'},
  {id: 'placeholders/unsubstitutable', severity: 'error', description: 'A placeholder where the engine cannot substitute a value safely (it would refuse to run the command).'},
  {id: 'shell/shellcheck', severity: 'warning', description: 'shellcheck on each command block as the engine runs it (variant picked, placeholders filled with typed dummies).'},
  {id: 'shell/sudo-tee', severity: 'info', description: '`sudo` on the left of `| sudo tee` (or a sudo inside a sudo shell): only tee needs root.'},
  {id: 'shell/apt-in-script', severity: 'warning', description: '`apt` in a script: it has no stable command-line interface; apt-get has.'},
  {id: 'shell/curl-pipe-sh', severity: 'warning', description: '`curl | sh` without -f: an HTTP error page would be run as a script.'},
  {id: 'engine/diagnostic', severity: 'info', description: 'Something else the engine noticed while reading the page.'},
]

export const RULES: ReadonlyMap<string, RuleInfo> = new Map(rules.map((rule) => [rule.id, rule]))

export function ruleInfo(id: string): RuleInfo {
  return RULES.get(id) ?? {id, severity: 'warning', description: id}
}
