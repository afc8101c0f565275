/**
 * The CLI end to end: `node dist/cli/main.js` on fixture runbooks (built first
 * when dist/ is missing or older than src/).
 */
import {describe, it, expect, beforeAll} from 'vitest'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {hostname} from 'node:os'
import {allFiles, repoRoot, tempDir} from './helpers.js'
import {exited, waitForState} from './child.js'

const main = join(repoRoot, 'dist', 'cli', 'main.js')
const fixtures = join(repoRoot, 'test', 'fixtures', 'runbooks')

function newest(dir: string): number {
  return Math.max(...allFiles(dir).map((f) => statSync(f).mtimeMs))
}

beforeAll(() => {
  if (!existsSync(main) || newest(join(repoRoot, 'src')) > statSync(main).mtimeMs) {
    // As `npm run build`: tsc, then the bundle. Other stages may be mid-work: tsc still emits what compiles.
    spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'tsconfig.json')], {cwd: repoRoot})
    spawnSync(process.execPath, [join(repoRoot, 'src', 'build', 'bundle.mjs')], {cwd: repoRoot})
  }
}, 120_000)

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [main, ...args], {cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: {...process.env, NO_COLOR: '1', ...env}, stdio: ['ignore', 'pipe', 'pipe']})
  return {code: r.status, stdout: r.stdout, stderr: r.stderr}
}

const count = (dir: string, name: string) => (existsSync(join(dir, 'data', name)) ? readFileSync(join(dir, 'data', name), 'utf8').split('\n').filter(Boolean).length : 0)

