/**
 * The TUI in a real terminal: tmux runs test/ui/fixtures/driver.mjs at 80×24,
 * we press keys with send-keys and read the screen with capture-pane. Waits
 * poll for text (bounded); nothing here asserts on timing.
 *
 * The bridge is compiled on its own (tsconfig.tui.json), so work in progress
 * elsewhere in src/ cannot stop these tests; its errors are ignored, ours are not.
 *
 * UPDATE_SCREEN=1 also writes the mid-run screen to docs/screen.txt.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const BUILD = join(ROOT, 'node_modules/.cache/runbook-tui')
const FIXTURES = join(ROOT, 'test/ui/fixtures')
const SOCKET = `runbook-ui-test-${process.pid}`
const SECRET = 'hunter2-s3cr3t'
const hasTmux = spawnSync('tmux', ['-V']).status === 0

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'})
  if (result.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

/** One tmux session running the driver; every screen read is kept for the secret check. */
class Pane {
  readonly screens: string[] = []
  readonly results: string
  readonly go: string

  constructor(
    readonly name: string,
    readonly dir: string,
  ) {
    this.results = join(dir, 'results.json')
    this.go = join(dir, 'go')
  }

  start(scenario: string): void {
    // CI=true as on a CI runner: the app still draws every frame (ink-env.ts).
    const env = [`TUI_DIST=${BUILD}`, `CI=true`, `RESULTS=${this.results}`, `GO_FILE=${this.go}`, `EDITOR=${join(FIXTURES, 'fake-editor.sh')}`]
    const command = `cd ${ROOT} && env ${env.join(' ')} node ${join(FIXTURES, 'driver.mjs')} ${scenario} 2>${join(this.dir, 'stderr.txt')}; echo DRIVER-EXIT $?; sleep 120`
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

  /** Poll the screen until every text is on it (10 s at most). */
  async waitFor(...texts: string[]): Promise<string> {
    let screen = ''
    for (let i = 0; i < 200; i++) {
      screen = this.capture()
      if (texts.every((t) => screen.includes(t))) return screen
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`waited for ${JSON.stringify(texts)}; the screen shows:\n${screen}\nstderr:\n${this.stderr()}`)
  }

  stderr(): string {
    const file = join(this.dir, 'stderr.txt')
    return existsSync(file) ? readFileSync(file, 'utf8') : ''
  }

  result(): Record<string, unknown> {
    return existsSync(this.results) ? JSON.parse(readFileSync(this.results, 'utf8')) : {}
  }
}

/** The visible rows, trailing blank rows dropped. */
function rows(screen: string): string[] {
  const lines = screen.replace(/\n$/, '').split('\n')
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop()
  return lines
}

describe.skipIf(!hasTmux)('the TUI in tmux at 80×24', () => {
  let dir: string

  beforeAll(() => {
    const build = spawnSync('npx', ['tsc', '-p', join(FIXTURES, 'tsconfig.tui.json')], {cwd: ROOT, encoding: 'utf8'})
    const ours = build.stdout.split('\n').filter((line) => line.startsWith('src/ui/'))
    expect(ours).toEqual([])
    expect(existsSync(join(BUILD, 'ui/tui.js'))).toBe(true)
    dir = mkdtempSync(join(tmpdir(), 'runbook-ui-e2e-'))
  })

  afterAll(() => {
    spawnSync('tmux', ['-L', SOCKET, 'kill-server'])
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  test('a whole run: choice, secret, failure and retry, editor, manual step, flood, summary', async () => {
    const pane = new Pane('full', mkdtempSync(join(dir, 'full-')))
    pane.start('full')

    // A choice before the plan: arrow down, Enter.
    await pane.waitFor('? Which procedure of this page?', '❯ Docker')
    pane.keys('Down')
    await pane.waitFor('❯ All-in-one installer')
    pane.keys('Enter')

    // A secret: typed, shown as stars only.
    await pane.waitFor('? Value for API_TOKEN (secret', 'Install the Wallarm NGINX node › All-in-one installer')
    pane.type(SECRET)
    const typed = await pane.waitFor('› ' + '*'.repeat(SECRET.length))
    expect(typed).not.toContain(SECRET)
    pane.keys('Enter')

    // A failure: the menu, the log viewer (scrolled), back, Retry.
    let screen = await pane.waitFor('✗ 3. Configure NGINX failed: exit code 1', '❯ Retry (r)', 'Roll back (b)')
    expect(screen).toContain(' ✓  2  Install packages')
    expect(screen).not.toContain('evil title')
    pane.keys('l')
    screen = await pane.waitFor('Log lines 284–301 of 301 · ', 'nginx: [emerg] unknown directive "wallarm_mode"')
    pane.keys('PPage')
    screen = await pane.waitFor('Log lines 266–283 of 301 · ', 'log line 266')
    pane.keys('q')
    await pane.waitFor('❯ Retry (r)')
    pane.keys('Enter')

    // The editor gets the terminal (it reads a line from it), then the screen comes back whole.
    await pane.waitFor('fake editor: editing', 'type a line:')
    pane.type('hello-from-editor')
    pane.keys('Enter')
    screen = await pane.waitFor('» By hand: 5. Open the firewall. Press Enter when done.')
    expect(rows(screen).slice(0, 9)).toEqual([
      'Install the Wallarm NGINX node › All-in-one installer        run 20240501-7f3a2c',
      'Platform Ubuntu 22.04.4 LTS x86_64 (from /etc/os-release)',
      'Tabs     Ubuntu 22.04, x86_64 (platform) · Filtering (choice)',
      '── Steps ───────────────────────────────────────────────────────────────────────',
      ' ✓  1  Add the Wallarm repository                                           2.1s',
      ' ✓  2  Install packages                                                      14s',
      ' ✓  3  Configure NGINX                                              try 2 · 0.7s',
      ' ✓  4  Edit the node config                                                 5.0s',
      expect.stringMatching(/^ [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]  5  Open the firewall +\d+\.\ds$/),
    ])
    pane.keys('Enter')

    // A flood of 100 000 lines: only the tail shows, the frame keeps its 23 rows.
    screen = await pane.waitFor('Setting up libwallarm-mod-100000 (4.10.90-1) ...', '↷  6  Register the node in the Cloud')
    expect(rows(screen).slice(-3)).toEqual([
      '  Setting up libwallarm-mod-99999 (4.10.89-1) ...',
      '  Setting up libwallarm-mod-100000 (4.10.90-1) ...',
      expect.stringMatching(/^7\/8 · 0:\d\d · ctrl-c stop$/),
    ])
    expect(rows(screen)).toHaveLength(23)
    if (process.env.UPDATE_SCREEN) {
      mkdirSync(join(ROOT, 'docs'), {recursive: true})
      writeFileSync(join(ROOT, 'docs/screen.txt'), rows(screen).join('\n') + '\n')
    }
    writeFileSync(pane.go, '')

    screen = await pane.waitFor('✓ Done', 'DRIVER-EXIT 0')
    expect(screen).toContain('Steps   7 done · 0 failed · 1 skipped · 1m 32s')
    expect(screen).toContain('Logs    /tmp/')

    const result = pane.result()
    expect(result).toMatchObject({choice: 1, token: SECRET, failure: 'retry', editor: 0, manual: true, finished: true})
    expect(readFileSync(result.editedFile as string, 'utf8')).toBe('hello-from-editor\n')
    // A flood leaves no trace in memory: far less than the lines it printed would take.
    expect(result.heapMiB).toBeLessThan(120)
    // The secret was typed, but never on screen, not even in the scrollback.
    pane.capture(true)
    expect(pane.screens.filter((s) => s.includes(SECRET))).toEqual([])
    expect(pane.stderr()).not.toMatch(/Error/)
  })

  test('resize reflows; Ctrl-C once stops (shows stopping…), twice aborts; the summary gives the resume command', async () => {
    const pane = new Pane('interrupt', mkdtempSync(join(dir, 'interrupt-')))
    pane.start('interrupt')
    await pane.waitFor('Downloading key…', 'ctrl-c stop')

    // Narrower and shorter: the frame reflows, and nothing of the wider one is left behind.
    tmux('resize-window', '-t', pane.name, '-x', '60', '-y', '20')
    const narrow = await pane.waitFor('── Steps ─────────────────────────────────────── 1–6 of 8 ──')
    expect(rows(narrow)).toEqual([
      'Install the Wallarm NGINX node › All-in… run 20240501-7f3a2c',
      'Platform Ubuntu 22.04.4 LTS x86_64 (from /etc/os-release)',
      'Tabs     Ubuntu 22.04, x86_64 (platform) · Filtering (choic…',
      '── Steps ─────────────────────────────────────── 1–6 of 8 ──',
      expect.stringMatching(/^ [⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]  1  Add the Wallarm repository {2,}\d+\.\ds$/),
      ' ·  2  Install packages',
      ' ·  3  Configure NGINX',
      ' ·  4  Edit the node config',
      ' ·  5  Open the firewall',
      ' ·  6  Register the node in the Cloud',
      '── 1. Add the Wallarm repository ───────────────────────────',
      '$ curl -fsSL https://repo.wallarm.com/key.gpg | sudo gpg --…',
      '  Downloading key…',
      expect.stringMatching(/^1\/8 · 0:0\d · ctrl-c stop$/),
    ])
    tmux('resize-window', '-t', pane.name, '-x', '80', '-y', '24')
    await pane.waitFor('── Steps ───────────────────────────────────────────────────────────────────────')

    pane.keys('C-c')
    const screen = await pane.waitFor('stopping…', 'ctrl-c abort now')
    expect(rows(screen).at(-1)).toMatch(/^1\/8 · 0:0\d · stopping… · ctrl-c abort now$/)
    expect(pane.result()).toEqual({interrupted: true})
    pane.keys('C-c')
    const end = await pane.waitFor('Resume  runbook resume 20240501-7f3a2c', 'DRIVER-EXIT 0')
    expect(end).toContain('! Interrupted at step 1: Add the Wallarm repository\nSteps   0 done · 0 failed · 0 skipped · 1 interrupted · 7 not run · 1.5s\n')
    expect(pane.result()).toEqual({interrupted: true, aborted: true})
  })
})
