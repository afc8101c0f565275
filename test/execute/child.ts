/**
 * Driving the executor in a child process: write a job file, spawn the
 * transpiled child runner, poll its state file.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join, relative, sep} from 'node:path'
import {repoRoot, transpile} from './helpers.js'
import type {Plan} from '../../src/resolve/types.js'
import type {RunState} from '../../src/execute/state.js'

let runnerJs: string | undefined

export function childRunner(): string {
  runnerJs ??= transpile('test/execute/child-runner.ts')
  return runnerJs
}

/** Removes the transpiled copy (call from afterAll). */
export function removeChildRunner(): void {
  if (!runnerJs) return
  const top = relative(repoRoot, runnerJs).split(sep).slice(0, 2).join(sep)
  rmSync(join(repoRoot, top), {recursive: true, force: true})
  runnerJs = undefined
}

export interface Job {
  plan: Plan
  values?: Record<string, string>
  stateRoot: string
  runId?: string
  yes?: boolean
  killAfterMs?: number
}

export function startRunner(job: Job, jobDir: string, opts: {env?: Record<string, string>; stdout?: 'pipe' | 'ignore'} = {}): ChildProcess & {output: () => string} {
  const file = join(jobDir, `job-${Date.now()}-${Math.random().toString(16).slice(2)}.json`)
  writeFileSync(file, JSON.stringify({values: {}, ...job}))
  const child = spawn(process.execPath, [childRunner(), file], {stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'], env: {...process.env, ...opts.env}})
  let out = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()))
  return Object.assign(child, {output: () => out})
}

export function exited(child: ChildProcess): Promise<{code: number | null; signal: NodeJS.Signals | null}> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({code: child.exitCode, signal: child.signalCode})
    else child.once('exit', (code, signal) => resolve({code, signal}))
  })
}

/** The only run folder under `stateRoot` (the child made it). */
export function onlyRunId(stateRoot: string): string | undefined {
  const dir = join(stateRoot, 'runs')
  if (!existsSync(dir)) return undefined
  const ids = readdirSync(dir)
  return ids.length === 1 ? ids[0] : undefined
}

/** Polls until `predicate` holds on the parsed state; every read must parse. */
export async function waitForState(stateRoot: string, predicate: (s: RunState) => boolean, child?: ChildProcess): Promise<RunState> {
  for (;;) {
    const id = onlyRunId(stateRoot)
    if (id) {
      const file = join(stateRoot, 'runs', id, 'state.json')
      if (existsSync(file)) {
        const state = JSON.parse(readFileSync(file, 'utf8')) as RunState
        if (predicate(state)) return state
      }
    }
    if (child && child.exitCode !== null) throw new Error(`runner exited (${child.exitCode}) before the state was reached`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

export async function waitForFile(file: string, child?: ChildProcess): Promise<string> {
  for (;;) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8')
      if (text.endsWith('\n')) return text.trim()
    }
    if (child && child.exitCode !== null) throw new Error(`runner exited (${child.exitCode}) before ${file} appeared`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Alive and not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

export async function waitGone(pid: number): Promise<void> {
  while (processAlive(pid)) await new Promise((r) => setTimeout(r, 20))
}
