/**
 * Running real Ansible on exports: where it is, a playbook run whose result
 * comes back as data (the json callback), and temp folders that go away.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], {stdio: 'ignore'}).status === 0
}

export const hasAnsible = hasProgram('ansible-playbook')
if (!hasAnsible) console.warn('\n[runbook tests] ansible-playbook is not installed (apt-get install ansible): the Ansible export tests are skipped.\n')

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
