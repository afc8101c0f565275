/**
 * A page's whole variant graph as an Ansible playbook: one play per run of
 * steps on one host role, one block per step (named `N. Title`, tagged with
 * the step's slug), one task per tab variant under `when:` on the tab the host
 * gets (see tabs.ts), commands through `ansible.builtin.shell` under bash with
 * `set -e -o pipefail`, KEY=VALUE file contents through `lineinfile`, and what
 * needs a person through `pause` (or `fail` with `-e runbook_batch=true`).
 */
import type {Action, Graph, Placeholder, Procedure, Step} from '../graph/types.js'
import {isKeyValueTarget, parseSettings} from '../execute/kv-file.js'
import {SUDO_SHIM} from '../execute/sudo.js'
import {noTabMessage} from '../resolve/choices.js'
import {actionRole, actionSwitch} from './roles.js'
import {decisionsOf, placeholdersOf, portableGroup, segments, type Segment} from './steps.js'
import {AMBIGUOUS, jinjaText, NO_TAB, tabCondition} from './tabs.js'
import {envName, withEnvReferences, type RenderedScript} from './values.js'
import type {StepUndo} from './undo.js'

/**
 * Secret tasks hide their results. True unless `-e runbook_hide_secrets=false`,
 * a switch for checking a playbook with made-up values (Ansible's censoring also
 * hides why a task was skipped).
 */
const HIDE_SECRETS = '{{ runbook_hide_secrets | default(true) | bool }}'

export type Task = Record<string, unknown>

