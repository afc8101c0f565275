/** Plans and events for the UI tests: small, fixed, and readable in a frame. */
import type {RunEvent, StepStatus} from '../../src/execute/events.js'
import type {Plan, PlannedAction, PlannedStep} from '../../src/resolve/types.js'

export function action(stepId: string, n: number, script: string, extra: Partial<PlannedAction> = {}): PlannedAction {
  return {
    id: `${stepId}/a${n}`,
    kind: 'exec',
    role: 'command',
    lang: 'bash',
    script,
    template: script,
    variant: [],
    source: {file: 'guide.md', line: 10 + n},
    placeholders: [],
    host: {where: 'local', reason: ''},
    sudo: false,
    interactive: false,
    ...extra,
  }
}

export function step(number: number, title: string, scripts: string[] = [`echo step ${number}`], extra: Partial<PlannedStep> = {}): PlannedStep {
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, '-')
  return {
    id,
    number,
    title,
    source: {file: 'guide.md', line: number * 10},
    prose: '',
    host: 'local',
    actions: scripts.map((s, i) => action(id, i + 1, s)),
    skipped: [],
    hash: `h${number}`,
    ...extra,
  }
}

export const TITLES = [
  'Add the Wallarm repository',
  'Install packages',
  'Configure NGINX',
  'Edit the node config',
  'Open the firewall',
  'Register the node in the Cloud',
  'Start the services',
  'Check the node works',
]

export function plan(steps: PlannedStep[] = TITLES.map((t, i) => step(i + 1, t))): Plan {
  return {
    runbook: {title: 'Install the Wallarm NGINX node', file: 'runbooks/wallarm.md', hash: 'abc'},
    platform: {
      id: 'ubuntu',
      idLike: ['debian'],
      versionId: '22.04',
      codename: 'jammy',
      prettyName: 'Ubuntu 22.04.4 LTS',
      arch: 'x86_64',
      source: '/etc/os-release',
      archSource: 'uname -m',
    },
    procedure: {id: 'all-in-one', title: 'All-in-one installer'},
    otherProcedures: [{id: 'docker', title: 'Docker'}],
    choices: {'filtering|monitoring': 'Filtering'},
    selections: [
      {group: 'g1', label: 'Ubuntu 22.04', by: 'platform'},
      {group: 'g2', label: 'x86_64', by: 'platform'},
      {group: 'g3', label: 'Filtering', by: 'choice'},
      {group: 'g4', label: 'Ubuntu 22.04', by: 'platform'},
    ],
    steps,
    parameters: [],
    conditions: [],
    warnings: [],
  }
}

export function counts(partial: Partial<Record<StepStatus, number>>): Record<StepStatus, number> {
  return {pending: 0, running: 0, done: 0, failed: 0, skipped: 0, interrupted: 0, ...partial}
}

export function runStart(p: Plan, extra: Partial<Extract<RunEvent, {type: 'run-start'}>> = {}): RunEvent {
  return {type: 'run-start', runId: '20240501-abc', plan: p, runDir: '/var/lib/runbook/runs/20240501-abc', resumed: false, startIndex: 0, ...extra}
}

export function stepStart(p: Plan, index: number, attempt = 1): RunEvent {
  return {type: 'step-start', step: p.steps[index]!, index, total: p.steps.length, attempt, rerun: false}
}

export function actionStart(p: Plan, index: number, a = 0, display = p.steps[index]!.actions[a]!.script): RunEvent {
  const s = p.steps[index]!
  return {type: 'action-start', step: s, action: s.actions[a]!, index: a, display}
}

export function stepEnd(p: Plan, index: number, status: StepStatus, durationMs: number, extra: Partial<Extract<RunEvent, {type: 'step-end'}>> = {}): RunEvent {
  return {type: 'step-end', step: p.steps[index]!, index, status, durationMs, ...extra}
}

/** An output block: `text` is one line, or several joined by `\n`. */
export function output(p: Plan, index: number, text: string): RunEvent {
  return {type: 'output', stepId: p.steps[index]!.id, stream: 'stdout', text}
}
