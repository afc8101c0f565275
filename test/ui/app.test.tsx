/** The whole screen at 80×24, driven through the store as the executor would. */
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, test, vi} from 'vitest'
import {render} from 'ink-testing-library'
import {App} from '../../src/ui/app/App.js'
import {createRunStore, type RunStoreOptions} from '../../src/ui/app/store.js'
import {expectFrame, frame, KEY, press, settle, withColor} from './helpers.js'
import * as f from './fixtures.js'

const SIZE = {columns: 80, rows: 24}
const p = f.plan()

/** A store stamping events at `t` (settable), and the app rendering it at 80×24 with a frozen clock. */
function setup(options: Partial<RunStoreOptions> = {}, now = 75_000) {
  const clock = {t: 1000}
  const store = createRunStore({title: 'wallarm', clock: () => clock.t, throttleMs: 0, ...options})
  const ui = render(<App store={store} color={false} clock={() => now} tickMs={0} size={SIZE} />)
  return {store, clock, ...ui}
}

/** Run-start, steps 1–2 done, step 3 running with a command and output. */
function midRun(store: ReturnType<typeof setup>['store'], clock: {t: number}) {
  store.report(f.runStart(p))
  store.report(f.stepStart(p, 0))
  store.report(f.stepEnd(p, 0, 'done', 2100))
  store.report(f.stepStart(p, 1))
  store.report(f.stepEnd(p, 1, 'done', 14_200))
  clock.t = 60_000
  store.report(f.stepStart(p, 2))
  store.report(f.actionStart(p, 2, 0, 'sudo cp /etc/nginx/conf.d/default.conf /etc/nginx/conf.d/wallarm.conf'))
  for (let i = 1; i <= 12; i++) store.report(f.output(p, 2, `\u001B[32mout ${i}\u001B[0m`))
}

const HEADER = [
  'Install the Wallarm NGINX node › All-in-one installer           run 20240501-abc',
  'Platform Ubuntu 22.04.4 LTS x86_64 (from /etc/os-release)',
  'Tabs     Ubuntu 22.04, x86_64 (platform) · Filtering (choice)',
]
const STEPS = (third: string) => [
  '── Steps ───────────────────────────────────────────────────────────────────────',
  ' ✓  1  Add the Wallarm repository                                           2.1s',
  ' ✓  2  Install packages                                                      14s',
  third,
  ' ·  4  Edit the node config',
  ' ·  5  Open the firewall',
  ' ·  6  Register the node in the Cloud',
  ' ·  7  Start the services',
  ' ·  8  Check the node works',
]
const RUNNING_3 = ' ⠋  3  Configure NGINX                                                       15s'

