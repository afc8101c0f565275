/**
 * One resolved plan as a bash script: `set -euo pipefail`, a function per
 * step, `--from STEP`, and each action's commands exactly as the dry-run shows
 * them, except that placeholders read `RUNBOOK_<NAME>` from the environment
 * (the variables the engine reads), written for their quoting context by the
 * engine's own lexer. Each action runs in a subshell that starts like an
 * engine step: `-e -o pipefail`, no `-u`, the run's working folder.
 */
import type {Placeholder} from '../graph/types.js'
import type {Plan, PlannedAction, PlannedStep} from '../resolve/types.js'
import {isKeyValueTarget, parseSettings} from '../execute/kv-file.js'
import {SUDO_SHIM} from '../execute/sudo.js'
import {escapeDouble, quoteWord} from '../resolve/substitute.js'
import {findPlaceholders} from '../graph/placeholders.js'
import {UsageError} from '../errors.js'
import {displayPath} from '../graph/text.js'
import {headerLines, type ExportHeader} from './header.js'
import {envName, withEnvReferences} from './values.js'

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console', ''])

/** The placeholders of an action, with the plan's word on secrecy. */
function placeholdersOf(plan: Plan, action: PlannedAction): Placeholder[] {
  const used = new Set(action.placeholders)
  const secret = new Map(plan.parameters.map((p) => [p.name, p.secret]))
  return findPlaceholders(action.template).filter((p) => used.has(p.name)).map((p) => ({...p, secret: secret.get(p.name) ?? p.secret}))
}

