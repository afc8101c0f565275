/**
 * The state folder on a full filesystem and on a read-only one (real tmpfs
 * mounts): a clean failure, exit 1, one paragraph naming the folder, the run
 * recorded as failed where the disk takes it, the lock released.
 * Mounting needs root: without it the file skips, saying so.
 */
import {afterAll, describe, expect, it} from 'vitest'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {runCli} from '../helpers/cli.js'
import {runPlan} from '../../src/execute/executor.js'
import {answers, makePlan, recorder, tempDir} from './helpers.js'

const base = tempDir('rb-disk-')
const full = join(base, 'full')
const readOnly = join(base, 'ro')
const midRun = join(base, 'mid')
mkdirSync(full)
mkdirSync(readOnly)
mkdirSync(midRun)
const mounted: string[] = []
function mount(dir: string, options: string): boolean {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], {encoding: 'utf8'})
  if (r.status === 0) mounted.push(dir)
  return r.status === 0
}
const canMount = mount(full, 'size=64k,mode=0700') && mount(readOnly, 'size=64k,ro')
if (!canMount) console.warn('full-disk tests skipped: mounting a tmpfs needs root (mount -t tmpfs failed)')

afterAll(async () => {
  // A run's shell may still be leaving its folder on the mount for a moment after the runner ended (umount: busy).
  for (const dir of mounted.reverse()) {
    for (let i = 0; i < 50 && spawnSync('umount', [dir]).status !== 0; i++) await new Promise((r) => setTimeout(r, 100))
    if (spawnSync('mountpoint', ['-q', dir]).status === 0) spawnSync('umount', ['-l', dir])
  }
  rmSync(base, {recursive: true, force: true})
})

const page = join(base, 'flood.md')
writeFileSync(
  page,
  '# Flood\n\n## Install\n\n### Step 1: Print a lot\n\n```bash\nfor i in $(seq 1 20000); do echo "line $i of output that fills the disk"; done\n```\n\n### Step 2: After\n\n```bash\necho after\n```\n',
)

/**
 * `plan` run in-process with `breakFolder` called on the run folder once the first step is under way (before its log
 * opens); what came out: the error the run stopped on, the step ends (status and error), the output lines.
 */
async function runBreakingFolder(plan: ReturnType<typeof makePlan>, state: string, breakFolder: (runDir: string) => void) {
  const rec = recorder()
  let dir = ''
  const beforeStep = async (): Promise<void> => {
    dir = join(state, 'runs', readdirSync(join(state, 'runs'))[0]!)
    breakFolder(dir)
  }
  const failure = await runPlan({plan, values: {}, stateRoot: state, reporter: rec.reporter, interaction: answers(), resumeCommand: (id) => id, hooks: {beforeStep}}).then(
    () => undefined,
    (error: Error) => error,
  )
  const ends = rec.events.flatMap((e) => (e.type === 'step-end' ? [[e.status, e.error]] : []))
  return {dir, failure, ends, lines: rec.lines()}
}

