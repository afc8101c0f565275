/**
 * The run's lock against the ways a holder dies: a zombie (exited, not yet
 * reaped), a lock file left by a killed runner, and many runners racing for
 * one left-behind lock. Contenders are real processes.
 */
import {afterAll, describe, expect, it} from 'vitest'
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {acquireLock} from '../../src/execute/lock.js'
import {RunbookError} from '../../src/errors.js'
import {tempDir, transpile} from './helpers.js'

const dirs: string[] = []
function dir(): string {
  const d = tempDir('rb-lock-')
  dirs.push(d)
  return d
}
let lockJs: string | undefined
const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  for (const d of dirs) rmSync(d, {recursive: true, force: true})
})

/**
 * A process that, for each line `FILE`, takes the lock on FILE and says `won` or
 * `lost`; it holds every lock it won until its stdin ends.
 */
function contender(): ChildProcess {
  lockJs ??= transpile('src/execute/lock.ts')
  const code = `
import {acquireLock} from ${JSON.stringify(lockJs)}
import {createInterface} from 'node:readline'
const held = []
const lines = createInterface({input: process.stdin})
lines.on('line', (file) => {
  try { held.push(acquireLock(file, 'run')); process.stdout.write('won\\n') }
  catch (e) { process.stdout.write(e.exitCode === 2 ? 'lost\\n' : 'error ' + e.message + '\\n') }
})
lines.once('close', () => { for (const lock of held) lock.release() })
process.stdout.write('ready\\n')
`
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {stdio: ['pipe', 'pipe', 'inherit']})
  children.push(child)
  return child
}

function nextLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let text = ''
    const onData = (chunk: Buffer) => {
      text += chunk.toString()
      const nl = text.indexOf('\n')
      if (nl < 0) return
      child.stdout!.off('data', onData)
      resolve(text.slice(0, nl))
    }
    child.stdout!.on('data', onData)
  })
}

let dead: number | undefined
/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  dead ??= Number(spawnSync('bash', ['-c', 'echo $$'], {encoding: 'utf8'}).stdout.trim())
  return dead
}

describe('lock', () => {
  it('refuses a second runner with a clear message, and frees the file on release', () => {
    const file = join(dir(), 'lock')
    const first = acquireLock(file, 'run-1')
    const held = JSON.parse(readFileSync(file, 'utf8'))
    expect(held).toEqual({pid: process.pid, hostname: hostname(), startedAt: held.startedAt})
    let error: unknown
    try {
      acquireLock(file, 'run-1')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(RunbookError)
    expect((error as RunbookError).exitCode).toBe(2)
    expect((error as Error).message).toBe(
      `Run run-1 is already being run by process ${process.pid} on ${hostname()} (started ${held.startedAt}). Wait for it to finish: its lock ${file} frees itself when that process ends.`,
    )
    first.release()
    expect(existsSync(file)).toBe(false)
    acquireLock(file, 'run-1').release()
  })

  it('takes over a lock file left by a runner that is gone, and says whose it was', () => {
    const file = join(dir(), 'lock')
    const stale = {pid: deadPid(), hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z'}
    writeFileSync(file, JSON.stringify(stale))
    const lock = acquireLock(file, 'run-2')
    expect(lock.tookOver).toEqual(stale)
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid)
    lock.release()
  })

  it('a lock whose holder is a zombie (exited, parent not reaping) does not block', async () => {
    const file = join(dir(), 'lock')
    lockJs ??= transpile('src/execute/lock.ts')
    const holder = `import {acquireLock} from ${JSON.stringify(lockJs)}; acquireLock(${JSON.stringify(file)}, 'run'); process.stdout.write(process.pid + '\\n')`
    // bash starts the holder, then becomes `sleep`, which never reaps it: the holder exits into a zombie.
    const parent = spawn('bash', ['-c', `"$0" --input-type=module -e "$1" & exec sleep 300`, process.execPath, holder], {stdio: ['ignore', 'pipe', 'inherit']})
    children.push(parent)
    const pid = Number(await nextLine(parent))
    let state = ''
    for (let i = 0; i < 500 && state !== 'Z'; i++) {
      state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))![1]!
      if (state !== 'Z') await new Promise((r) => setTimeout(r, 20))
    }
    expect(state).toBe('Z')
    const lock = acquireLock(file, 'run')
    expect(lock.tookOver?.pid).toBe(pid)
    lock.release()
    parent.kill('SIGKILL')
  })

  it('of 60 pairs of runners racing for a left-behind lock, exactly one of each pair wins', async () => {
    const root = dir()
    const pair = [contender(), contender()]
    await Promise.all(pair.map(nextLine))
    const results: string[] = []
    for (let i = 0; i < 60; i++) {
      const file = join(root, `lock-${i}`)
      writeFileSync(file, JSON.stringify({pid: deadPid(), hostname: hostname(), startedAt: 'then'}))
      const said = pair.map(nextLine)
      // Both are told at once; each holds what it wins, so the loser tries while the lock is held or taken over.
      for (const c of pair) c.stdin!.write(file + '\n')
      results.push((await Promise.all(said)).sort().join(' '))
    }
    for (const c of pair) c.stdin!.end()
    await Promise.all(pair.map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(null)))))
    expect(results).toEqual(Array.from({length: 60}, () => 'lost won'))
    // Each winner released what it held: no lock file is left.
    for (let i = 0; i < 60; i++) expect(existsSync(join(root, `lock-${i}`))).toBe(false)
  })
})