/** A double-quoted bash string of literal text with `RUNBOOK_<NAME>` in place of each placeholder. */
function doubleQuoted(text: string, placeholders: Placeholder[]): string {
  const raws = [...placeholders].filter((p) => p.raw).sort((a, b) => b.raw.length - a.raw.length)
  let out = ''
  let at = 0
  if (raws.length) {
    const pattern = new RegExp(raws.map((p) => p.raw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
    for (const m of text.matchAll(pattern)) {
      out += escapeDouble(text.slice(at, m.index)) + `\${${envName(raws.find((p) => p.raw === m[0])!)}}`
      at = m.index! + m[0].length
    }
  }
  return `"${out}${escapeDouble(text.slice(at))}"`
}

interface Body {
  lines: string[]
  needs: Placeholder[]
}

async function actionBody(plan: Plan, step: PlannedStep, action: PlannedAction): Promise<Body> {
  const placeholders = placeholdersOf(plan, action)
  const local = action.host.where !== 'other'
  const guard = (lines: string[]) => (local ? lines : ['if [ "$all_hosts" = 1 ]; then', ...lines, 'else', `  _rb_note ${quoteWord(`meant for another server (${action.host.reason.replace(/\s+/g, ' ').slice(0, 160)}): skipped; --all-hosts runs it`)}`, 'fi'])
  const runs = (action.kind === 'exec' || action.kind === 'check') && SHELL_LANGS.has(action.lang)
  if (runs) {
    const rendered = await withEnvReferences(action.template, placeholders, action.source)
    if (rendered.literal.length) {
      throw new UsageError(
        `${displayPath(action.source.file)}:${action.source.line}: ${rendered.literal.map((p) => p.raw).join(', ')} stands inside a quoted heredoc, where a shell script cannot put a value from the environment. ` +
          'Export this page with --to ansible, or run it with runbook run.',
      )
    }
    return {lines: guard(['(', 'set +u', '${RUNBOOK_XTRACE:+set -x}', rendered.script.replace(/\n+$/, ''), ')']), needs: rendered.used}
  }
  const file = action.file
  const settings = action.kind === 'file-content' && file && isKeyValueTarget(file) ? parseSettings(action.template) : undefined
  if (file && settings) {
    return {lines: guard(settings.map((s) => `_rb_set_kv ${quoteWord(file)} ${s.key} ${doubleQuoted(s.line, placeholders)}`)), needs: placeholders}
  }
  const what = action.kind === 'edit' ? `edit ${file ?? 'a file'}: ${action.template}` : action.kind === 'file-content' ? `put this in ${file ?? 'the file the guide names'}:\n${action.template}` : action.template
  return {lines: guard([`_rb_by_hand ${step.number} ${quoteWord(what)}`]), needs: []}
}

async function stepFunction(plan: Plan, step: PlannedStep): Promise<string[]> {
  const bodies: Body[] = []
  for (const action of step.actions) bodies.push(await actionBody(plan, step, action))
  const needs = new Map<string, Placeholder>()
  for (const body of bodies) for (const p of body.needs) needs.set(p.name, p)
  return [
    `step_${step.number}() {`,
    `_rb_step ${step.number} ${quoteWord(step.title)}`,
    ...[...needs.values()].map((p) => `_rb_need ${envName(p)} ${step.number} ${quoteWord(p.raw)}`),
    ...bodies.flatMap((b) => b.lines),
    '}',
    '',
  ]
}

const RUNTIME = `usage() {
  printf '%s\\n' "usage: $0 [--from STEP] [--all-hosts] [--yes]" \\
    '  --from STEP   start at a step (its number or slug); the steps before it are taken as done' \\
    '  --all-hosts   also run the parts meant for another server' \\
    '  --yes         take the steps that need a person as done' \\
    'Values come from RUNBOOK_<NAME> environment variables; RUNBOOK_WORK_DIR is where commands run' \\
    '(default ./runbook-work); RUNBOOK_XTRACE=1 traces each command.'
}
from=1; all_hosts=0; yes=0
while [ $# -gt 0 ]; do
  case $1 in
    --from) [ $# -ge 2 ] || { echo "runbook: --from needs a step number or slug." >&2; exit 2; }; from=$2; shift 2 ;;
    --from=*) from=\${1#--from=}; shift ;;
    --all-hosts) all_hosts=1; shift ;;
    --yes|-y) yes=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "runbook: unknown argument '$1'." >&2; usage >&2; exit 2 ;;
  esac
done
_rb_step() { printf '\\n== %s. %s\\n' "$1" "$2"; }
_rb_note() { printf '   %s\\n' "$1"; }
_rb_need() {
  if [ -z "\${!1+set}" ]; then
    echo "runbook: step $2 needs a value for $3: set $1 in the environment (for example $1=… $0)." >&2
    exit 2
  fi
}
_rb_by_hand() {
  if [ "$yes" = 1 ]; then printf '   taken as done (--yes): %s\\n' "$2"; return 0; fi
  printf 'runbook: step %s needs this done by hand:\\n%s\\nDo it, then continue with: %s --from %s --yes\\n' "$1" "$2" "$0" "$1" >&2
  exit 1
}
# KEY=VALUE files: replace the active line, else the commented-out one, else append (a backup is kept once).
_rb_set_kv() {
  mkdir -p "$(dirname -- "$1")"
  [ -e "$1" ] || : > "$1"
  [ -e "$1.runbook-backup" ] || cp -a -- "$1" "$1.runbook-backup"
  K=$2 L=$3 awk '
    { lines[NR] = $0 }
    END {
      for (i = 1; i <= NR; i++) {
        if (!a && lines[i] ~ ("^[ \\t]*(export[ \\t]+)?" ENVIRON["K"] "=")) a = i
        if (!c && lines[i] ~ ("^[ \\t]*#[ \\t]*(export[ \\t]+)?" ENVIRON["K"] "=")) c = i
      }
      t = a ? a : c
      for (i = 1; i <= NR; i++) print (i == t ? ENVIRON["L"] : lines[i])
      if (!t) print ENVIRON["L"]
    }' "$1" > "$1.runbook-tmp"
  cat "$1.runbook-tmp" > "$1" && rm -f -- "$1.runbook-tmp"
  printf '   set %s in %s\\n' "$2" "$1"
}
if [ "$(id -u)" = 0 ] && ! command -v sudo >/dev/null 2>&1; then
${SUDO_SHIM}fi
work=\${RUNBOOK_WORK_DIR:-$PWD/runbook-work}
mkdir -p -- "$work"
cd -- "$work"
`

export async function shScript(plan: Plan, header: ExportHeader): Promise<string> {
  const functions: string[] = []
  for (const step of plan.steps) functions.push(...(await stepFunction(plan, step)))
  const steps = plan.steps
  const index = steps.map((s) => `${s.number}:${s.id}`).join(' ')
  return [
    '#!/usr/bin/env bash',
    ...headerLines(header).map((line) => `# ${line}`),
    'set -euo pipefail',
    '',
    RUNTIME,
    ...functions,
    `steps=(${index})`,
    'start=',
    'for entry in "${steps[@]}"; do',
    '  if [ "$from" = "${entry%%:*}" ] || [ "$from" = "${entry#*:}" ]; then start=${entry%%:*}; fi',
    'done',
    '[ -n "$start" ] || { echo "runbook: --from $from names no step; the steps are: ${steps[*]}" >&2; exit 2; }',
    'for entry in "${steps[@]}"; do',
    '  [ "${entry%%:*}" -ge "$start" ] || continue',
    '  "step_${entry%%:*}"',
    'done',
    "printf '\\nDone.\\n'",
    '',
  ].join('\n')
}