describe.skipIf(!canMount)('the state folder on a full or read-only filesystem', () => {
  it('full: the step fails, the run is recorded failed, the lock is released, one paragraph names the folder', () => {
    const state = join(full, 'state')
    const r = runCli(['run', page, '--no-tui', '--state-dir', state])
    expect(r.code).toBe(1)
    const [id] = readdirSync(join(state, 'runs'))
    const dir = join(state, 'runs', id!)
    expect(r.stderr).toBe(
      `runbook: Cannot write to the run folder ${dir}: no space left on the device (ENOSPC). The run stopped at step 1 (Print a lot). The run is recorded as failed. Free space or fix the folder (or pass --state-dir to keep runs elsewhere), then resume the run.\n`,
    )
    expect(r.stdout).toContain(`Cannot write the step log ${dir}/logs/01-print-a-lot.log: ENOSPC: no space left on device, write.`)
    expect(r.stdout).not.toContain('after\n')
    const recorded = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))
    expect(recorded.status).toBe('failed')
    expect(recorded.steps.map((s: {status: string}) => s.status)).toEqual(['failed', 'pending'])
    expect(existsSync(join(dir, 'lock'))).toBe(false)
    // The run lists, and the other commands read it.
    const runs = runCli(['runs', '--state-dir', state])
    expect(runs.stdout).toMatch(new RegExp(`^${id} +Flood +\\S+ \\S+ +failed +1/2 Print a lot \\(failed\\)$`, 'm'))
  })

  it('read-only: nothing runs, exit 1, one paragraph names the folder', () => {
    const state = join(readOnly, 'state')
    const r = runCli(['run', page, '--no-tui', '--state-dir', state])
    expect(r.stderr).toBe(
      `runbook: Cannot write to the run folder ${state}: the filesystem is read-only (EROFS). Nothing ran. Free space or fix the folder (or pass --state-dir to keep runs elsewhere), then run it again.\n`,
    )
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
  })

  it('the folder fails while a step runs: the step\'s end is still reported, then the run stops on the folder', async () => {
    // The run folder turns read-only (a read-only bind mount over it) once the step is under way, before the state write its
    // start deferred: deterministic, the hook blocks the event loop until then. Under load, a disk the step's output filled did the same.
    const plan = makePlan([{title: 'Sleep', script: 'sleep 0.2; echo slept'}, {title: 'After', script: 'echo after'}])
    const {dir, failure, ends, lines} = await runBreakingFolder(plan, join(midRun, 'state'), (runDir) => {
      expect(spawnSync('mount', ['--bind', runDir, runDir]).status).toBe(0)
      mounted.push(runDir)
      expect(spawnSync('mount', ['-o', 'remount,bind,ro', runDir]).status).toBe(0)
    })
    expect(failure?.message).toBe(
      `Cannot write to the run folder ${dir}: the filesystem is read-only (EROFS). The run stopped at step 1 (Sleep). Its state could not be recorded either: ${dir}/state.json still says it is running, and a resume runs step 1 again from its start. Free space or fix the folder (or pass --state-dir to keep runs elsewhere), then resume the run.`,
    )
    expect(ends).toEqual([
      ['failed', `Cannot write the step log ${dir}/logs/01-step-1.log: EROFS: read-only file system, open '${dir}/logs/01-step-1.log'. Free the disk or fix the run folder's permissions, then resume: this step runs again.`],
    ])
    expect(lines).toContain('slept')
    expect(lines).not.toContain('after')
    expect(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).steps.map((s: {status: string}) => s.status)).toEqual(['pending', 'pending'])
  })

  it('the step log alone cannot be written (its folder full, the state still writable): the same stop, the run recorded failed', async () => {
    // logs/ becomes a full one-page tmpfs once the step is under way; state.json beside it stays writable.
    const plan = makePlan([{title: 'Talk', script: 'echo talking'}, {title: 'After', script: 'echo after'}])
    const {dir, failure, ends} = await runBreakingFolder(plan, join(base, 'logs-full'), (runDir) => {
      const logs = join(runDir, 'logs')
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', logs]).status).toBe(0)
      mounted.push(logs)
      expect(spawnSync('sh', ['-c', `head -c 4096 /dev/zero > ${logs}/filler`]).status).toBe(0)
    })
    expect(failure?.message).toBe(
      `Cannot write to the run folder ${dir}: no space left on the device (ENOSPC). The run stopped at step 1 (Talk). The run is recorded as failed. Free space or fix the folder (or pass --state-dir to keep runs elsewhere), then resume the run.`,
    )
    expect(ends).toEqual([
      ['failed', `Cannot write the step log ${dir}/logs/01-step-1.log: ENOSPC: no space left on device, write. Free the disk or fix the run folder's permissions, then resume: this step runs again.`],
    ])
    const recorded = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'))
    expect([recorded.status, recorded.steps.map((s: {status: string}) => s.status)]).toEqual(['failed', ['failed', 'pending']])
    expect(existsSync(join(dir, 'lock'))).toBe(false)
  })
})
