/**
 * The bridge, with fake terminal streams: events in, answers out, the editor
 * hand-over, Ctrl-C, the end. Frames are not compared here (the app tests do
 * that); we look for text in what was written.
 */
import {EventEmitter} from 'node:events'
import {describe, expect, test, vi} from 'vitest'
import {loadTui} from '../../src/ui/ink-env.js'
import type {TuiOptions} from '../../src/ui/tui.js'
import {KEY, settle} from './helpers.js'
import * as f from './fixtures.js'

// As the CLI loads it: with CI set (as in CI), Ink must still draw every frame.
const {createTui, PromptInterrupted} = await loadTui()

class FakeStdout extends EventEmitter {
  columns = 80
  rows = 24
  isTTY = true
  output = ''
  write = (data: string) => {
    this.output += data
    return true
  }
  /** Everything written, escape codes removed. */
  text(): string {
    // eslint-disable-next-line no-control-regex
    return this.output.replace(/\u001B\[[0-?]*[ -/]*[@-~]/g, '')
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true
  raw: boolean[] = []
  private data: string | null = null
  write(data: string) {
    this.data = data
    this.emit('readable')
  }
  read = () => {
    const data = this.data
    this.data = null
    return data
  }
  setRawMode = (on: boolean) => {
    this.raw.push(on)
  }
  setEncoding() {}
  ref() {}
  unref() {}
  resume() {}
  pause() {}
}

async function start(options: Partial<TuiOptions> = {}) {
  const stdout = new FakeStdout()
  const stdin = new FakeStdin()
  // Vitest replaces the console: Ink could not patch it.
  const tui = await createTui({title: 'wallarm', color: false, patchConsole: false, stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream, ...options})
  return {tui, stdout, stdin}
}

/** Wait (bounded) until `text` was written; then assert it was. */
async function shows(stdout: FakeStdout, text: string): Promise<void> {
  for (let i = 0; i < 100 && !stdout.text().includes(text); i++) await new Promise((r) => setTimeout(r, 10))
  expect(stdout.text()).toContain(text)
}

async function keys(stdin: FakeStdin, ...input: string[]) {
  for (const key of input) {
    await settle()
    stdin.write(key)
  }
}

const p = f.plan([f.step(1, 'Add the repository'), f.step(2, 'Open the firewall', ['Open port 443.'])])

describe('createTui', () => {
  test('the reporter feeds the screen; done() leaves the summary and lets go of the terminal', async () => {
    const {tui, stdout, stdin} = await start()
    tui.reporter(f.runStart(p))
    tui.reporter(f.stepStart(p, 0))
    tui.reporter(f.stepEnd(p, 0, 'done', 1200))
    await shows(stdout, 'Install the Wallarm NGINX node › All-in-one installer')
    tui.reporter({type: 'run-end', status: 'done', counts: f.counts({done: 1, skipped: 1}), durationMs: 1500, runDir: '/runs/x'})
    await tui.done()
    expect(stdout.text()).toContain('✓ Done')
    expect(stdout.text()).toContain('Steps   1 done · 0 failed · 1 skipped · 1.5s')
    expect(stdin.raw.at(-1)).toBe(false)
  })

  test('choose: arrows and Enter', async () => {
    const {tui, stdout, stdin} = await start()
    const answer = tui.interaction.choose('Which procedure?', ['Docker', 'All-in-one installer'])
    await shows(stdout, '? Which procedure?')
    await keys(stdin, KEY.down, KEY.enter)
    await expect(answer).resolves.toBe(1)
    await tui.done()
  })

  test('promptValue: a secret is masked and never written', async () => {
    const {tui, stdout, stdin} = await start()
    const answer = tui.interaction.promptValue('API_TOKEN', true, 'From Wallarm Console.')
    await shows(stdout, '? Value for API_TOKEN (secret')
    await keys(stdin, 'hunter2-s3cr3t')
    await shows(stdout, '› **************')
    await keys(stdin, KEY.enter)
    await expect(answer).resolves.toBe('hunter2-s3cr3t')
    await tui.done()
    expect(stdout.output).not.toContain('hunter2')
  })

  test('onFailure: Roll back only when offered', async () => {
    const {tui, stdout, stdin} = await start()
    tui.reporter(f.runStart(p))
    const plainMenu = tui.interaction.onFailure(p.steps[0]!, 'exit code 1', '/runs/x/01.log')
    await shows(stdout, '❯ Retry (r)   Skip (s)   Open log (l)   Abort (a)')
    await keys(stdin, 's')
    await expect(plainMenu).resolves.toBe('skip')
    const withRollback = tui.interaction.onFailure(p.steps[0]!, 'exit code 1', '/runs/x/01.log', {canRollback: true})
    await shows(stdout, 'Roll back (b)')
    await keys(stdin, 'b')
    await expect(withRollback).resolves.toBe('rollback')
    await tui.done()
  })

  test('onFailure: the troubleshooting the executor reported for the step', async () => {
    const {tui, stdout, stdin} = await start()
    tui.reporter(f.runStart(p))
    tui.reporter(f.stepStart(p, 0))
    tui.reporter(f.stepEnd(p, 0, 'failed', 10, {troubleshooting: 'Is the key server reachable?'}))
    const menu = tui.interaction.onFailure(p.steps[0]!, 'check failed', '/runs/x/01.log')
    await shows(stdout, 'Is the key server reachable?')
    await keys(stdin, 'a')
    await expect(menu).resolves.toBe('abort')
    await tui.done()
  })

  test('confirmManual shows the instruction as displayed (values filled, secrets masked)', async () => {
    const {tui, stdout, stdin} = await start()
    tui.reporter(f.runStart(p))
    tui.reporter(f.stepStart(p, 1))
    tui.reporter(f.actionStart(p, 1, 0, 'Open port 443 for node ****.'))
    const done = tui.interaction.confirmManual(p.steps[1]!.actions[0]!, p.steps[1]!)
    await shows(stdout, '  Open port 443 for node ****.')
    await keys(stdin, 'q')
    await expect(done).resolves.toBe(false)
    await tui.done()
  })

  test('confirmStep: run, skip or quit', async () => {
    const {tui, stdout, stdin} = await start()
    const choice = tui.interaction.confirmStep(p.steps[0]!, 0)
    await shows(stdout, '? Next: 1. Add the repository')
    await keys(stdin, KEY.enter)
    await expect(choice).resolves.toBe('run')
    await tui.done()
  })

  test('withTerminal: the app is gone (raw mode off) while the program runs, then back', async () => {
    const {tui, stdout, stdin} = await start()
    tui.reporter(f.runStart(p))
    await shows(stdout, 'Add the repository')
    const seen: boolean[] = []
    const result = await tui.interaction.withTerminal(async () => {
      seen.push(stdin.raw.at(-1)!)
      stdout.output = ''
      return 7
    })
    expect(result).toBe(7)
    expect(seen).toEqual([false])
    await shows(stdout, 'Install the Wallarm NGINX node › All-in-one installer')
    // Keys reach the remounted app.
    const answer = tui.interaction.choose('Again?', ['yes', 'no'])
    await shows(stdout, '? Again?')
    await keys(stdin, KEY.enter)
    await expect(answer).resolves.toBe(0)
    await tui.done()
  })

  test('withTerminal: the app comes back even when the program fails', async () => {
    const {tui, stdout} = await start()
    await expect(tui.interaction.withTerminal(() => Promise.reject(new Error('editor crashed')))).rejects.toThrow('editor crashed')
    stdout.output = ''
    tui.reporter(f.runStart(p))
    await shows(stdout, 'Add the repository')
    await tui.done()
  })

  test('Ctrl-C: onInterrupt and `stopping…`, an open choice is rejected; again: onAbort', async () => {
    const onInterrupt = vi.fn()
    const onAbort = vi.fn()
    const {tui, stdout, stdin} = await start({onInterrupt, onAbort})
    tui.reporter(f.runStart(p))
    const answer = tui.interaction.choose('Which?', ['a', 'b'])
    await shows(stdout, '? Which?')
    await keys(stdin, KEY.ctrlC)
    await expect(answer).rejects.toBeInstanceOf(PromptInterrupted)
    await expect(answer).rejects.toMatchObject({exitCode: 130})
    expect(onInterrupt).toHaveBeenCalledTimes(1)
    await shows(stdout, 'stopping… · ctrl-c abort now')
    await keys(stdin, KEY.ctrlC)
    expect(onAbort).toHaveBeenCalledTimes(1)
    await tui.done()
  })
})
