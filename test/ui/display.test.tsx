/** What the screen shows, piece by piece: Header, StepList, RunningStep, OutputTail, NoticeLine, Footer, Summary. */
import {describe, expect, test} from 'vitest'
import {render} from 'ink-testing-library'
import {Header} from '../../src/ui/app/Header.js'
import {StepList} from '../../src/ui/app/StepList.js'
import {RunningStep} from '../../src/ui/app/RunningStep.js'
import {OutputTail} from '../../src/ui/app/OutputTail.js'
import {NoticeLine} from '../../src/ui/app/NoticeLine.js'
import {Footer} from '../../src/ui/app/Footer.js'
import {Summary, summaryRows} from '../../src/ui/app/Summary.js'
import {headerOf, type CurrentStep, type StepView} from '../../src/ui/app/useRunState.js'
import {frame, plain, withColor} from './helpers.js'
import * as f from './fixtures.js'

describe('Header', () => {
  test('before the plan: the title alone', () => {
    expect(render(plain(<Header title="wallarm" width={60} />)).lastFrame()).toBe('wallarm')
  })

  test('with the plan: runbook › procedure, run id, platform and how the tabs were chosen', () => {
    const {lastFrame} = render(plain(<Header title="wallarm" runId="20240501-abc" info={headerOf(f.plan())} width={80} />))
    expect(lastFrame()).toBe(
      frame([
        'Install the Wallarm NGINX node › All-in-one installer           run 20240501-abc',
        'Platform Ubuntu 22.04.4 LTS x86_64 (from /etc/os-release)',
        'Tabs     Ubuntu 22.04, x86_64 (platform) · Filtering (choice)',
      ]),
    )
  })

  test('narrow: every row is cut, none wraps', () => {
    const {lastFrame} = render(plain(<Header title="wallarm" runId="20240501-abc" info={headerOf(f.plan())} width={40} />))
    expect(lastFrame()).toBe(
      frame([
        'Install the Wallarm NG… run 20240501-abc',
        'Platform Ubuntu 22.04.4 LTS x86_64 (fro…',
        'Tabs     Ubuntu 22.04, x86_64 (platform…',
      ]),
    )
  })
})

const view = (number: number, title: string, patch: Partial<StepView>): StepView => ({id: `s${number}`, number, title, status: 'pending', attempt: 1, ...patch})

describe('StepList', () => {
  test('every status has its glyph and its right-hand detail', () => {
    const steps = [
      view(1, 'Add the repository', {status: 'done', durationMs: 2100}),
      view(2, 'Install packages', {status: 'failed', durationMs: 800, exitCode: 100, attempt: 2}),
      view(3, 'Configure NGINX', {status: 'running', startedAt: 10_000}),
      view(4, 'Register the node', {status: 'skipped', skipReason: 'other-host'}),
      view(5, 'Open the firewall', {status: 'skipped', skipReason: 'user'}),
      view(6, 'Check the node', {status: 'skipped', skipReason: 'done-before'}),
      view(7, 'Restart', {status: 'interrupted', durationMs: 1200}),
      view(8, 'Clean up', {status: 'skipped', skipReason: 'filter'}),
      view(9, 'A step whose title is far too long to fit on one row of this list', {}),
      view(10, 'Done', {}),
    ]
    const {lastFrame} = render(plain(<StepList steps={steps} focus={2} rows={10} width={60} now={22_500} tick={2} />))
    expect(lastFrame()).toBe(
      frame([
        '── Steps ───────────────────────────────────────────────────',
        ' ✓   1  Add the repository                              2.1s',
        ' ✗   2  Install packages             try 2 · exit 100 · 0.8s',
        ' ⠹   3  Configure NGINX                                  12s',
        ' ↷   4  Register the node                         other host',
        ' –   5  Open the firewall                            skipped',
        ' ✓   6  Check the node                           done before',
        ' !   7  Restart                               stopped · 1.2s',
        ' –   8  Clean up                                not selected',
        ' ·   9  A step whose title is far too long to fit on one ro…',
        ' ·  10  Done',
      ]),
    )
  })

  test('a long list scrolls to keep the running step in view, a third of the way down', () => {
    const steps = Array.from({length: 40}, (_, i) => view(i + 1, `Step ${i + 1}`, i < 20 ? {status: 'done', durationMs: 1000} : i === 20 ? {status: 'running', startedAt: 0} : {}))
    const {lastFrame} = render(plain(<StepList steps={steps} focus={20} rows={6} width={40} now={3000} tick={0} />))
    expect(lastFrame()).toBe(
      frame([
        '── Steps ──────────────── 19–24 of 40 ──',
        ' ✓  19  Step 19                     1.0s',
        ' ✓  20  Step 20                     1.0s',
        ' ⠋  21  Step 21                     3.0s',
        ' ·  22  Step 22',
        ' ·  23  Step 23',
        ' ·  24  Step 24',
      ]),
    )
  })

  test('colours: done green, failed red; none at all without colour', () => {
    const steps = [view(1, 'A', {status: 'done', durationMs: 0}), view(2, 'B', {status: 'failed', durationMs: 0})]
    withColor(() => {
      const colored = render(plain(<StepList steps={steps} focus={0} rows={2} width={20} now={0} tick={0} />, true)).lastFrame()!
      expect(colored).toContain('\u001B[32m✓\u001B[39m')
      expect(colored).toContain('\u001B[31m✗\u001B[39m')
      expect(render(plain(<StepList steps={steps} focus={0} rows={2} width={20} now={0} tick={0} />, false)).lastFrame()).not.toMatch(/\u001B/)
    })
  })
})