export interface PlaybookParts {
  plays: Task[]
  /** Every placeholder of the procedure, for the README and inventory. */
  placeholders: Placeholder[]
  roles: string[]
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console', ''])

/** Runs the page's `sudo` as root where sudo is not installed, as the engine does. */
export const SUDO_PRELUDE = `if [ "$(id -u)" = 0 ] && ! command -v sudo >/dev/null 2>&1; then\n${SUDO_SHIM}fi\n`

/** The literal text of a value where the shell cannot expand a reference (file contents, quoted heredocs). */
function literalTemplate(text: string, placeholders: Placeholder[]): string {
  const raws = [...placeholders].filter((p) => p.raw).sort((a, b) => b.raw.length - a.raw.length)
  if (raws.length === 0) return jinjaText(text)
  const pattern = new RegExp(raws.map((p) => p.raw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
  let out = ''
  let at = 0
  for (const m of text.matchAll(pattern)) {
    out += jinjaText(text.slice(at, m.index)) + `{{ ${raws.find((p) => p.raw === m[0])!.name} }}`
    at = m.index! + m[0].length
  }
  return out + jinjaText(text.slice(at))
}

function whenOf(action: Action, graph: Graph, stepId: string): string[] {
  const when = action.when.map((c) => tabCondition(graph.groups[c.group]!, c.label)).filter((w) => w !== 'true')
  const on = actionSwitch(action, stepId)
  if (on) when.push(`${on.variable} | bool`)
  return when
}

function variantName(step: Step, action: Action): string {
  const labels = action.when.map((c) => c.label)
  return `${step.number}. ${step.title}${labels.length ? ` [${labels.join(' / ')}]` : ''}`
}

function withWhen(task: Task, when: string[]): Task {
  return when.length === 0 ? task : {...task, when: when.length === 1 ? when[0] : when}
}

/** A person's part: a pause at a terminal, a failure in batch runs, nothing with runbook_yes. */
function personTasks(name: string, text: string, when: string[]): Task[] {
  return [
    withWhen({name: `${name} (by hand)`, 'ansible.builtin.pause': {prompt: `${text}\nPress Enter when it is done`}}, [...when, 'not (runbook_batch | bool)', 'not (runbook_yes | bool)']),
    withWhen({name: `${name} (batch run)`, 'ansible.builtin.fail': {msg: `${text} Do it by hand, then run again with -e runbook_yes=true.`}}, [...when, 'runbook_batch | bool', 'not (runbook_yes | bool)']),
  ]
}

/** Every command's script with placeholders as environment references (a quoted heredoc gets `\0NAME\0`). */
export async function renderCommands(procedure: Procedure): Promise<Map<string, RenderedScript>> {
  const out = new Map<string, RenderedScript>()
  for (const step of procedure.steps) {
    for (const action of step.actions) {
      if ((action.kind === 'exec' || action.kind === 'check') && SHELL_LANGS.has(action.lang)) {
        out.set(action.id, await withEnvReferences(action.script, action.placeholders, action.source, (p) => `\u0000${p.name}\u0000`))
      }
    }
  }
  return out
}

let rendering = new Map<string, RenderedScript>()

function shellTask(step: Step, action: Action, graph: Graph): Task {
  const rendered = rendering.get(action.id)!
  const body = `set -e -o pipefail\n${rendered.script.replace(/\n?$/, '\n')}`
  const cmd = body.split('\u0000').map((part, i) => (i % 2 === 1 ? `{{ ${part} }}` : jinjaText(part))).join('')
  const task: Task = {
    name: variantName(step, action),
    'ansible.builtin.shell': {cmd, executable: '/bin/bash', chdir: '{{ runbook_work_dir }}'},
  }
  if (rendered.used.length) task.environment = Object.fromEntries(rendered.used.map((p) => [envName(p), `{{ ${p.name} }}`]))
  if (action.kind === 'check') task.changed_when = false
  if (action.placeholders.some((p) => p.secret)) task.no_log = HIDE_SECRETS
  return withWhen(task, whenOf(action, graph, step.id))
}

function fileTasks(step: Step, action: Action, graph: Graph, file: string | undefined): Task[] {
  const when = whenOf(action, graph, step.id)
  const settings = file && isKeyValueTarget(file) ? parseSettings(action.script) : undefined
  if (file && settings) {
    return settings.map((s) =>
      withWhen({
        name: `${variantName(step, action)}: ${s.key} in ${file}`,
        'ansible.builtin.lineinfile': {path: file, regexp: `^\\s*#?\\s*(export\\s+)?${s.key}=`, line: literalTemplate(s.line, action.placeholders), create: true, backup: true},
        ...(action.placeholders.some((p) => p.secret) ? {no_log: HIDE_SECRETS} : {}),
      }, when),
    )
  }
  const where = file ? `into ${file}` : 'into the file the guide names'
  return personTasks(variantName(step, action), `Step ${step.number} "${step.title}" asks for this content ${where} on {{ inventory_hostname }}:\n${literalTemplate(action.script, action.placeholders)}`, when)
}

/** The tasks of one action; edits whose file a KEY=VALUE content of the step sets need no person. */
function actionTasks(step: Step, action: Action, actions: Action[], graph: Graph): Task[] {
  const role = actionRole(action)
  if (role === 'example' || role === 'output') return []
  const opened = actions.find((a) => a.kind === 'edit' && a.file)?.file
  switch (action.kind) {
    case 'exec':
    case 'check':
      if (!SHELL_LANGS.has(action.lang)) return fileTasks(step, action, graph, action.file)
      return [shellTask(step, action, graph)]
    case 'file-content':
      return fileTasks(step, action, graph, action.file ?? opened)
    case 'edit': {
      const file = action.file
      const applied = actions.some((a) => a.kind === 'file-content' && (a.file ?? opened) === file && file && isKeyValueTarget(file) && parseSettings(a.script))
      if (applied) return []
      return personTasks(variantName(step, action), `Step ${step.number} "${step.title}" asks you to edit ${file ?? 'a file'} on {{ inventory_hostname }} (${literalTemplate(action.script, action.placeholders)}).`, whenOf(action, graph, step.id))
    }
    case 'manual':
      return personTasks(variantName(step, action), literalTemplate(action.script, action.placeholders), whenOf(action, graph, step.id))
  }
}

function failTasks(step: Step, actions: Action[], graph: Graph, procedure: Procedure): Task[] {
  return decisionsOf(actions, graph).map(({group, before}) => {
    const message = noTabMessage({group: portableGroup(group), step, procedure: procedure.title, platform: '\u0000'})
    const [head, tail] = message.split('\u0000')
    return withWhen({
      name: `${step.number}. ${step.title}: the tab for this host`,
      'ansible.builtin.fail': {msg: `${jinjaText(head!)}{{ runbook_platform_text }}${jinjaText(tail!)}`},
    }, [...before.map((c) => tabCondition(graph.groups[c.group]!, c.label)).filter((w) => w !== 'true'), `runbook_tab.${group.id} in ['${NO_TAB}', '${AMBIGUOUS}']`])
  })
}

function stepBlock(step: Step, actions: Action[], graph: Graph, procedure: Procedure, undo: StepUndo | undefined): Task {
  const tasks = [...failTasks(step, actions, graph, procedure), ...(undo?.record ?? []), ...actions.flatMap((a) => actionTasks(step, a, actions, graph))]
  return {name: `${step.number}. ${step.title}`, tags: [step.id], block: tasks.length ? tasks : [{name: `${step.number}. ${step.title}: nothing to run here`, 'ansible.builtin.meta': 'noop'}]}
}

/** The tab of every group for this host, computed once from its facts (tabs.yml). */
export const TAB_TASK: Task = {name: "runbook: the tabs for this host's platform", 'ansible.builtin.set_fact': {runbook_tab: '{{ runbook_tab_json | from_json }}'}, tags: ['always']}

function assertValues(placeholders: Placeholder[]): Task[] {
  if (placeholders.length === 0) return []
  return [{
    name: 'runbook: the values this play needs',
    'ansible.builtin.assert': {
      that: placeholders.map((p) => `${p.name} is defined`),
      fail_msg: `Give ${placeholders.map((p) => `${p.name} (${p.raw})`).join(', ')} with -e NAME=VALUE (or in the inventory). ${placeholders.some((p) => p.secret) ? 'Secrets are best given from a vault file: -e @secrets.yml.' : ''}`.trim(),
      quiet: true,
    },
    tags: ['always'],
  }]
}

export function buildPlays(graph: Graph, procedure: Procedure, undo: Map<string, StepUndo>, rendered: Map<string, RenderedScript>): PlaybookParts {
  rendering = rendered
  const segs = segments(procedure)
  const plays = segs.map((seg: Segment) => {
    const actions = seg.steps.flatMap((s) => s.actions)
    const range = seg.steps.length === 1 ? `step ${seg.steps[0]!.step.number}` : `steps ${seg.steps[0]!.step.number}–${seg.steps[seg.steps.length - 1]!.step.number}`
    return {
      name: `${procedure.title}: ${range} on ${seg.role}`,
      hosts: seg.role,
      vars_files: ['tabs.yml'],
      // The page's `sudo` works as root where sudo is not installed (containers), as in the engine.
      environment: {BASH_ENV: '{{ runbook_work_dir }}/.runbook-sudo.bash'},
      tasks: [
        ...assertValues(placeholdersOf(actions)),
        TAB_TASK,
        {name: 'runbook: the working folder of the commands', 'ansible.builtin.file': {path: '{{ runbook_work_dir }}', state: 'directory', mode: '0700'}, check_mode: false, tags: ['always']},
        {name: "runbook: sudo for the page's commands where root has none", 'ansible.builtin.copy': {dest: '{{ runbook_work_dir }}/.runbook-sudo.bash', content: jinjaText(SUDO_PRELUDE), mode: '0600'}, check_mode: false, tags: ['always']},
        ...seg.steps.map(({step, actions: stepActions}) => stepBlock(step, stepActions, graph, procedure, undo.get(`${seg.role}/${step.id}`))),
      ],
    }
  })
  return {plays, placeholders: placeholdersOf(procedure.steps.flatMap((s) => s.actions)), roles: [...new Set(segs.map((s) => s.role))]}
}
