/**
 * Steps that ask, run by the real CLI without a terminal: a fixture installer
 * (two questions, the second hidden, a 100-step `\r` progress bar, a file
 * with the answers) answered from the page's `:::answers`, from `--answer`,
 * and not at all (the step is stopped and the prompt named, exit 1).
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {allFiles, repoRoot} from './helpers.js'
import {displayPath} from '../../src/graph/text.js'

const main = join(repoRoot, 'dist', 'cli', 'main.js')
const pages = join(repoRoot, 'test', 'fixtures', 'runbooks')
const TOKEN = 'tok-Pty-s3cr3t-4242'
let root: string

beforeAll(() => {
  const newest = Math.max(...allFiles(join(repoRoot, 'src')).map((f) => statSync(f).mtimeMs))
  if (!existsSync(main) || newest > statSync(main).mtimeMs) {
    spawnSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoRoot, 'tsconfig.json')], {cwd: repoRoot})
  }
  root = mkdtempSync(join(tmpdir(), 'rb-pty-'))
}, 120_000)

afterAll(() => {
  if (root) rmSync(root, {recursive: true, force: true})
})

/** The CLI with no terminal anywhere: stdin is /dev/null, output goes to pipes. */
function cli(args: string[]) {
  const state = mkdtempSync(join(root, 'state-'))
  const r = spawnSync(process.execPath, [main, ...args, '--state-dir', state], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1', PTY_FIXTURES: join(repoRoot, 'test', 'fixtures')},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const runId = existsSync(join(state, 'runs')) ? readdirSync(join(state, 'runs'))[0] : undefined
  const dir = runId ? join(state, 'runs', runId) : ''
  return {code: r.status, stdout: r.stdout, stderr: r.stderr, runId, dir, state}
}

const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : undefined)