const current = (patch: Partial<CurrentStep> = {}): CurrentStep => ({
  index: 1,
  stepId: 'install',
  label: '2. Install packages',
  attempt: 1,
  actionCount: 1,
  actionIndex: 1,
  command: ['sudo apt-get install -y wallarm-node nginx'],
  tail: [],
  lineCount: 0,
  ...patch,
})

describe('RunningStep', () => {
  test('the step and its command', () => {
    expect(render(plain(<RunningStep current={current()} width={50} />)).lastFrame()).toBe(
      frame(['── 2. Install packages ───────────────────────────', '$ sudo apt-get install -y wallarm-node nginx']),
    )
  })

  test('command n of m and the attempt; a long script is summed up after three rows', () => {
    const c = current({actionCount: 3, actionIndex: 2, attempt: 2, command: ['cat > /etc/x.conf <<EOF', 'a = 1', 'b = 2', 'c = 3', 'EOF']})
    expect(render(plain(<RunningStep current={c} width={50} />)).lastFrame()).toBe(
      frame(['── 2. Install packages · command 2/3 · try 2 ─────', '$ cat > /etc/x.conf <<EOF', '  a = 1', '  … 3 more lines']),
    )
  })

  test('without the command (a manual action shows it in its prompt)', () => {
    expect(render(plain(<RunningStep current={current()} width={30} showCommand={false} />)).lastFrame()).toBe('── 2. Install packages ───────')
  })
})

describe('OutputTail', () => {
  test('the last rows, indented, each cut to the width', () => {
    const lines = ['one', 'two', 'three', 'a line that is much longer than the width of the pane']
    expect(render(plain(<OutputTail lines={lines} rows={3} width={30} />)).lastFrame()).toBe(frame(['  two', '  three', '  a line that is much longer…']))
  })

  test('nothing when there is no room or no output', () => {
    expect(render(plain(<OutputTail lines={['x']} rows={0} width={30} />)).lastFrame()).toBe('')
    expect(render(plain(<OutputTail lines={[]} rows={5} width={30} />)).lastFrame()).toBe('')
  })
})

test('NoticeLine: a warning or an info, on one row', () => {
  expect(render(plain(<NoticeLine notice={{level: 'warning', message: 'Took over a stale lock of run abc (process 12 is gone).'}} width={40} />)).lastFrame()).toBe(
    '⚠ Took over a stale lock of run abc (pr…',
  )
  expect(render(plain(<NoticeLine notice={{level: 'info', message: 'Re-running step 3.'}} width={40} />)).lastFrame()).toBe('ℹ Re-running step 3.')
})

describe('Footer', () => {
  test('progress, elapsed, keys', () => {
    expect(render(plain(<Footer progress="3/8" elapsed="1:05" keys={[['↑↓', 'move'], ['enter', 'select'], ['ctrl-c', 'stop']]} width={80} />)).lastFrame()).toBe(
      '3/8 · 1:05 · ↑↓ move  enter select  ctrl-c stop',
    )
  })

  test('stopping…, and keys cut to the width', () => {
    expect(render(plain(<Footer progress="3/8" elapsed="1:05" status="stopping…" keys={[['ctrl-c', 'abort now']]} width={30} />)).lastFrame()).toBe(
      '3/8 · 1:05 · stopping… · ctrl…',
    )
  })
})

describe('Summary', () => {
  test('done', () => {
    const end = {status: 'done' as const, counts: f.counts({done: 7, skipped: 1}), durationMs: 92_000, runDir: '/var/lib/runbook/runs/20240501-abc'}
    expect(render(plain(<Summary end={end} width={60} />)).lastFrame()).toBe(
      frame([
        '────────────────────────────────────────────────────────────',
        '✓ Done',
        'Steps   7 done · 0 failed · 1 skipped · 1m 32s',
        'Logs    /var/lib/runbook/runs/20240501-abc',
      ]),
    )
  })

  test('failed: the step, counts with what did not run, and the resume command uncut', () => {
    const end = {
      status: 'failed' as const,
      counts: f.counts({done: 2, failed: 1, pending: 5}),
      durationMs: 61_000,
      runDir: '/var/lib/runbook/runs/20240501-abc',
      resumeCommand: 'runbook resume 20240501-abc --set NODE_NAME=edge-1 --choose Filtering',
    }
    const stopped = view(3, 'Configure NGINX', {status: 'failed'})
    expect(render(plain(<Summary end={end} stopped={stopped} width={60} />)).lastFrame()).toBe(
      frame([
        '────────────────────────────────────────────────────────────',
        '✗ Failed at step 3: Configure NGINX',
        'Steps   2 done · 1 failed · 0 skipped · 5 not run · 1m 01s',
        'Logs    /var/lib/runbook/runs/20240501-abc',
        'Resume  runbook resume 20240501-abc --set NODE_NAME=edge-1',
        '--choose Filtering',
      ]),
    )
  })
})

test('summaryRows counts the rows a long resume command wraps to', () => {
  const end = {status: 'failed' as const, counts: f.counts({}), durationMs: 0, runDir: '/r', resumeCommand: 'runbook resume 20240501-abc --set NODE_NAME=edge-1 --choose Filtering'}
  expect(summaryRows(end, 80)).toBe(5)
  expect(summaryRows(end, 60)).toBe(6)
  expect(summaryRows({...end, resumeCommand: undefined}, 60)).toBe(4)
})
