/**
 * The Tarantool guide for real, as root on Debian: install, configure, start
 * and check Tarantool, then roll the run back and find the machine as it was
 * (same `dpkg -l`, same file hashes, new files gone, no tarantool process).
 * The second test fails the run at step 3, after the instance started.
 *
 * The steps are read from runbooks/tarantool.md with a small fence scanner
 * (the Debian tab) and run with the rollback hooks around each, the way the
 * executor runs them.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PassThrough} from 'node:stream'
import {rollback} from '../../src/cli/commands/rollback.js'
import {loadPlan} from '../../src/cli/pipeline.js'
import {runPlan} from '../../src/execute/executor.js'
import {createRollbackHooks, defaultFilesOf, defaultScriptsOf, inferEffects, planRollback, runRollback} from '../../src/execute/rollback/index.js'
import {createPlainInteraction, createPlainReporter} from '../../src/ui/plain.js'
import {scanFences} from './helpers/fences.js'
import {e2eBlocker, ensureAptLists, holdMachine, listening, machineState, releaseMachine} from './helpers/machine.js'
import {runSteps, type TestStep} from './helpers/steps.js'

const blocker = e2eBlocker()
if (blocker) console.warn(`tarantool e2e skipped: ${blocker} (it installs packages for real and needs root on Debian).`)

const temp = mkdtempSync(join(tmpdir(), 'rb-tarantool-'))
afterAll(() => rmSync(temp, {recursive: true, force: true}))

/** The steps of a guide, with the Debian tab of each. */
function stepsOf(file: string): TestStep[] {
  const steps = new Map<string, string[]>()
  for (const f of scanFences(readFileSync(file, 'utf8'))) {
    if (!f.step || (f.tab && f.tab !== 'Debian')) continue
    steps.set(f.step, [...(steps.get(f.step) ?? []), f.text])
  }
  return [...steps].map(([title, scripts], i) => ({id: `step-${i + 1}`, title, script: scripts.join('\n')}))
}

/** Files the run touches: what its scripts name, the accounts a package adds, the package's own paths. */
async function touched(steps: TestStep[]): Promise<string[]> {
  const paths = new Set(['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/gshadow', '/etc/tarantool', '/var/lib/tarantool', '/var/log/tarantool', '/var/run/tarantool', '/usr/bin/tarantool', '/usr/bin/tarantoolctl', '/etc/default/tarantool', '/etc/init.d/tarantool', '/lib/systemd/system/tarantool@.service'])
  for (const s of steps) for (const e of await inferEffects(s.script)) if (e.kind === 'file' && !e.dynamic) paths.add(e.path)
  return [...paths].sort()
}

/** The machine is as it was: same package list, same file hashes, no instance, port closed. */
async function expectAsBefore(before: Awaited<ReturnType<typeof machineState>>, paths: string[]): Promise<void> {
  const after = await machineState(paths)
  expect(after.dpkg).toBe(before.dpkg)
  expect(after.files).toEqual(before.files)
  expect(after.processes).toEqual([])
  expect(await listening(3313)).toBe(false)
}

describe.skipIf(blocker !== null)('Tarantool guide, run and rolled back for real', () => {
  beforeAll(async () => {
    await holdMachine()
    await ensureAptLists()
  }, 1_800_000)
  afterAll(releaseMachine)

  it('rolls back a completed run to the machine it started from', {timeout: 600_000}, async () => {
    const steps = stepsOf('runbooks/tarantool.md')
    expect(steps.map((s) => s.title)).toEqual(['Step 1: Install the Tarantool packages', 'Step 2: Configure the instance', 'Step 3: Start the instance', 'Step 4: Check that Tarantool answers'])
    const paths = await touched(steps)
    expect(paths).toContain('/etc/tarantool/instances.enabled/runbook.lua')
    const before = await machineState(paths)
    expect(before.processes).toEqual([])

    const root = join(temp, 'done')
    expect(await runSteps(root, 'tarantool-done', steps, temp)).toEqual(['done', 'done', 'done', 'done'])
    const during = await machineState(paths)
    // The run really changed the machine: packages, the tarantool account, a running instance.
    expect(during.dpkg).not.toBe(before.dpkg)
    expect(during.files['/etc/passwd']).not.toBe(before.files['/etc/passwd'])
    expect(during.processes.length).toBeGreaterThan(0)
    expect(await listening(3313)).toBe(true)
    expect(during.files['/etc/tarantool/instances.enabled/runbook.lua']).not.toBe('absent')

    const plan = await planRollback(join(root, 'runs', 'tarantool-done'))
    expect(plan.blocked).toBeUndefined()
    // Step 4 only reads the port: it changed nothing, so it has no journal and nothing to undo.
    expect(plan.steps.map((s) => s.stepId)).toEqual(['step-3', 'step-2', 'step-1'])
    expect(await runRollback(plan, {yes: true})).toEqual({exitCode: 0, status: 'done'})

    await expectAsBefore(before, paths)
  })

  it('rolls back a run that failed at step 3 after starting the instance', {timeout: 600_000}, async () => {
    const steps = stepsOf('test/fixtures/rollback/tarantool-failing.md')
    const paths = await touched(steps)
    const before = await machineState(paths)
    const root = join(temp, 'failed')
    expect(await runSteps(root, 'tarantool-failed', steps, temp)).toEqual(['done', 'done', 'failed'])
    expect(await listening(3313)).toBe(true)

    const plan = await planRollback(join(root, 'runs', 'tarantool-failed'))
    expect(plan.steps.map((s) => [s.stepId, s.status])).toEqual([['step-3', 'failed'], ['step-2', 'done'], ['step-1', 'done']])
    expect(await runRollback(plan, {yes: true})).toEqual({exitCode: 0, status: 'done'})

    await expectAsBefore(before, paths)
  })

  it('runs the guide through the engine with the rollback hooks, and `runbook rollback` undoes it', {timeout: 600_000}, async () => {
    // The real parser, planner and executor; only the `run` command's wiring is done here by hand.
    const {plan} = await loadPlan({target: 'runbooks/tarantool.md', includePaths: [], choose: [], set: {}, env: process.env})
    const paths = await touched(plan.steps.map((s, i) => ({id: s.id, title: s.title, script: defaultScriptsOf(s).join('\n') || String(i)})))
    const before = await machineState(paths)
    const root = join(temp, 'engine')
    const sink = new PassThrough()
    sink.resume()
    const result = await runPlan({
      plan, values: {}, stateRoot: root, yes: true, resumeCommand: (id) => `runbook resume ${id}`,
      reporter: createPlainReporter(sink, {color: false}),
      interaction: createPlainInteraction({yes: true, input: new PassThrough(), output: sink, isTTY: false}),
      hooks: createRollbackHooks({scriptsOf: defaultScriptsOf, filesOf: defaultFilesOf, cwd: (_step, journalDir) => join(journalDir, '..', '..', 'work')}),
    })
    expect(result.exitCode).toBe(0)
    expect(await listening(3313)).toBe(true)

    await expect(rollback([result.runId, '--state-dir', root])).rejects.toThrow('pass --yes')
    expect(await rollback([result.runId, '--state-dir', root, '--yes', '--no-color'])).toBe(0)
    await expectAsBefore(before, paths)
  })
})
