import {describe, it, expect, beforeAll, afterAll} from 'vitest'
import {chmodSync, readFileSync, statSync, existsSync, writeFileSync} from 'node:fs'
import {spawnSync} from 'node:child_process'
import {dirname} from 'node:path'
import {join} from 'node:path'
import {bashArgs, runScript} from '../../src/execute/process.js'
import {createMasker} from '../../src/execute/secrets.js'
import {StepLog} from '../../src/execute/step-log.js'
import {BlockSplitter} from '../../src/execute/lines.js'
import {SUDO_SHIM, hasCommand, sudoPrelude, usesSudo} from '../../src/execute/sudo.js'
import {runPaths} from '../../src/execute/paths.js'
import {loadState} from '../../src/execute/state.js'
import {makePlan, tempDir} from './helpers.js'
import {removeChildRunner, childRunner, exited, onlyRunId, startRunner} from './child.js'

const none = createMasker([])

async function run(script: string, cwd = tempDir(), prelude = SUDO_SHIM) {
  const lines: string[] = []
  const result = await runScript({prelude, script, cwd, masker: none, onOutput: (stream, block) => lines.push(...block.text.split('\n').map((line) => `${stream}: ${line}`))})
  return {result, lines}
}

describe('runScript', () => {
  it('streams stdout and stderr line by line and records the exit code', async () => {
    const {result, lines} = await run('echo a; echo b >&2; printf "no newline"; exit 7')
    expect(result.exitCode).toBe(7)
    expect(result.signal).toBeUndefined()
    expect(result.endedAt.getTime()).toBeGreaterThanOrEqual(result.startedAt.getTime())
    expect(lines.sort()).toEqual(['stderr: b', 'stdout: a', 'stdout: no newline'])
  })

  it('records a signal that killed the script', async () => {
    const {result} = await run('kill -TERM $$')
    expect(result.signal).toBe('SIGTERM')
    expect(result.exitCode).toBeUndefined()
  })

  it('keeps the script out of argv and fd 3 out of its commands', async () => {
    const {lines} = await run('# MARK-IN-SCRIPT\ngrep -c MARK-IN-SCRIPT /proc/$$/cmdline || true\nif [ -e /proc/$$/fd/3 ]; then echo fd3-open; else echo fd3-closed; fi')
    expect(lines).toEqual(['stdout: 0', 'stdout: fd3-closed'])
    expect(bashArgs().slice(0, 5)).toEqual(['--noprofile', '--norc', '-e', '-o', 'pipefail'])
  })

  it('splits long lines without holding them whole', () => {
    const s = new BlockSplitter(4)
    expect(s.push(Buffer.from('abcdefghij\nxy'))?.text).toBe('abcd\nefgh\nij')
    expect(s.held).toBe(2)
    expect(s.push(Buffer.from([0xc3]))).toBeUndefined()
    const last = s.push(Buffer.from([0xa9, 0x0a]))
    expect(last?.text).toBe('xyé')
    expect(last?.bytes).toEqual([Buffer.from('xyé\n')])
    expect(s.end()).toBeUndefined()
  })

  it('streams a 50 MB flood to the log byte for byte, with little memory', async () => {
    const root = tempDir('rb-flood-state-')
    const work = tempDir('rb-flood-work-')
    // 500 000 lines of 99 characters and a newline.
    const script = `awk 'BEGIN { for (i = 0; i < 500000; i++) print "${'x'.repeat(99)}" }'`
    const rssFile = join(work, 'rss')
    const child = startRunner({plan: makePlan([{id: 'flood', script}]), stateRoot: root}, work, {env: {RUNBOOK_TEST_RSS_FILE: rssFile}, stdout: 'ignore'})
    expect(await exited(child)).toEqual({code: 0, signal: null})
    const runId = onlyRunId(root)!
    const state = loadState(runPaths(root, runId).state)
    const log = join(runPaths(root, runId).dir, state.steps[0]!.log!)
    const header = `# step 1: Step 1 title (attempt 1, ${state.steps[0]!.startedAt})\n$ ${script}\n`
    const footer = '# exit 0\n'
    expect(statSync(log).size).toBe(Buffer.byteLength(header) + 50_000_000 + Buffer.byteLength(footer))
    const fd = readFileSync(log)
    expect(fd.subarray(0, Buffer.byteLength(header)).toString()).toBe(header)
    expect(fd.subarray(fd.length - footer.length).toString()).toBe(footer)
    expect(Number(readFileSync(rssFile, 'utf8'))).toBeLessThan(200 * 1024 * 1024)
  })
})

