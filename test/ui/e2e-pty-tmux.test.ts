/**
 * A step that asks, at a real terminal: tmux runs the built CLI at 80×24 on
 * the fixture installer (two questions, the second hidden, a `\r` progress
 * bar). We type the answers as a person would, hand the step the whole
 * terminal with ctrl-] and take it back; then the same in plain mode
 * (`--no-tui`), where the step gets the terminal directly. Waits poll the
 * screen (bounded); nothing asserts on timing.
 *
 * UPDATE_SCREEN=1 also writes the waiting screen into docs/screen.txt.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const MAIN = join(ROOT, 'dist/cli/main.js')
const PAGE = join(ROOT, 'test/fixtures/runbooks/prompting-installer.md')
const SOCKET = `runbook-pty-test-${process.pid}`
const SECRET = 'typed-Tok3n-zz9'
const hasTmux = spawnSync('tmux', ['-V']).status === 0
const SCREEN_MARK = '\nA step waiting for input (test/fixtures/runbooks/prompting-installer.md):\n\n'

if (!hasTmux) console.warn('[runbook tests] tmux is absent: the terminal tests of prompting steps are skipped (apt-get install tmux).')

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

class Pane {
  readonly screens: string[] = []
  readonly state: string

  constructor(
    readonly name: string,
    readonly dir: string,
  ) {
    this.state = join(dir, 'state')
  }

  start(...flags: string[]): void {
    // CI=true as on a CI runner: the app draws every frame at a terminal all the same (ink-env.ts).
    // The installer's last screen stays 20 s: a loaded machine once took over 3 s between two captures and missed it.
    const env = `PTY_FIXTURES=${join(ROOT, 'test/fixtures')} INSTALLER_LINGER=20 CI=true CONTINUOUS_INTEGRATION=1`
    const command = `cd ${ROOT} && env ${env} node ${MAIN} run ${PAGE} --state-dir ${this.state} ${flags.join(' ')} 2>${join(this.dir, 'stderr.txt')}; echo RUN-EXIT $?; sleep 120`
    tmux('new-session', '-d', '-s', this.name, '-x', '80', '-y', '24', command)
  }

  capture(history = false): string {
    const screen = tmux('capture-pane', '-p', '-t', this.name, ...(history ? ['-S', '-'] : []))
    this.screens.push(screen)
    return screen
  }

  keys(...keys: string[]): void {
    tmux('send-keys', '-t', this.name, ...keys)
  }

  type(text: string): void {
    tmux('send-keys', '-t', this.name, '-l', text)
  }

  /** Polls until `ok(screen)` (2 minutes at most: under a loaded CI a start-up alone can take seconds). */
  async until(what: string, ok: (screen: string) => boolean): Promise<string> {
    let screen = ''
    const deadline = Date.now() + 120_000
    while (Date.now() < deadline) {
      screen = this.capture()
      if (ok(screen)) return screen
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`waited for ${what}; the screen shows:\n${screen}\nstderr:\n${this.stderr()}`)
  }

  waitFor(...texts: string[]): Promise<string> {
    return this.until(JSON.stringify(texts), (screen) => texts.every((t) => screen.includes(t)))
  }

  stderr(): string {
    const file = join(this.dir, 'stderr.txt')
    return existsSync(file) ? readFileSync(file, 'utf8') : ''
  }

  runDir(): string {
    return join(this.state, 'runs', readdirSync(join(this.state, 'runs'))[0]!)
  }
}

function rows(screen: string): string[] {
  const lines = screen.replace(/\n$/, '').split('\n')
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop()
  return lines
}

/** The rows between the running command and the footer: the step's pane. */
function paneRows(screen: string): string[] {
  const all = rows(screen)
  const command = all.findIndex((row) => row.startsWith('$ sh "$PTY_FIXTURES/pty/installer.sh"'))
  return all.slice(command + 1, -1)
}

