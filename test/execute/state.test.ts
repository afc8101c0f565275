import {describe, it, expect} from 'vitest'
import {existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {acquireLock} from '../../src/execute/lock.js'
import {loadState, StateWriter, type RunState} from '../../src/execute/state.js'
import {newRunId, runPaths, stateRoot, isValidRunId} from '../../src/execute/paths.js'
import {writeFileAtomic} from '../../src/execute/atomic.js'
import {runPlan} from '../../src/execute/executor.js'
import {RunbookError} from '../../src/errors.js'
import {answers, makePlan, recorder, tempDir} from './helpers.js'

describe('paths', () => {
  it('puts runs under XDG_STATE_HOME, ~/.local/state, or --state-dir', () => {
    expect(stateRoot(undefined, {XDG_STATE_HOME: '/x/state', HOME: '/home/u'})).toBe('/x/state/runbook')
    expect(stateRoot(undefined, {HOME: '/home/u'})).toBe('/home/u/.local/state/runbook')
    expect(stateRoot(undefined, {XDG_STATE_HOME: 'relative', HOME: '/home/u'})).toBe('/home/u/.local/state/runbook')
    expect(stateRoot('/tmp/sd', {})).toBe('/tmp/sd')
  })
  it('makes sortable, readable run ids', () => {
    expect(newRunId('/r/Separate Postanalytics.md', new Date(Date.UTC(2026, 10, 22, 1, 45, 12)))).toMatch(/^20261122-014512-separate-postanalytics-[0-9a-f]{4}$/)
    expect(isValidRunId('../etc')).toBe(false)
    expect(isValidRunId('20261122-014512-x-3f9a')).toBe(true)
  })
})

describe('lock', () => {
  it('makes a second runPlan on the same run refuse, exit 2', async () => {
    const root = tempDir()
    const plan = makePlan([{script: 'false'}])
    const r = await runPlan({plan, values: {}, stateRoot: root, reporter: () => {}, interaction: answers(), resumeCommand: (id) => id})
    const paths = runPaths(root, r.runId)
    // Another holder (a lock on its own open file, as another runner has).
    const other = acquireLock(paths.lock, r.runId)
    const held = JSON.parse(readFileSync(paths.lock, 'utf8'))
    await expect(runPlan({plan, values: {}, stateRoot: root, runId: r.runId, reporter: () => {}, interaction: answers(), resumeCommand: (id) => id})).rejects.toMatchObject({
      exitCode: 2,
      message: `Run ${r.runId} is already being run by process ${process.pid} on ${hostname()} (started ${held.startedAt}). Wait for it to finish: its lock ${paths.lock} frees itself when that process ends.`,
    })
    // The refused runner left the other's lock alone.
    expect(JSON.parse(readFileSync(paths.lock, 'utf8'))).toEqual(held)
    other.release()
  })
})

describe('state', () => {
  it('refuses a corrupt state file, naming it, and leaves it alone', async () => {
    const root = tempDir()
    const plan = makePlan([{script: 'false'}])
    const r = await runPlan({plan, values: {}, stateRoot: root, reporter: () => {}, interaction: answers(), resumeCommand: (id) => id})
    const file = runPaths(root, r.runId).state
    writeFileSync(file, '{"version": 1, "runId": ')
    await expect(runPlan({plan, values: {}, stateRoot: root, runId: r.runId, reporter: () => {}, interaction: answers(), resumeCommand: (id) => id})).rejects.toThrow(
      `The run state ${file} is corrupt (Unexpected end of JSON input). It was left as it is; start a new run, or repair or delete that file.`,
    )
    expect(readFileSync(file, 'utf8')).toBe('{"version": 1, "runId": ')
    expect(existsSync(runPaths(root, r.runId).lock)).toBe(false)
    writeFileSync(file, '{"version": 7}')
    expect(() => loadState(file)).toThrow(`The run state ${file} is not a runbook state of version 1 (version: 7 is not 1). It was left as it is; start a new run, or delete that run folder.`)
  })

  it('writes files atomically with the mode asked for', () => {
    const dir = tempDir()
    const file = join(dir, 'f.json')
    writeFileAtomic(file, 'one')
    writeFileAtomic(file, 'two', 0o644)
    expect(readFileSync(file, 'utf8')).toBe('two')
    expect(statSync(file).mode & 0o777).toBe(0o644)
    expect(readdirSync(dir)).toEqual(['f.json'])
  })

  it('records the run in state.json with the documented shape', async () => {
    const root = tempDir()
    const plan = {
      ...makePlan([{id: 'one', script: 'true'}, {id: 'two', script: 'exit 2'}]),
      conditions: [
        {slug: 'if-you-use-tls', text: 'If you use TLS', role: 'conditional' as const, included: true, by: '--with'},
        {slug: 'optional-check', text: '(Optional) Check', role: 'optional' as const, included: false, by: 'not asked'},
      ],
    }
    const rec = recorder()
    const r = await runPlan({plan, values: {}, stateRoot: root, reporter: rec.reporter, interaction: answers(), resumeCommand: (id) => id, target: 'fixture'})
    const state = JSON.parse(readFileSync(runPaths(root, r.runId).state, 'utf8'))
    expect(Object.keys(state)).toEqual(['version', 'runId', 'runbook', 'target', 'platform', 'procedure', 'choices', 'conditions', 'parameters', 'createdAt', 'updatedAt', 'status', 'steps'])
    expect(state.conditions).toEqual({'if-you-use-tls': true, 'optional-check': false})
    expect(state.steps[1]).toEqual({
      id: 'two',
      number: 2,
      title: 'Step 2 title',
      hash: plan.steps[1]!.hash,
      status: 'failed',
      attempts: 1,
      startedAt: state.steps[1].startedAt,
      endedAt: state.steps[1].endedAt,
      log: 'logs/02-two.log',
      exitCode: 2,
      error: 'Command `exit 2` exited with code 2.',
    })
  })
})

describe('resume', () => {
  it('clears the half-written checkpoints a killed runner left, and keeps the rest of the run folder', async () => {
    const root = tempDir()
    const plan = makePlan([{script: 'false'}])
    const run = (runId?: string) => runPlan({plan, values: {}, stateRoot: root, ...(runId ? {runId} : {}), reporter: recorder().reporter, interaction: answers(), resumeCommand: (id) => id})
    const first = await run()
    writeFileSync(join(first.runDir, '.state.json.99999.0a1b2c3d.tmp'), '{"half')
    writeFileSync(join(first.runDir, 'notes.tmp'), 'mine')
    await run(first.runId)
    expect(readdirSync(first.runDir).filter((n) => n.endsWith('.tmp'))).toEqual(['notes.tmp'])
  })
})

describe('StateWriter', () => {
  const state = (): RunState => ({
    version: 1, runId: 'r', runbook: {file: '/r.md', title: 'R', hash: 'h'}, platform: {id: 'debian', versionId: '12', arch: 'x64', source: 'test'} as RunState['platform'],
    procedure: {id: 'p', title: 'P'}, choices: {}, parameters: [], createdAt: 'c', updatedAt: 'u', status: 'running',
    steps: [{id: 's1', number: 1, title: 'S1', hash: 'h1', status: 'pending', attempts: 0}],
  })

  it('leaves the last state on disk, whole, after changes faster than the disk', async () => {
    const dir = tempDir()
    const file = join(dir, 'state.json')
    const st = state()
    const writer = new StateWriter(file, st)
    for (let i = 1; i <= 100; i++) {
      st.steps[0]!.attempts = i
      writer.save()
    }
    await writer.flush()
    expect(loadState(file).steps[0]!.attempts).toBe(100)
    expect(readdirSync(dir)).toEqual(['state.json'])
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('writes a change that may wait with the next one that may not, or on its own soon after, or at flush', async () => {
    const dir = tempDir()
    const file = join(dir, 'state.json')
    const st = state()
    const writer = new StateWriter(file, st)
    st.steps[0]!.status = 'running'
    writer.save(true)
    // Nothing is written yet: a quick step's start and end go to disk as one write.
    expect(existsSync(file)).toBe(false)
    st.steps[0]!.status = 'done'
    writer.save()
    await writer.flush()
    expect(loadState(file).steps[0]!.status).toBe('done')
    // On its own, a deferred change still reaches the disk without a flush.
    st.steps[0]!.attempts = 7
    writer.save(true)
    for (let i = 0; i < 200 && loadState(file).steps[0]!.attempts !== 7; i++) await new Promise((r) => setTimeout(r, 10))
    expect(loadState(file).steps[0]!.attempts).toBe(7)
    st.steps[0]!.attempts = 8
    writer.save(true)
    await writer.flush()
    expect(loadState(file).steps[0]!.attempts).toBe(8)
    expect(readdirSync(dir)).toEqual(['state.json'])
  })

  it('fails the run at the next save or flush when a write fails', async () => {
    const dir = tempDir()
    const file = join(dir, 'gone', 'state.json')
    const writer = new StateWriter(file, state())
    writer.save()
    const error = await writer.flush().then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(RunbookError)
    expect((error as RunbookError).message).toMatch(new RegExp(`^Cannot write the run state ${file}: ENOENT: .*\\. The run stopped; free the disk or fix the folder's permissions, then resume\\.$`))
    expect(() => writer.save()).toThrow(error as Error)
  })
})