describe('runbook run (CLI)', () => {
  it('fails at step 3, then --resume runs 3 onward and not 1-2', () => {
    const state = tempDir('rb-cli-state-')
    const work = tempDir('rb-cli-work-')
    writeFileSync(join(work, 'artifact.sh'), 'echo artifact-ran\n')
    const page = join(fixtures, 'local-counter.md')
    const first = cli(['run', page, '--set', `TEST_DIR=${work}`, '--state-dir', state])
    expect(first.stderr).toBe('')
    expect(first.code).toBe(1)
    const runId = readdirSync(join(state, 'runs'))[0]!
    expect(first.stdout.split('\n').slice(-4)).toEqual([
      'Failed in ' + first.stdout.split('\n').at(-4)!.slice('Failed in '.length),
      `Run folder: ${join(state, 'runs', runId)}`,
      `Resume with: runbook run ${page} --resume --state-dir ${state}`,
      '',
    ])
    expect(first.stdout).toContain(`✗ Step 3 failed (exit 1) — log: ${join(state, 'runs', runId, 'logs', '03-wait-for-the-marker.log')}\n  Line 2 of the command, \`test -f '${work}'/marker\`, exited with code 1.\n`)
    expect([1, 2, 3, 4].map((n) => count(work, `step${n}`))).toEqual([1, 1, 1, 0])

    writeFileSync(join(work, 'marker'), '')
    const second = cli(['run', page, '--resume', '--set', `TEST_DIR=${work}`, '--state-dir', state])
    expect(second.stderr).toBe('')
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('- Step 1 skipped (done before)\n- Step 2 skipped (done before)\n» Re-running step 3 from its start.\n==> Step 3/4: Wait for the marker (attempt 2)\n')
    expect(second.stdout).toContain('  | artifact-ran\n')
    expect([1, 2, 3, 4].map((n) => count(work, `step${n}`))).toEqual([1, 1, 2, 1])
    const saved = JSON.parse(readFileSync(join(state, 'runs', runId, 'state.json'), 'utf8'))
    expect(saved.status).toBe('done')
    expect(saved.parameters).toEqual([{name: 'TEST_DIR', secret: false, value: work}])

    const runs = cli(['runs', '--state-dir', state])
    expect(runs.code).toBe(0)
    const started = saved.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
    expect(runs.stdout).toBe(`ID${' '.repeat(runId.length - 2)}  RUNBOOK        STARTED               STATUS  STEP\n${runId}  Local counter  ${started}  done    -\n`)

    const log = cli(['log', runId, '3', '--state-dir', state])
    expect(log.code).toBe(0)
    expect(log.stdout.split('\n').filter((l) => !l.startsWith('# step'))).toEqual([
      `$ echo x >> '${work}'/data/step3`,
      `test -f '${work}'/marker`,
      'runbook: line 2 exited with 1',
      '# exit 1',
      `$ echo x >> '${work}'/data/step3`,
      `test -f '${work}'/marker`,
      '# exit 0',
      '',
    ])
  })

  it('refuses a missing value without a terminal before running anything', () => {
    const state = tempDir('rb-cli-state-')
    const r = cli(['run', join(fixtures, 'register-node.md'), '--state-dir', state, '--set', 'GROUP=g'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('runbook: No value for API_TOKEN, TEST_DIR, and no terminal to ask on. Pass --set API_TOKEN=… --set TEST_DIR=…, or set RUNBOOK_API_TOKEN=… RUNBOOK_TEST_DIR=… in the environment.\n')
    expect(existsSync(join(state, 'runs'))).toBe(false)
  })

  it('keeps a secret from the environment out of every file of the run, and a second runner out', async () => {
    const state = tempDir('rb-cli-state-')
    const work = tempDir('rb-cli-work-')
    const token = 'tok-CLI-5e6f7a8b'
    const child = spawn(process.execPath, [main, 'run', join(fixtures, 'register-node.md'), '--state-dir', state, '--set', `TEST_DIR=${work}`, '--set', 'GROUP=default'], {
      cwd: repoRoot,
      env: {...process.env, NO_COLOR: '1', RUNBOOK_API_TOKEN: token},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const running = await waitForState(state, (s) => s.steps[1]?.status === 'running', child)
    const second = cli(['resume', running.runId, '--state-dir', state], {RUNBOOK_API_TOKEN: token})
    expect(second.code).toBe(2)
    const lock = JSON.parse(readFileSync(join(state, 'runs', running.runId, 'lock'), 'utf8'))
    expect(second.stderr).toBe(
      `runbook: Run ${running.runId} is already being run by process ${child.pid} on ${hostname()} (started ${lock.startedAt}). Wait for it to finish: its lock ${join(state, 'runs', running.runId, 'lock')} frees itself when that process ends.\n`,
    )
    writeFileSync(join(work, 'release'), '')
    expect(await exited(child)).toEqual({code: 0, signal: null})
    expect(readFileSync(join(work, 'token'), 'utf8')).toBe(token)
    expect(out).toContain('  | registering with token *** in group default\n')
    expect(out).not.toContain(token)
    for (const file of allFiles(state)) expect({file, leaked: readFileSync(file, 'utf8').includes(token)}).toEqual({file, leaked: false})
  })

  it('resumes a run by id with the values it recorded', () => {
    const state = tempDir('rb-cli-state-')
    const work = tempDir('rb-cli-work-')
    const page = join(fixtures, 'local-counter.md')
    writeFileSync(join(work, 'artifact.sh'), 'echo first\n')
    const first = cli(['run', page, '--set', `TEST_DIR=${work}`, '--state-dir', state])
    expect(first.code).toBe(1)
    const runId = readdirSync(join(state, 'runs'))[0]!
    writeFileSync(join(work, 'marker'), '')
    writeFileSync(join(work, 'artifact.sh'), 'echo by-id\n')
    // TEST_DIR is not secret: the run recorded it, so no --set is needed.
    const again = cli(['resume', runId, '--state-dir', state])
    expect(again.stderr).toBe('')
    expect(again.code).toBe(0)
    expect([1, 2, 3, 4].map((n) => count(work, `step${n}`))).toEqual([1, 1, 2, 1])
    // Step 2 downloaded the first artifact into the run's work folder; step 4 ran that copy.
    expect(again.stdout).toContain('  | first\n')
    expect(cli(['resume', 'no-such-run', '--state-dir', state]).stderr).toBe(`runbook: No run state at ${join(state, 'runs', 'no-such-run', 'state.json')}. Check the run id with 'runbook runs' (and --state-dir if the run used one).\n`)
  })

  it('streams a step that prints a lot to the screen and the log, line for line', () => {
    const state = tempDir('rb-cli-state-')
    const r = cli(['run', join(fixtures, 'flood.md'), '--set', 'LINES=200000', '--state-dir', state])
    expect(r.code).toBe(0)
    const printed = r.stdout.split('\n').filter((l) => l.startsWith('  | '))
    expect(printed.length).toBe(200_000)
    expect(printed[199_999]).toBe('  | line 199999')
    const runId = readdirSync(join(state, 'runs'))[0]!
    const log = readFileSync(join(state, 'runs', runId, 'logs', '01-print-a-lot.log'), 'utf8').split('\n')
    // Header, command, 200 000 lines, exit, and the final newline.
    expect(log.length).toBe(1 + 1 + 200_000 + 1 + 1)
    expect(log.slice(-3)).toEqual(['line 199999', '# exit 0', ''])
  })

  it('prints the plan with --dry-run and creates no run', () => {
    const state = tempDir('rb-cli-state-')
    const r = cli(['run', join(fixtures, 'local-counter.md'), '--dry-run', '--set', 'TEST_DIR=/x', '--state-dir', state])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("$ mkdir -p '/x'/data\n")
    expect(existsSync(join(state, 'runs'))).toBe(false)
  })

  it('keeps Ink out of the dry-run and plain paths (static imports of run.ts)', () => {
    const seen = new Set<string>()
    const bare = new Set<string>()
    const queue = [join(repoRoot, 'src', 'cli', 'commands', 'run.ts')]
    while (queue.length > 0) {
      const file = queue.pop()!
      if (seen.has(file)) continue
      seen.add(file)
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gm)) {
        if (m[1]!.startsWith('.')) queue.push(resolve(join(file, '..'), m[1]!.replace(/\.js$/, '.ts')))
        else bare.add(m[1]!)
      }
    }
    expect([...seen].filter((f) => f.includes('/ui/app/') || f.endsWith('/ui/tui.ts'))).toEqual([])
    expect([...bare].filter((b) => b === 'ink' || b === 'react' || b.startsWith('ink-'))).toEqual([])
  })
})

describe('what a run loads', () => {
  it('runs plain commands without execa, Ink, the shell parser, the page parser or the snapshot modules once its caches are warm', () => {
    const state = tempDir('rb-cli-state-')
    const dir = tempDir('rb-cli-load-')
    const page = join(dir, 'plain.md')
    writeFileSync(page, '# Plain\n\n## Run\n\n### Step 1: One\n\n```bash\necho one\n```\n\n### Step 2: Two\n\n```bash\necho two\n```\n')
    const trace = join(dir, 'imports.txt')
    const env = {XDG_CACHE_HOME: join(dir, 'cache')}
    expect(cli(['run', page, '--no-tui', '--state-dir', state], env).code).toBe(0)
    writeFileSync(trace, '')
    const r = spawnSync(process.execPath, ['--import', join(repoRoot, 'test/helpers/trace-imports.mjs'), main, 'run', page, '--no-tui', '--state-dir', state], {
      cwd: repoRoot, encoding: 'utf8', env: {...process.env, NO_COLOR: '1', ...env, TRACE_IMPORTS_FILE: trace},
    })
    expect([r.status, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toContain('Done in ')
    const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean)
    expect(loaded.some((url) => url.endsWith('/dist/cli/commands/run-exec.js'))).toBe(true)
    const heavy = /node_modules\/(execa|ink|react|sh-syntax|micromark|remark-parse)\/|\/dist\/(parse\/|execute\/rollback\/snapshot-|execute\/editor|execute\/kv-file|ui\/dry-run)/
    expect(loaded.filter((url) => heavy.test(url))).toEqual([])
  })
})
