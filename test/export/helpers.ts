/**
 * Running real Ansible on exports: where it is, a playbook run whose result
 * comes back as data (the json callback), and temp folders that go away.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse, stringify} from 'yaml'

export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], {stdio: 'ignore'}).status === 0
}

export const hasAnsible = hasProgram('ansible-playbook')
if (!hasAnsible) console.warn('\n[runbook tests] ansible-playbook is not installed (apt-get install ansible): the Ansible export tests are skipped.\n')

/** The Python that runs ansible-playbook (its `#!` line): the one that can import Ansible's modules. */
export function ansiblePython(): string {
  const path = spawnSync('sh', ['-c', 'command -v ansible-playbook'], {encoding: 'utf8'}).stdout.trim()
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(readFileSync(path, 'utf8').split('\n', 1)[0]!)
  if (!shebang) return 'python3'
  // `#!/usr/bin/env python3` names the interpreter second.
  return shebang[1]!.endsWith('/env') && shebang[2] ? shebang[2] : shebang[1]!
}

const temps: string[] = []
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  temps.push(dir)
  return dir
}
export function cleanTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, {recursive: true, force: true})
}

export interface AnsibleResult {
  code: number | null
  stdout: string
  stderr: string
}

export function ansible(program: 'ansible-playbook' | 'ansible-lint', args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 300_000): AnsibleResult {
  const r = spawnSync(program, args, {
    cwd, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024,
    env: {...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_RETRY_FILES_ENABLED: 'False', ANSIBLE_LOCAL_TEMP: join(cwd, '.ansible-tmp'), ANSIBLE_REMOTE_TEMP: join(cwd, '.ansible-remote'), ...env},
  })
  return {code: r.status, stdout: String(r.stdout), stderr: String(r.stderr)}
}

interface JsonTask {
  task: {name: string}
  hosts: Record<string, {skipped?: boolean; false_condition?: string; skip_reason?: string; failed?: boolean; msg?: string; changed?: boolean}>
}

/** A json-callback run: per host, the names of the tasks that ran (not skipped by `when:`), and failures. */
export function tasksRun(stdout: string): Record<string, {ran: string[]; failed: Array<{task: string; msg: string}>}> {
  const start = stdout.indexOf('{')
  const data = JSON.parse(stdout.slice(start)) as {plays: Array<{tasks: JsonTask[]}>}
  const out: Record<string, {ran: string[]; failed: Array<{task: string; msg: string}>}> = {}
  for (const play of data.plays) {
    for (const t of play.tasks) {
      for (const [host, r] of Object.entries(t.hosts)) {
        const entry = (out[host] ??= {ran: [], failed: []})
        if (r.failed) entry.failed.push({task: t.task.name, msg: String(r.msg)})
        const byCondition = r.skipped && (r.false_condition !== undefined || /Conditional result was False/.test(r.skip_reason ?? ''))
        if (!byCondition) entry.ran.push(t.task.name)
      }
    }
  }
  return out
}

/** Modules that run in the controller only: kept as they are in a selection probe. */
const CONTROLLER_ONLY = new Set(['ansible.builtin.debug', 'ansible.builtin.fail', 'ansible.builtin.set_fact', 'ansible.builtin.assert', 'ansible.builtin.pause', 'ansible.builtin.meta'])

type Task = Record<string, unknown>

/** A task the comparison reads: one that runs the page's commands (not the recording of what a step changes). */
export function isCommandTask(task: Task): boolean {
  return task['ansible.builtin.shell'] !== undefined && !/: record the /.test(String(task.name))
}

function probeTasks(tasks: Task[]): Task[] {
  return tasks.flatMap((task) => {
    const module = Object.keys(task).find((key) => key.startsWith('ansible.builtin.') && !CONTROLLER_ONLY.has(key))
    // Each task costs a worker process per host: what neither runs a command nor decides anything goes.
    if (module && !isCommandTask(task)) return []
    return [probeTask(task, module)]
  })
}

function probeTask(task: Task, module: string | undefined): Task {
  const out: Task = {...task}
  for (const key of ['block', 'rescue', 'always']) if (Array.isArray(task[key])) out[key] = probeTasks(task[key] as Task[])
  if (module) {
    delete out[module]
    // Its result is a debug message now: what judged the module's result goes with it.
    for (const key of ['changed_when', 'failed_when', 'check_mode', 'args']) delete out[key]
    out['ansible.builtin.debug'] = {msg: `would run ${module}`}
  }
  return out
}

/**
 * The playbook as a selection probe: every task that runs a page command is a
 * debug task of the same name, with its conditions, tags and place in its
 * block; the controller's own tasks (the tab facts, the assertions, the "no
 * tab" failures) stay as they are; the other tasks that act on the host
 * (recording what a step changes, the work folder) go. Real Ansible then
 * decides per host which tasks run, as in a real run, without starting one
 * module process per task and host (a check-mode run of ten hosts took 5–9
 * minutes on two cores; this takes seconds).
 */
export function selectionProbe(playbook: string): string {
  const plays = parse(playbook) as Array<Record<string, unknown>>
  return stringify(plays.map((play) => ({...play, tasks: probeTasks(play.tasks as Task[])})), {aliasDuplicateObjects: false, lineWidth: 0})
}
