import {describe, expect, test} from 'vitest'
import {headerOf, initialRunState, reduceRun, TAIL_LINES, type RunState, type UiAction} from '../../src/ui/app/useRunState.js'
import type {RunEvent} from '../../src/execute/events.js'
import * as f from './fixtures.js'

const p = f.plan([f.step(1, 'Add the repository'), f.step(2, 'Install packages', ['apt-get update', 'apt-get install -y nginx']), f.step(3, 'Start')])

const UI_ACTIONS = new Set(['prompt', 'prompt-done', 'interrupt', 'pause'])

/** Reduce a sequence; events are stamped 1000, 2000, 3000… (by position) as the store would. */
function run(items: Array<RunEvent | UiAction>, state: RunState = initialRunState('wallarm')): RunState {
  return items.reduce<RunState>((s, item, i) => {
    const action = UI_ACTIONS.has(item.type) || 'lines' in item ? (item as UiAction) : {type: 'event' as const, event: item as RunEvent, at: (i + 1) * 1000}
    return reduceRun(s, action)
  }, state)
}

describe('reduceRun', () => {
  test('a run: start, steps, output, end', () => {
    const state = run([
      f.runStart(p),
      f.stepStart(p, 0),
      f.actionStart(p, 0, 0, 'curl -fsSL https://repo/key | gpg --dearmor\n'),
      f.output(p, 0, '\u001B[32mOK\u001B[0m'),
      f.stepEnd(p, 0, 'done', 1500),
      f.stepStart(p, 1),
      f.actionStart(p, 1, 0),
      f.output(p, 1, 'Hit:1 http://archive.ubuntu.com jammy InRelease'),
      f.actionStart(p, 1, 1, 'apt-get install -y nginx\nsystemctl enable nginx'),
      {type: 'notice', level: 'warning', message: 'sudo asks for a password'},
    ])
    expect(state).toEqual({
      title: 'wallarm',
      runId: '20240501-abc',
      runDir: '/var/lib/runbook/runs/20240501-abc',
      header: {
        title: 'Install the Wallarm NGINX node',
        procedure: 'All-in-one installer',
        platform: 'Ubuntu 22.04.4 LTS x86_64 (from /etc/os-release)',
        tabs: ['Ubuntu 22.04, x86_64 (platform)', 'Filtering (choice)'],
      },
      steps: [
        {id: 'add-the-repository', number: 1, title: 'Add the repository', status: 'done', durationMs: 1500, attempt: 1},
        {id: 'install-packages', number: 2, title: 'Install packages', status: 'running', startedAt: 6000, attempt: 1},
        {id: 'start', number: 3, title: 'Start', status: 'pending', attempt: 0},
      ],
      current: {
        index: 1,
        stepId: 'install-packages',
        label: '2. Install packages',
        attempt: 1,
        actionCount: 2,
        actionIndex: 2,
        actionId: 'install-packages/a2',
        command: ['apt-get install -y nginx', 'systemctl enable nginx'],
        tail: ['Hit:1 http://archive.ubuntu.com jammy InRelease'],
        lineCount: 1,
      },
      notices: [{level: 'warning', message: 'sudo asks for a password'}],
      prompts: [],
      interrupts: 0,
      paused: false,
      startedAt: 1000,
    })
  })

  test('a failure keeps its facts; a retry clears them', () => {
    const failed = run([
      f.runStart(p),
      f.stepStart(p, 0),
      f.stepEnd(p, 0, 'failed', 800, {exitCode: 100, error: 'exit code 100', troubleshooting: 'Check the key.', logFile: '/runs/x/01.log'}),
    ])
    expect(failed.steps[0]).toEqual({
      id: 'add-the-repository',
      number: 1,
      title: 'Add the repository',
      status: 'failed',
      durationMs: 800,
      attempt: 1,
      exitCode: 100,
      error: 'exit code 100',
      troubleshooting: 'Check the key.',
      logFile: '/runs/x/01.log',
    })
    const retried = reduceRun(failed, {type: 'event', event: f.stepStart(p, 0, 2), at: 9000})
    expect(retried.steps[0]).toEqual({id: 'add-the-repository', number: 1, title: 'Add the repository', status: 'running', startedAt: 9000, attempt: 2})
    expect(retried.current).toMatchObject({attempt: 2, tail: [], lineCount: 0})
  })

  test('skips carry their reason; a resumed run marks earlier steps as done before', () => {
    const state = run([f.runStart(p, {resumed: true, startIndex: 2}), f.stepEnd(p, 1, 'skipped', 0, {skipReason: 'other-host'})])
    expect(state.steps.map((s) => [s.status, s.skipReason])).toEqual([
      ['skipped', 'done-before'],
      ['skipped', 'other-host'],
      ['pending', undefined],
    ])
  })

  test('an event whose index does not match finds its step by id', () => {
    const stale = {...f.stepEnd(p, 2, 'done', 10), index: 0} as RunEvent
    const state = run([f.runStart(p), stale])
    expect(state.steps.map((s) => s.status)).toEqual(['pending', 'pending', 'done'])
  })

  test('output for another step than the current one is ignored', () => {
    const state = run([f.runStart(p), f.stepStart(p, 0), f.output(p, 1, 'stray')])
    expect(state.current?.tail).toEqual([])
  })

  test('output keeps the last TAIL_LINES lines, sanitised, and counts them all', () => {
    let state = run([f.runStart(p), f.stepStart(p, 0)])
    const lines = Array.from({length: 500}, (_, i) => `\u001B[1mline ${i}\u001B[0m`)
    state = reduceRun(state, {type: 'output', stepId: p.steps[0]!.id, lines, count: 100_000})
    state = reduceRun(state, {type: 'output', stepId: p.steps[0]!.id, lines: ['last'], count: 1})
    expect(state.current!.tail).toHaveLength(TAIL_LINES)
    expect(state.current!.tail[0]).toBe('line 301')
    expect(state.current!.tail.at(-1)).toBe('last')
    expect(state.current!.lineCount).toBe(100_001)
  })

  test('notices keep the last three', () => {
    const notes = ['a', 'b', 'c', 'd'].map((message): RunEvent => ({type: 'notice', level: 'info', message}))
    expect(run(notes).notices.map((n) => n.message)).toEqual(['b', 'c', 'd'])
  })

  test('prompts queue and close by id; Ctrl-C counts; pause toggles', () => {
    let state = initialRunState('t')
    state = reduceRun(state, {type: 'prompt', prompt: {id: 1, kind: 'choose', question: 'q', options: ['a']}})
    state = reduceRun(state, {type: 'prompt', prompt: {id: 2, kind: 'manual', step: '1. x', text: 'do it'}})
    state = reduceRun(state, {type: 'prompt-done', id: 1})
    state = reduceRun(state, {type: 'interrupt'})
    state = reduceRun(state, {type: 'pause', paused: true})
    expect(state).toEqual({...initialRunState('t'), prompts: [{id: 2, kind: 'manual', step: '1. x', text: 'do it'}], interrupts: 1, paused: true})
  })

  test('run-end records the end and clears the stopping state', () => {
    const end: RunEvent = {type: 'run-end', status: 'failed', counts: f.counts({done: 1, failed: 1, pending: 1}), durationMs: 4000, runDir: '/runs/x', resumeCommand: 'runbook resume x'}
    const state = run([f.runStart(p), {type: 'interrupt'}, end])
    expect(state.end).toEqual({status: 'failed', counts: f.counts({done: 1, failed: 1, pending: 1}), durationMs: 4000, runDir: '/runs/x', resumeCommand: 'runbook resume x'})
    expect(state.interrupts).toBe(0)
  })
})

describe('headerOf', () => {
  test('groups tabs by how they were chosen and leaves out single-label groups', () => {
    const plan = f.plan()
    plan.platform = {...plan.platform, prettyName: undefined, id: 'linuxmint', versionId: '21.3'}
    plan.selections = [
      {group: 'g1', label: 'Ubuntu 22.04', by: 'platform via ID_LIKE'},
      {group: 'g2', label: 'x86_64', by: 'platform'},
      {group: 'g3', label: 'NGINX stable', by: 'only'},
      {group: 'g4', label: 'Docker', by: 'choice'},
    ]
    plan.choices = {a: 'Docker', b: 'Filtering'}
    expect(headerOf(plan)).toEqual({
      title: 'Install the Wallarm NGINX node',
      procedure: 'All-in-one installer',
      platform: 'linuxmint 21.3 x86_64 (from /etc/os-release)',
      tabs: ['Ubuntu 22.04 (platform via ID_LIKE)', 'x86_64 (platform)', 'Docker, Filtering (choice)'],
    })
  })
})
