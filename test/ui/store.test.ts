import {afterEach, describe, expect, test, vi} from 'vitest'
import {createRunStore} from '../../src/ui/app/store.js'
import {TAIL_LINES} from '../../src/ui/app/useRunState.js'
import * as f from './fixtures.js'

const p = f.plan([f.step(1, 'Flood'), f.step(2, 'Next')])

afterEach(() => {
  vi.useRealTimers()
})

describe('createRunStore', () => {
  test('with throttleMs 0 every event is published at once, stamped by the clock', () => {
    let now = 5000
    const store = createRunStore({title: 't', clock: () => now, throttleMs: 0})
    const published: number[] = []
    store.subscribe(() => published.push(store.getSnapshot().steps.length))
    store.report(f.runStart(p))
    now = 7000
    store.report(f.stepStart(p, 0))
    expect(published).toEqual([2, 2])
    expect(store.getSnapshot().startedAt).toBe(5000)
    expect(store.getSnapshot().steps[0]!.startedAt).toBe(7000)
  })

  test('events arriving faster than the throttle are published as one batch', () => {
    vi.useFakeTimers()
    const store = createRunStore({title: 't', throttleMs: 66})
    let publishes = 0
    store.subscribe(() => publishes++)
    store.report(f.runStart(p))
    store.report(f.stepStart(p, 0))
    for (let i = 0; i < 1000; i++) store.report(f.output(p, 0, `line ${i}`))
    expect(publishes).toBe(0)
    vi.runOnlyPendingTimers()
    expect(publishes).toBe(1)
    expect(store.getSnapshot().current).toMatchObject({lineCount: 1000, tail: Array.from({length: TAIL_LINES}, (_, i) => `line ${800 + i}`)})
  })

  test('a flood keeps a bounded tail and counts every line', () => {
    vi.useFakeTimers()
    const store = createRunStore({title: 't', throttleMs: 66})
    store.report(f.runStart(p))
    store.report(f.stepStart(p, 0))
    const long = 'y'.repeat(100_000)
    for (let i = 1; i <= 1_000_000; i++) store.report(f.output(p, 0, i % 1000 === 0 ? long : `line ${i}`))
    vi.runOnlyPendingTimers()
    const current = store.getSnapshot().current!
    expect(current.lineCount).toBe(1_000_000)
    expect(current.tail).toHaveLength(TAIL_LINES)
    expect(current.tail.at(-1)).toBe('y'.repeat(512))
    expect(current.tail.at(-2)).toBe('line 999999')
  })

  test('output and other events keep their order inside a batch', () => {
    vi.useFakeTimers()
    const store = createRunStore({title: 't', throttleMs: 66})
    store.report(f.runStart(p))
    store.report(f.stepStart(p, 0))
    store.report(f.output(p, 0, 'first step'))
    store.report(f.stepStart(p, 1))
    store.report(f.output(p, 1, 'second step'))
    vi.runOnlyPendingTimers()
    expect(store.getSnapshot().current).toMatchObject({stepId: 'next', tail: ['second step']})
  })

  test('a prompt shows at once and resolves with the answer; answering twice is harmless', async () => {
    vi.useFakeTimers()
    const store = createRunStore({title: 't', throttleMs: 66})
    store.report(f.runStart(p))
    const answer = store.ask<number>({kind: 'choose', question: 'Which?', options: ['a', 'b']}, {value: -1})
    // The queued run-start went out with the prompt, in order.
    expect(store.getSnapshot().steps).toHaveLength(2)
    expect(store.getSnapshot().prompts).toEqual([{id: 1, kind: 'choose', question: 'Which?', options: ['a', 'b']}])
    store.answer(1, 1)
    store.answer(1, 0)
    await expect(answer).resolves.toBe(1)
    expect(store.getSnapshot().prompts).toEqual([])
  })

  test('Ctrl-C once: onInterrupt, open prompts cancelled; twice: onAbort', async () => {
    const calls: string[] = []
    const store = createRunStore({title: 't', throttleMs: 0, onInterrupt: () => calls.push('interrupt'), onAbort: () => calls.push('abort')})
    const failure = store.ask({kind: 'failure', step: '1. x', error: 'e', logFile: 'l', canRollback: false}, {value: 'abort'})
    const value = store.ask({kind: 'value', name: 'TOKEN', secret: true, hint: ''}, {error: new Error('interrupted')})
    store.interrupt()
    await expect(failure).resolves.toBe('abort')
    await expect(value).rejects.toThrow('interrupted')
    expect(store.getSnapshot()).toMatchObject({interrupts: 1, prompts: []})
    store.interrupt()
    expect(calls).toEqual(['interrupt', 'abort'])
    expect(store.getSnapshot().interrupts).toBe(2)
  })
})
