/**
 * Shell habits that bite in scripts, on every command block as the engine
 * would run it: `sudo` on the left of `| sudo tee` (or inside a sudo shell),
 * `apt` where scripts want `apt-get`, `curl | sh` without `-f`.
 */
import type {Action} from '../../graph/types.js'
import {runs} from '../roles.js'
import {placeScript, type ScriptLine} from '../source.js'
import type {RuleContext} from '../types.js'

const SUDO_LEFT_OF_TEE = /\bsudo\s+(?:-\S+\s+)*(echo|printf|cat)\b[^|]*\|\s*sudo\s+(?:-\S+\s+)*tee\b/
const SUDO_IN_SUDO_SHELL = /\bsudo\s+(?:-\S+\s+)*(?:ba|z|da)?sh\s+-c\s+(["']).*?\bsudo\s+/
const APT = /(?:^|[;&|(]\s*|\bsudo\s+(?:-\S+\s+)*)apt\s+(?:-\S+\s+)*(install|update|upgrade|full-upgrade|dist-upgrade|remove|purge|autoremove|reinstall)\b/
const CURL_PIPE_SH = /\bcurl\b([^|;&]*)\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+(?:\S+=\S*\s+)*)?(?:\S+=\S*\s+)*(?:\/\S*\/)?(ba|z|da)?sh\b/
const FAIL_FLAG = /(?:^|\s)(?:-[a-zA-Z]*f[a-zA-Z]*|--fail(?:-with-body)?)(?=\s|$)/

export function shellPatterns(context: RuleContext): void {
  for (const procedure of context.page.graph.procedures) {
    for (const step of procedure.steps) {
      for (const action of step.actions) {
        if (!runs(action)) continue
        for (const line of placeScript(action, context.source)) check(context, action, line)
      }
    }
  }
}

function check(context: RuleContext, action: Action, line: ScriptLine): void {
  const text = line.text.replace(/(^|\s)#.*$/, '')
  const report = (rule: string, index: number, message: string, hint: string) =>
    context.report({file: action.source.file, line: line.line, column: line.column + Math.max(0, index - line.lead), rule, message, hint})
  const tee = SUDO_LEFT_OF_TEE.exec(text)
  if (tee) report('shell/sudo-tee', tee.index, `\`sudo ${tee[1]}\` piped to \`sudo tee\`: only tee writes the file, the first sudo is useless (and asks for a password twice)`, `drop the sudo before ${tee[1]}`)
  const nested = SUDO_IN_SUDO_SHELL.exec(text)
  if (nested) report('shell/sudo-tee', nested.index, 'sudo inside a shell already run with sudo: the inner sudo is useless', 'drop the inner sudo')
  const apt = APT.exec(text)
  if (apt) report('shell/apt-in-script', apt.index + apt[0].indexOf('apt'), `\`apt ${apt[1]}\` in a script: apt warns that its command line is not stable and may prompt`, `use \`apt-get ${apt[1]}\``)
  const curl = CURL_PIPE_SH.exec(text)
  if (curl && !FAIL_FLAG.test(curl[1])) report('shell/curl-pipe-sh', curl.index, '`curl | sh` without -f: on an HTTP error the error page is run as a script', 'add -f (e.g. curl -fsSL URL | sh)')
}