describe('App', () => {
  test('before the plan: the title, a choice, and its keys', async () => {
    const {store, lastFrame, stdin} = setup()
    const answer = store.ask<number>({kind: 'choose', question: 'Which procedure of this page?', options: ['Docker', 'All-in-one installer']}, {value: -1})
    await expectFrame(
      lastFrame,
      frame([
        'wallarm',
        '────────────────────────────────────────────────────────────────────────────────',
        '? Which procedure of this page?',
        '❯ Docker',
        '  All-in-one installer',
        '0:00 · ↑↓ move  enter select  ctrl-c stop',
      ]),
    )
    await press(stdin, KEY.down, KEY.enter)
    await expect(answer).resolves.toBe(1)
    await expectFrame(lastFrame, frame(['wallarm', '0:00 · ctrl-c stop']))
  })

  test('mid-run: header, steps, the command and the last output rows, footer; 23 rows', async () => {
    const {store, clock, lastFrame} = setup()
    midRun(store, clock)
    const expected = frame([
      ...HEADER,
      ...STEPS(RUNNING_3),
      '── 3. Configure NGINX ──────────────────────────────────────────────────────────',
      '$ sudo cp /etc/nginx/conf.d/default.conf /etc/nginx/conf.d/wallarm.conf',
      ...[5, 6, 7, 8, 9, 10, 11, 12].map((i) => `  out ${i}`),
      '3/8 · 1:14 · ctrl-c stop',
    ])
    await expectFrame(lastFrame, expected)
    expect(expected.split('\n')).toHaveLength(23)
  })

  test('a failure: the menu under the output; the log viewer and back; Retry', async () => {
    const {store, clock, lastFrame, stdin} = setup()
    midRun(store, clock)
    const dir = mkdtempSync(join(tmpdir(), 'runbook-app-'))
    const log = join(dir, '03.log')
    writeFileSync(log, Array.from({length: 40}, (_, i) => `log ${i + 1}`).join('\n'))
    store.report(f.stepEnd(p, 2, 'failed', 800, {exitCode: 1, error: 'exit code 1', logFile: log}))
    const choice = store.ask({kind: 'failure', step: '3. Configure NGINX', error: 'exit code 1', logFile: log, canRollback: false}, {value: 'abort'})
    const menu = frame([
      ...HEADER,
      ...STEPS(' ✗  3  Configure NGINX                                             exit 1 · 0.8s'),
      '── 3. Configure NGINX ──────────────────────────────────────────────────────────',
      '$ sudo cp /etc/nginx/conf.d/default.conf /etc/nginx/conf.d/wallarm.conf',
      ...[8, 9, 10, 11, 12].map((i) => `  out ${i}`),
      '✗ 3. Configure NGINX failed: exit code 1',
      `  Log ${log}`,
      '❯ Retry (r)   Skip (s)   Open log (l)   Abort (a)',
      '3/8 · 1:14 · ←→ move  enter choose  ctrl-c stop',
    ])
    await expectFrame(lastFrame, menu)

    await press(stdin, 'l')
    await expectFrame(
      lastFrame,
      frame([
        ...HEADER,
        `Log lines 23–40 of 40 · ${log}`,
        ...Array.from({length: 18}, (_, i) => `log ${23 + i}`),
        '3/8 · 1:14 · ↑↓ pgup pgdn scroll  q close  ctrl-c stop',
      ]),
    )
    await press(stdin, 'q')
    await expectFrame(lastFrame, menu)
    await press(stdin, 'r')
    await expect(choice).resolves.toBe('retry')
  })

  test('a secret prompt never shows the secret, before or after Enter', async () => {
    const {store, clock, frames, stdin, lastFrame} = setup()
    midRun(store, clock)
    const value = store.ask<string>({kind: 'value', name: 'API_TOKEN', secret: true, hint: 'From Wallarm Console.'}, {value: ''})
    await settle()
    await press(stdin, 'hunter2-s3cr3t')
    await settle()
    expect(lastFrame()!.split('\n').slice(-3)).toEqual(['  From Wallarm Console.', '› **************_', '3/8 · 1:14 · enter submit  ctrl-u clear  ctrl-c stop'])
    await press(stdin, KEY.enter)
    await expect(value).resolves.toBe('hunter2-s3cr3t')
    expect(frames.filter((frame) => frame.includes('hunter2'))).toEqual([])
  })

  test('a manual action: the instruction once, in the prompt', async () => {
    const {store, clock, lastFrame, stdin} = setup()
    midRun(store, clock)
    store.report(f.stepEnd(p, 2, 'done', 900))
    store.report(f.stepStart(p, 3))
    store.report(f.actionStart(p, 3, 0, 'Open port 443 on the load balancer.'))
    const done = store.ask<boolean>({kind: 'manual', step: '4. Edit the node config', text: 'Open port 443 on the load balancer.'}, {value: false})
    await expectFrame(
      lastFrame,
      frame([
        ...HEADER,
        ...STEPS(' ✓  3  Configure NGINX                                                      0.9s').map((row) =>
          row.startsWith(' ·  4') ? ' ⠋  4  Edit the node config                                                  15s' : row,
        ),
        '── 4. Edit the node config ─────────────────────────────────────────────────────',
        '» By hand: 4. Edit the node config. Press Enter when done.',
        '  Open port 443 on the load balancer.',
        '4/8 · 1:14 · enter done  q stop the run  ctrl-c stop',
      ]),
    )
    await press(stdin, KEY.enter)
    await expect(done).resolves.toBe(true)
  })

  test('the end: the summary with the resume command; no footer', async () => {
    const {store, clock, lastFrame} = setup()
    midRun(store, clock)
    store.report(f.stepEnd(p, 2, 'failed', 800, {exitCode: 1}))
    store.report({type: 'run-end', status: 'failed', counts: f.counts({done: 2, failed: 1, pending: 5}), durationMs: 62_000, runDir: '/var/lib/runbook/runs/20240501-abc', resumeCommand: 'runbook resume 20240501-abc'})
    await expectFrame(
      lastFrame,
      frame([
        ...HEADER,
        ...STEPS(' ✗  3  Configure NGINX                                             exit 1 · 0.8s'),
        '────────────────────────────────────────────────────────────────────────────────',
        '✗ Failed at step 3: Configure NGINX',
        'Steps   2 done · 1 failed · 0 skipped · 5 not run · 1m 02s',
        'Logs    /var/lib/runbook/runs/20240501-abc',
        'Resume  runbook resume 20240501-abc',
      ]),
    )
  })

  test('Ctrl-C once: stopping…, onInterrupt, the prompt cancelled; twice: onAbort', async () => {
    const onInterrupt = vi.fn()
    const onAbort = vi.fn()
    const {store, clock, lastFrame, stdin} = setup({onInterrupt, onAbort})
    midRun(store, clock)
    const step = store.ask({kind: 'step', step: '4. Edit the node config', commands: []}, {value: 'quit'})
    await press(stdin, KEY.ctrlC)
    await expect(step).resolves.toBe('quit')
    expect(onInterrupt).toHaveBeenCalledTimes(1)
    await settle()
    expect(lastFrame()!.split('\n').at(-1)).toBe('3/8 · 1:14 · stopping… · ctrl-c abort now')
    await press(stdin, KEY.ctrlC)
    expect(onAbort).toHaveBeenCalledTimes(1)
  })

  test('a long list keeps the running step in view; a notice takes one row', async () => {
    const many = f.plan(Array.from({length: 30}, (_, i) => f.step(i + 1, `Step ${i + 1}`)))
    const {store, lastFrame} = setup()
    store.report(f.runStart(many))
    for (let i = 0; i < 20; i++) {
      store.report(f.stepStart(many, i))
      store.report(f.stepEnd(many, i, 'done', 1000))
    }
    store.report(f.stepStart(many, 20))
    store.report({type: 'notice', level: 'warning', message: 'Took over a stale lock.'})
    await expectFrame(
      lastFrame,
      frame([
        ...HEADER,
        '── Steps ──────────────────────────────────────────────────────── 19–26 of 30 ──',
        ' ✓  19  Step 19                                                             1.0s',
        ' ✓  20  Step 20                                                             1.0s',
        ' ⠋  21  Step 21                                                           1m 14s',
        ...[22, 23, 24, 25, 26].map((n) => ` ·  ${n}  Step ${n}`),
        '── 21. Step 21 ─────────────────────────────────────────────────────────────────',
        '⚠ Took over a stale lock.',
        '21/30 · 1:14 · ctrl-c stop',
      ]),
    )
  })

  test('colour off: no escape code in any frame; colour on: there are', async () => {
    const {store, clock, frames} = setup()
    midRun(store, clock)
    await settle()
    expect(frames.filter((frame) => frame.includes('\u001B'))).toEqual([])
    await withColor(async () => {
      const store2 = createRunStore({title: 'wallarm', throttleMs: 0})
      const ui = render(<App store={store2} color tickMs={0} size={SIZE} />)
      store2.report(f.runStart(p))
      await settle()
      expect(ui.lastFrame()).toContain('\u001B[1mInstall the Wallarm NGINX node › All-in-one installer\u001B[22m')
    })
  })

  test('the terminal size comes from stdout and follows a resize', async () => {
    const store = createRunStore({title: 'wallarm', clock: () => 1000, throttleMs: 0})
    const {lastFrame, stdout} = render(<App store={store} color={false} clock={() => 75_000} tickMs={0} />)
    store.report(f.runStart(p))
    await settle()
    expect(lastFrame()!.split('\n')[3]).toHaveLength(100)
    Object.defineProperty(stdout, 'columns', {value: 50, configurable: true})
    stdout.emit('resize')
    await settle()
    expect(lastFrame()!.split('\n').slice(0, 5)).toEqual([
      'Install the Wallarm NGINX node ›… run 20240501-abc',
      'Platform Ubuntu 22.04.4 LTS x86_64 (from /etc/os-…',
      'Tabs     Ubuntu 22.04, x86_64 (platform) · Filter…',
      '── Steps ─────────────────────────────────────────',
      ' ·  1  Add the Wallarm repository',
    ])
  })
})