describe('sudo', () => {
  it('finds sudo in command position only', () => {
    expect(['sudo apt install x', 'a && sudo b', 'x | sudo tee f', 'if true; then sudo ls; fi', '(sudo ls)', 'echo sudo', 'pseudo x', 'visudo'].map(usesSudo)).toEqual([true, true, true, true, true, false, false, false])
  })

  it('stands in for sudo as root when sudo is missing', async () => {
    expect(sudoPrelude(true, false)).toBe(SUDO_SHIM)
    expect(sudoPrelude(true, true)).toBe('')
    expect(sudoPrelude(false, false)).toBe('')
    const {result, lines} = await run(`sudo echo plain\nsudo -E env X=1 sh -c 'echo $X'\necho piped | sudo tee /dev/null\nsudo -u root echo as-root\nbash -c 'sudo echo nested'\nsudo -u nobody echo never`)
    expect(lines).toEqual([
      'stdout: plain',
      'stdout: 1',
      'stdout: piped',
      'stdout: as-root',
      'stdout: nested',
      "stderr: runbook: 'sudo -u nobody echo never' needs sudo, which is not installed here",
      'stderr: runbook: line 6 exited with 1',
    ])
    expect(result.exitCode).toBe(1)
    expect(result.failedLine).toBe(6)
  })
})

describe('sudo as non-root', () => {
  it('stops before the first step when sudo is needed and missing', async () => {
    const root = tempDir('rb-nonroot-state-')
    const work = tempDir('rb-nonroot-work-')
    const runner = childRunner()
    // The test runs as root: run the runner as nobody, with what it needs readable.
    for (const p of [root, work, dirname(dirname(dirname(runner))), dirname(dirname(runner)), dirname(runner)]) chmodSync(p, 0o777)
    for (const d of ['src', 'src/execute', 'src/ui', 'src/resolve', 'src/graph', 'src/cli', 'test', 'test/execute']) {
      const full = join(dirname(dirname(dirname(runner))), d)
      if (existsSync(full)) chmodSync(full, 0o755)
    }
    const job = join(work, 'job.json')
    writeFileSync(job, JSON.stringify({plan: makePlan([{script: 'echo one'}, {script: 'sudo apt-get install -y x'}]), values: {}, stateRoot: root}))
    chmodSync(job, 0o644)
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, runner, job], {encoding: 'utf8'})
    expect(r.stderr).toBe('')
    expect(r.status).toBe(1)
    const why = hasCommand('sudo')
      ? 'and there is no terminal to ask for its password. Run runbook as root, or configure passwordless sudo for this user.'
      : 'which is not installed. Run runbook as root, or install and configure sudo.'
    expect(r.stdout).toContain(`! Step 2 uses sudo, ${why}\n`)
    expect(r.stdout).not.toContain('==> Step 1')
  })
})

describe('step log', () => {
  it('appends, in the order written, what came before the file was open too', async () => {
    const dir = tempDir()
    const log = new StepLog(join(dir, 'logs', 'a.log'))
    log.write('one\n')
    log.write('')
    log.writeBytes([Buffer.from('two\n'), Buffer.from('three\n')])
    await log.close()
    log.write('after close\n')
    const again = new StepLog(join(dir, 'logs', 'a.log'))
    await new Promise((r) => setTimeout(r, 20))
    again.write('four\n')
    await again.close()
    expect(readFileSync(join(dir, 'logs', 'a.log'), 'utf8')).toBe('one\ntwo\nthree\nfour\n')
    expect(statSync(join(dir, 'logs', 'a.log')).mode & 0o777).toBe(0o600)
  })

  it('fails at close, naming the file, when it cannot be written', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'logs'), 'a file where the folder should be')
    const log = new StepLog(join(dir, 'logs', 'a.log'))
    log.write('lost\n')
    await expect(log.close()).rejects.toThrow(`Cannot write the step log ${join(dir, 'logs', 'a.log')}: ENOTDIR: not a directory, open '${join(dir, 'logs', 'a.log')}'. Free the disk or fix the run folder's permissions, then resume: this step runs again.`)
  })
})

beforeAll(() => {
  childRunner()
})
afterAll(removeChildRunner)
