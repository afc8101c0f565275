/**
 * The files of an Ansible export, as text: playbook.yml, rollback.yml,
 * tabs.yml (the tab each host gets), group_vars/all/runbook.yml (the values a
 * user may override from the inventory), inventory.example and README.md.
 * YAML goes through the `yaml` package as YAML 1.1 (what Ansible reads), so a
 * label such as `on` or `yes` stays a string.
 */
import {Document, isMap, isSeq} from 'yaml'
import type {Graph, Procedure} from '../graph/types.js'
import {buildPlays, renderCommands, SUDO_PRELUDE, TAB_TASK, type Task} from './ansible.js'
import {actionSwitch} from './roles.js'
import {segments, pageName} from './steps.js'
import {choiceDefaults, jinjaText, tabCondition, tabVars} from './tabs.js'
import {inferUndo, type StepUndo} from './undo.js'
import type {ExportHeader} from './header.js'
import {headerLines} from './header.js'
import {slug} from '../graph/text.js'

export function yamlText(data: unknown, header: string[], comments: Array<{path: Array<string | number>; text: string}> = []): string {
  const doc = new Document(data, {version: '1.1'})
  doc.commentBefore = header.map((line) => ` ${line}`).join('\n')
  for (const {path, text} of comments) {
    const node = doc.getIn(path, true) as {commentBefore?: string} | undefined
    if (node && (isMap(node) || isSeq(node))) node.commentBefore = text.split('\n').map((line) => ` ${line}`).join('\n')
  }
  return doc.toString({lineWidth: 0, indent: 2, indentSeq: true})
}

function defaultsOf(graph: Graph, procedure: Procedure): Record<string, unknown> {
  const switches: Record<string, boolean> = {}
  for (const step of procedure.steps) for (const action of step.actions) {
    const on = actionSwitch(action, step.id)
    if (on) switches[on.variable] = false
  }
  return {
    runbook_work_dir: `/var/tmp/runbook/${slug(graph.title) || 'runbook'}`,
    runbook_state_dir: `/var/lib/runbook-export/${slug(graph.title) || 'runbook'}`,
    runbook_batch: false,
    runbook_yes: false,
    ...choiceDefaults(graph),
    ...switches,
  }
}

function rollbackPlays(graph: Graph, procedure: Procedure, undo: Map<string, StepUndo>): {plays: Task[]; comments: Array<{path: Array<string | number>; text: string}>} {
  const comments: Array<{path: Array<string | number>; text: string}> = []
  const plays = [...segments(procedure)].reverse().map((seg, playIndex) => {
    const tasks: Task[] = []
    for (const {step} of [...seg.steps].reverse()) {
      const inferred = undo.get(`${seg.role}/${step.id}`)
      const declared = [...(step.rollback ?? [])].reverse().map((decl, i) => {
        const when = decl.when.map((c) => tabCondition(graph.groups[c.group]!, c.label)).filter((w) => w !== 'true')
        return {
          name: `undo ${step.number}. ${step.title}: the page's undo${i ? ` (${i + 1})` : ''}`,
          'ansible.builtin.shell': {cmd: jinjaText(`set -e -o pipefail\n${decl.script.replace(/\n?$/, '\n')}`), executable: '/bin/bash', chdir: '{{ runbook_work_dir }}'},
          ...(when.length ? {when: when.length === 1 ? when[0] : when} : {}),
        }
      })
      const block = [...declared, ...(inferred?.undo ?? [])]
      const notes = inferred?.byHand ?? []
      if (block.length === 0 && notes.length === 0) continue
      if (notes.length) comments.push({path: [playIndex, 'tasks', tasks.length], text: `Step ${step.number}: not undone here (not knowable from the page) —\n${notes.map((n) => `  ${n}`).join('\n')}`})
      tasks.push({name: `undo ${step.number}. ${step.title}`, tags: [step.id], block: block.length ? block : [{name: `undo ${step.number}. ${step.title}: by hand, see the comment above`, 'ansible.builtin.meta': 'noop'}]})
    }
    return {
      name: `Undo ${procedure.title} on ${seg.role}, newest step first`,
      hosts: seg.role,
      vars_files: ['tabs.yml'],
      environment: {BASH_ENV: '{{ runbook_work_dir }}/.runbook-sudo.bash'},
      tasks: tasks.length
        ? [
            TAB_TASK,
            {name: 'runbook: the working folder of the commands', 'ansible.builtin.file': {path: '{{ runbook_work_dir }}', state: 'directory', mode: '0700'}, check_mode: false, tags: ['always']},
            {name: "runbook: sudo for the page's commands where root has none", 'ansible.builtin.copy': {dest: '{{ runbook_work_dir }}/.runbook-sudo.bash', content: jinjaText(SUDO_PRELUDE), mode: '0600'}, check_mode: false, tags: ['always']},
            ...tasks,
            {name: 'runbook: the records are used up', 'ansible.builtin.file': {path: '{{ runbook_state_dir }}', state: 'absent'}, when: 'ansible_run_tags == ["all"]'},
          ]
        : [{name: 'nothing this part of the page changes can be undone from a record', 'ansible.builtin.meta': 'noop'}],
    }
  })
  return {plays, comments}
}

