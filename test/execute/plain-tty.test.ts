import {describe, it, expect} from 'vitest'
import {PassThrough} from 'node:stream'
import {createPlainInteraction} from '../../src/ui/plain.js'
import {makePlan} from './helpers.js'

/** A fake terminal: answers are typed once the prompt has been written. */
function terminal(answers: string[]) {
  const input = new PassThrough()
  const output = new PassThrough()
  let shown = ''
  output.on('data', (d: Buffer) => {
    shown += d.toString()
    if (/[:?] $/.test(d.toString()) && answers.length > 0) setImmediate(() => input.write(answers.shift()! + '\r'))
  })
  return {input, output, shown: () => shown.replace(/\u001B\[[0-9;]*[A-Za-z]/g, '')}
}

describe('plain interaction at a terminal', () => {
  const plan = makePlan([{title: 'Install', script: 'true'}])
  const step = plan.steps[0]!

  it('asks to choose until the answer is a valid number', async () => {
    const t = terminal(['9', '2'])
    const i = createPlainInteraction({yes: false, input: t.input, output: t.output, isTTY: true})
    expect(await i.choose('Which one?', ['Docker', 'Packages'])).toBe(1)
    expect(t.shown()).toContain('Which one?\n  1) Docker\n  2) Packages\n')
  })

  it('maps failure, step and manual answers', async () => {
    const t = terminal(['x', 'r', 's', 'q', 'q', ''])
    const i = createPlainInteraction({yes: false, input: t.input, output: t.output, isTTY: true})
    expect(await i.onFailure(step, 'boom', '/log')).toBe('retry')
    expect(await i.confirmStep(step, 0)).toBe('skip')
    expect(await i.confirmStep(step, 0)).toBe('quit')
    expect(await i.confirmManual(step.actions[0]!, step)).toBe(false)
    expect(await i.confirmManual(step.actions[0]!, step)).toBe(true)
    expect(typeof i.withTerminal).toBe('function')
  })

  it('does not echo a secret value', async () => {
    const t = terminal(['s3cr3t-typed'])
    const i = createPlainInteraction({yes: false, input: t.input, output: t.output, isTTY: true})
    expect(await i.promptValue('TOKEN', true, '<TOKEN> in page.md:3')).toBe('s3cr3t-typed')
    expect(t.shown()).toContain('TOKEN (hidden): ')
    expect(t.shown()).not.toContain('s3cr3t')
  })
})