describe.skipIf(!hasTmux)('a step that asks, at a terminal (tmux, 80×24)', () => {
  let dir: string

  beforeAll(() => {
    if (!existsSync(MAIN)) spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], {cwd: ROOT})
    dir = mkdtempSync(join(tmpdir(), 'runbook-pty-e2e-'))
  })

  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server'])
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  test('the Ink app: the pane shows the prompt and takes the typed answers; ctrl-] lends the whole terminal and takes it back', {timeout: 600_000}, async () => {
    const pane = new Pane('ink', mkdtempSync(join(dir, 'ink-')))
    pane.start()

    let screen = await pane.waitFor('⌨ Waiting for input: Cloud region (us/eu): — type the answer here, Enter sends…')
    expect(paneRows(screen)).toEqual(['  Welcome to the demo installer.', '  Cloud region (us/eu):', '⌨ Waiting for input: Cloud region (us/eu): — type the answer here, Enter sends…'])
    expect(rows(screen).at(-1)).toMatch(/^2\/3 · 0:\d\d · ctrl-] whole terminal {2}ctrl-c stop$/)
    if (process.env.UPDATE_SCREEN) {
      const doc = join(ROOT, 'docs/screen.txt')
      const before = readFileSync(doc, 'utf8').split(SCREEN_MARK)[0]!
      writeFileSync(doc, before + SCREEN_MARK + rows(screen).join('\n') + '\n')
    }
    pane.type('eu')
    pane.keys('Enter')
    await pane.waitFor('⌨ Waiting for input: API token: — type the answer here, Enter sends it')

    // The whole terminal: the step's own screen, no frame of ours; the same key brings the frame back.
    pane.keys('C-]')
    screen = await pane.until('the step alone on the screen', (s) => !s.includes('── Steps') && s.includes('API token:'))
    expect(rows(screen)).toEqual(['Welcome to the demo installer.', 'Cloud region (us/eu): eu', 'API token:'])
    pane.keys('C-]')
    await pane.waitFor('── Steps', '⌨ Waiting for input: API token:')

    pane.type(SECRET)
    pane.keys('Enter')
    // The finished screen: 101 redraws of the bar are one row of the pane.
    screen = await pane.waitFor('Installed for region eu (token of 15 characters).')
    expect(paneRows(screen)).toEqual([
      '  Welcome to the demo installer.',
      '  Cloud region (us/eu): eu',
      '  API token:',
      '  Installing [##################################################] 100%',
      '  Installed for region eu (token of 15 characters).',
      // The cursor's row, where the step would write next.
      '',
    ])
    screen = await pane.waitFor('✓ Done', 'RUN-EXIT 0')
    expect(screen).toContain('Steps   3 done · 0 failed · 0 skipped · ')

    expect(readFileSync(join(pane.runDir(), 'work/answers.txt'), 'utf8')).toBe(`region=eu\ntoken=${SECRET}\n`)
    const log = readFileSync(join(pane.runDir(), 'logs/02-run-the-installer.log'), 'utf8')
    expect(log.split('\n').filter((l) => l.includes('Installing ['))).toEqual(['Installing [##################################################] 100%'])
    // Typed with echo off: never on screen, not even in the scrollback, nor in the log.
    pane.capture(true)
    expect(pane.screens.filter((s) => s.includes(SECRET))).toEqual([])
    expect(log).not.toContain(SECRET)
    // Ink shows the cursor again on stderr as it exits; nothing else goes there.
    expect(pane.stderr().replace('\u001B[?25h', '')).toBe('')
  })

  test('plain mode at a terminal: the step gets the terminal directly, the reporter carries on after it', {timeout: 400_000}, async () => {
    const pane = new Pane('plain', mkdtempSync(join(dir, 'plain-')))
    pane.start('--no-tui')
    await pane.waitFor('Cloud region (us/eu):')
    pane.type('us')
    pane.keys('Enter')
    await pane.waitFor('API token:')
    pane.type(SECRET)
    pane.keys('Enter')
    const screen = await pane.waitFor('✓ Step 3 done', 'RUN-EXIT 0')
    const shown = rows(screen)
    const from = shown.indexOf('==> Step 2/3: Run the installer')
    expect(shown.slice(from, from + 7)).toEqual([
      '==> Step 2/3: Run the installer',
      '$ sh "$PTY_FIXTURES/pty/installer.sh"',
      'Welcome to the demo installer.',
      'Cloud region (us/eu): us',
      'API token:',
      'Installing [##################################################] 100%',
      'Installed for region us (token of 15 characters).',
    ])
    expect(readFileSync(join(pane.runDir(), 'work/answers.txt'), 'utf8')).toBe(`region=us\ntoken=${SECRET}\n`)
    pane.capture(true)
    expect(pane.screens.filter((s) => s.includes(SECRET))).toEqual([])
  })
})