describe('a step that asks, without a terminal', () => {
  it('with no answer: stopped at the prompt, which the error names with the ways to answer it; exit 1', () => {
    const run = cli(['run', join(pages, 'prompting-installer.md')])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'Step 2 (Run the installer) asked "Cloud region (us/eu):" and stopped to wait for an answer, but there is no terminal to ask on, and no declared answer matches; it was stopped rather than fed an empty answer. ' +
        "Answer it with --answer 'Cloud region (us/eu)=VALUE' (text the prompt shows, then what to type), declare it in the page next to the command (a :::answers fence or an <!-- answers Cloud region (us/eu)=VALUE --> comment), or run it at a terminal.",
    )
    expect(run.stdout).toContain('Failed in ')
    // It never went on with an empty answer.
    expect(existsSync(join(run.dir, 'work', 'answers.txt'))).toBe(false)
    expect(read(join(run.dir, 'logs', '02-run-the-installer.log'))).toContain('# waited for input nobody can give: "Cloud region (us/eu):"\n')
    const state = JSON.parse(read(join(run.dir, 'state.json'))!)
    expect(state.steps.map((s: {status: string}) => s.status)).toEqual(['done', 'failed', 'pending'])
  })

  it("with the page's :::answers (a placeholder for the secret one): answered, the progress bar one line, the secret nowhere", () => {
    const run = cli(['run', join(pages, 'prompting-installer-answers.md'), '--set', `API_TOKEN=${TOKEN}`])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(read(join(run.dir, 'work', 'answers.txt'))).toBe(`region=eu\ntoken=${TOKEN}\n`)
    const log = read(join(run.dir, 'logs', '01-run-the-installer.log'))!
    const lines = log.split('\n')
    // The screen as a person saw it: 101 redraws of the bar are one line.
    expect(lines.filter((l) => l.includes('Installing ['))).toEqual(['Installing [##################################################] 100%'])
    expect(lines.slice(lines.indexOf('Welcome to the demo installer.'), -1)).toEqual([
      'Welcome to the demo installer.',
      'Cloud region (us/eu): eu',
      'API token:',
      'Installing [##################################################] 100%',
      'Installed for region eu (token of 19 characters).',
      '# exit 0',
    ])
    expect(log).toContain('# answered "Cloud region (us/eu):" (prompting-installer-answers.md:13: Cloud region)\n')
    expect(log).toContain('# answered "API token:" (prompting-installer-answers.md:14: API token)\n')
    // The raw stream is kept beside it, every redraw included.
    const raw = read(join(run.dir, 'logs', '01-run-the-installer.raw'))!
    expect(raw.split('\rInstalling [')).toHaveLength(102)
    // The plain reporter printed the finished lines only.
    expect(run.stdout).toContain('  | Installing [##################################################] 100%\n  | Installed for region eu (token of 19 characters).\n')
    expect(run.stdout.match(/Installing \[/g)).toHaveLength(1)
    // A step that cannot ask ran in the run's shell: no terminal, no raw stream.
    expect(existsSync(join(run.dir, 'logs', '02-check.raw'))).toBe(false)
    for (const file of allFiles(run.dir).filter((f) => !f.includes(`${join('work', 'answers.txt')}`))) {
      expect(readFileSync(file, 'utf8'), file).not.toContain(TOKEN)
    }
    expect(run.stdout).not.toContain(TOKEN)

    const printed = spawnSync(process.execPath, [main, 'log', run.runId!, '1', '--raw', '--state-dir', run.state], {encoding: 'utf8'})
    expect(printed.status).toBe(0)
    expect(printed.stdout).toBe(raw)
    const none = spawnSync(process.execPath, [main, 'log', run.runId!, '2', '--raw', '--state-dir', run.state], {encoding: 'utf8'})
    expect(none.status).toBe(1)
    expect(none.stderr).toBe(`Step 2 of run ${run.runId} did not run on a terminal, so it has no raw stream: its log ('runbook log ${run.runId} 2') is all of its output.\n`)
  })

  it('with --answer flags: a pattern that names a credential makes its value a secret (masked)', () => {
    const run = cli(['run', join(pages, 'prompting-installer.md'), '--answer', 'region (us/eu)=us', '--answer', `/^API token:/=${TOKEN}`])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(read(join(run.dir, 'work', 'answers.txt'))).toBe(`region=us\ntoken=${TOKEN}\n`)
    const log = read(join(run.dir, 'logs', '02-run-the-installer.log'))!
    expect(log).toContain('# answered "API token:" (--answer: /^API token:/)\n')
    expect(run.stdout).toContain('  | token=(set)\n')
    for (const file of allFiles(run.dir).filter((f) => !f.endsWith('answers.txt'))) expect(readFileSync(file, 'utf8'), file).not.toContain(TOKEN)
  })

  it('the dry-run says which commands run on a terminal and why, what apt and dpkg are told without one, and the declared answers', () => {
    const r = spawnSync(process.execPath, [main, 'run', join(pages, 'prompting-installer-answers.md'), '--dry-run', '--json'], {cwd: repoRoot, encoding: 'utf8'})
    expect(r.status).toBe(0)
    const plan = JSON.parse(r.stdout)
    expect(plan.steps.map((step: {actions: Array<{terminal: unknown}>}) => step.actions.map((a) => a.terminal))).toEqual([
      [{pty: true, reason: 'runs the script "$PTY_FIXTURES/pty/installer.sh", which may ask', unattendedEnv: {}}],
      [{pty: false, unattendedEnv: {}}],
    ])
    expect(plan.steps[0].answers).toEqual([
      {pattern: 'Cloud region', value: 'eu', source: 'test/fixtures/runbooks/prompting-installer-answers.md:13'},
      {pattern: 'API token', value: '<API_TOKEN>', source: 'test/fixtures/runbooks/prompting-installer-answers.md:14'},
    ])
    const page = join(root, 'apt.md')
    writeFileSync(page, '# Apt\n\n## Step 1: Install\n\n```bash\nsudo apt-get install -y nginx\n```\n')
    const text = spawnSync(process.execPath, [main, 'run', page, '--dry-run'], {cwd: repoRoot, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
    expect(text.stdout).toContain('    $ sudo apt-get install -y nginx\n      ↳ without a terminal: DEBIAN_FRONTEND=noninteractive\n')
  })

  it('a malformed answer is a usage error naming the flag or the page line (exit 2)', () => {
    const flag = cli(['run', join(pages, 'prompting-installer.md'), '--answer', 'no equals sign'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain(`--answer "no equals sign": expected PATTERN=VALUE (text the prompt shows, '=', what to type), got "no equals sign".`)
    const page = join(root, 'bad-answers.md')
    writeFileSync(page, '# Bad\n\n## Step 1: Ask\n\n```bash\nread -r x\n```\n\n<!-- answers\nName=bob\n=nothing before\n-->\n')
    const bad = cli(['run', page])
    expect(bad.code).toBe(2)
    // Named as the engine names files: relative to where it runs when that is shorter (displayPath).
    expect(bad.stderr).toContain(`${displayPath(page, repoRoot)}:11: an answer of step 1 the pattern before '=' is empty in "=nothing before": give text the prompt shows.`)
  })

  it('an <!-- answers --> comment answers a `read` the same way', () => {
    const page = join(root, 'comment-answers.md')
    writeFileSync(page, '# Ask\n\n## Step 1: Ask the name\n\n```bash\nread -r -p "Your name? " name\necho "hello $name" > hello.txt\n```\n\n<!-- answers\nYour name=Ada Lovelace\n-->\n')
    const run = cli(['run', page])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(read(join(run.dir, 'work', 'hello.txt'))).toBe('hello Ada Lovelace\n')
  })
})

describe("a step on a terminal: its lines and arguments, as in a fresh shell", () => {
  it("bash's own message names the step's line, and $# is 0", () => {
    const page = join(root, 'lines.md')
    writeFileSync(page, '# Lines\n\n## Step 1: Ask and fail\n\n```bash\nread -r -p "Your name? " name\necho "args=$# name=$name"\nnonexistent-command-xyz\n```\n\n<!-- answers\nYour name=Ada\n-->\n')
    const run = cli(['run', page])
    expect(run.code).toBe(1)
    const log = read(join(run.dir, 'logs', '01-ask-and-fail.log'))!
    expect(log.split('\n').filter((line) => /^(args=|runbook: )/.test(line))).toEqual([
      'args=0 name=Ada',
      'runbook: line 3: nonexistent-command-xyz: command not found',
      'runbook: line 3 exited with 127',
    ])
    expect(run.stdout).toContain('Line 3 of the command, `nonexistent-command-xyz`, exited with code 127.')
  })
})

/** A process that is gone, or a zombie nobody reaped yet, no longer runs. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const stat = read(`/proc/${pid}/stat`)
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (ok()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`waited for ${what}`)
}

describe('a step on a terminal is stopped like any other', () => {
  const page = () => {
    const file = join(root, 'long.md')
    writeFileSync(file, "# Long\n\n## Step 1: Wait\n\n```bash\nsh -c 'echo $$ > pid.txt; exec sleep 120'\n```\n\n<!-- answers\nnever asked=x\n-->\n")
    return file
  }

  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    it(`${signal} to the runner stops the step's group${signal === 'SIGINT' ? ' and records it interrupted (exit 130)' : ''}`, async () => {
      const state = mkdtempSync(join(root, 'state-'))
      const child = spawn(process.execPath, [main, 'run', page(), '--state-dir', state], {cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      const pidFile = () => {
        const runs = existsSync(join(state, 'runs')) ? readdirSync(join(state, 'runs')) : []
        return runs[0] ? join(state, 'runs', runs[0], 'work', 'pid.txt') : ''
      }
      await until('the step to start', () => pidFile() !== '' && (read(pidFile()) ?? '').trim() !== '')
      const pid = Number(read(pidFile())!.trim())
      expect(running(pid)).toBe(true)
      child.kill(signal)
      const code = await exited
      await until(`process ${pid} of the step to go`, () => !running(pid))
      if (signal === 'SIGINT') {
        expect(code).toBe(130)
        const runDir = join(state, 'runs', readdirSync(join(state, 'runs'))[0]!)
        const recorded = JSON.parse(read(join(runDir, 'state.json'))!)
        expect(recorded.steps[0].status).toBe('interrupted')
      }
    }, 120_000)
  }
})