function inventoryText(header: string[], roles: string[]): string {
  const lines = header.map((line) => `# ${line}`)
  lines.push('# One group per host role of the page. To try it on this machine, as root:', '#   localhost ansible_connection=local', '')
  for (const role of roles) lines.push(`[${role}]`, `${role === 'local' ? 'server-1' : `${role}-1`}.example.com`, '')
  return lines.join('\n')
}

function readmeText(graph: Graph, procedure: Procedure, header: ExportHeader, parts: ReturnType<typeof buildPlays>, defaults: Record<string, unknown>): string {
  const values = parts.placeholders.map((p) => `-e ${p.name}=…`).join(' ')
  const choices = Object.entries(defaults).filter(([k]) => k.startsWith('choice_') || k.startsWith('with_'))
  return [
    `# ${graph.title}: Ansible playbook`,
    '',
    ...headerLines(header).map((line) => `    ${line}`),
    '',
    `The whole page ("${procedure.title}"), every tab of it: each host gets the tab the engine would pick for it`,
    'from its facts (distribution, version, CPU), and a host no tab fits stops with the engine\'s message.',
    '',
    '```sh',
    'cp inventory.example inventory   # one group per host role: ' + parts.roles.join(', '),
    `ansible-playbook -i inventory playbook.yml ${values}`.trim(),
    'ansible-playbook -i inventory playbook.yml --tags STEP-SLUG      # one step',
    "ansible-playbook -i inventory playbook.yml --start-at-task '3. *'  # resume at step 3",
    'ansible-playbook -i inventory playbook.yml --step                 # confirm each task',
    'ansible-playbook -i inventory rollback.yml                        # undo, newest step first',
    '```',
    '',
    'Values: ' + (parts.placeholders.length ? parts.placeholders.map((p) => `\`${p.name}\` (${p.raw}${p.secret ? ', secret: give it from a vault file, it is never logged' : ''})`).join(', ') : 'none') + '.',
    'Choices and optional parts (`-e NAME=VALUE`; defaults in group_vars/all/runbook.yml): ' + (choices.length ? choices.map(([k, v]) => `\`${k}\` (default ${JSON.stringify(v)})`).join(', ') : 'none') + '.',
    'Steps that need a person pause at a terminal; with `-e runbook_batch=true` they fail with the page\'s instruction, and',
    '`-e runbook_yes=true` takes them as done. The playbook records on each host what a step changes before it first runs',
    '(packages, files, services) so that rollback.yml can put it back; what it cannot record is a comment in rollback.yml.',
    'Commands run as the connecting user, with `sudo` as the page writes it: connect as root, or give sudo rights.',
    '',
  ].join('\n')
}

export interface AnsibleFiles {
  [path: string]: string
}

export async function ansibleFiles(graph: Graph, procedure: Procedure, header: ExportHeader): Promise<AnsibleFiles> {
  const undo = await inferUndo(graph, procedure)
  const parts = buildPlays(graph, procedure, undo, await renderCommands(procedure))
  const lines = headerLines(header)
  const defaults = defaultsOf(graph, procedure)
  const rollback = rollbackPlays(graph, procedure, undo)
  return {
    'playbook.yml': yamlText(parts.plays, lines),
    'rollback.yml': yamlText(rollback.plays, [...lines, 'Undo what playbook.yml changed, newest step first, from what it recorded on each host.'], rollback.comments),
    'tabs.yml': yamlText(tabVars(graph), [...lines, 'Which tab of each group a host gets: the engine\'s label matching over the host\'s facts.']),
    'group_vars/all/runbook.yml': yamlText(defaults, [...lines, 'Defaults: override per host or group in the inventory, or with -e.']),
    'inventory.example': inventoryText(lines, parts.roles),
    'README.md': readmeText(graph, procedure, header, parts, defaults),
  }
}

export {pageName}
