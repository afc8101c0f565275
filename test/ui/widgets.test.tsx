/** The small building blocks: Spinner, Select, TextInput. */
import {describe, expect, test, vi} from 'vitest'
import {render} from 'ink-testing-library'
import {Spinner} from '../../src/ui/app/Spinner.js'
import {Select} from '../../src/ui/app/Select.js'
import {TextInput} from '../../src/ui/app/TextInput.js'
import {expectFrame, frame, KEY, plain, press, withColor} from './helpers.js'

describe('Spinner', () => {
  test('the frame follows the tick', () => {
    const {lastFrame, rerender} = render(plain(<Spinner tick={0} />))
    expect(lastFrame()).toBe('⠋')
    rerender(plain(<Spinner tick={3} />))
    expect(lastFrame()).toBe('⠸')
    rerender(plain(<Spinner tick={11} />))
    expect(lastFrame()).toBe('⠙')
  })
})

describe('Select', () => {
  const options = ['Docker', 'All-in-one installer', 'Kubernetes']

  test('a column: arrows move the pointer, Enter picks', async () => {
    const onSelect = vi.fn()
    const {lastFrame, stdin} = render(plain(<Select options={options} width={40} onSelect={onSelect} />))
    expect(lastFrame()).toBe(frame(['❯ Docker', '  All-in-one installer', '  Kubernetes']))
    await press(stdin, KEY.down, KEY.down, KEY.down)
    await expectFrame(lastFrame, frame(['  Docker', '  All-in-one installer', '❯ Kubernetes']))
    await press(stdin, KEY.up, KEY.enter)
    expect(onSelect.mock.calls).toEqual([[1]])
    expect(lastFrame()).toBe(frame(['  Docker', '❯ All-in-one installer', '  Kubernetes']))
  })

  test('keys arriving in one burst are taken one by one (Down then Enter)', async () => {
    const onSelect = vi.fn()
    const {stdin} = render(plain(<Select options={options} width={40} onSelect={onSelect} />))
    await press(stdin, KEY.down + KEY.enter)
    expect(onSelect.mock.calls).toEqual([[1]])
  })

  test('a long column scrolls, with ⋮ where options are hidden', async () => {
    const many = Array.from({length: 10}, (_, i) => `Option ${i + 1}`)
    const {lastFrame, stdin} = render(plain(<Select options={many} height={4} width={40} onSelect={() => {}} />))
    expect(lastFrame()).toBe(frame(['❯ Option 1', '  Option 2', '  Option 3', '⋮ Option 4']))
    await press(stdin, KEY.down, KEY.down, KEY.down, KEY.down)
    await expectFrame(lastFrame, frame(['⋮ Option 3', '  Option 4', '❯ Option 5', '⋮ Option 6']))
  })

  test('a row, with shortcut keys', async () => {
    const onSelect = vi.fn()
    const {lastFrame, stdin} = render(plain(<Select direction="row" options={['Run', 'Skip', 'Quit']} shortcuts={['r', 's', 'q']} width={60} onSelect={onSelect} />))
    expect(lastFrame()).toBe('❯ Run (r)   Skip (s)   Quit (q)')
    await press(stdin, KEY.right)
    await expectFrame(lastFrame, '  Run (r) ❯ Skip (s)   Quit (q)')
    await press(stdin, 'q')
    expect(onSelect.mock.calls).toEqual([[2]])
  })

  test('colour marks the pointer; without colour there are no escape codes', () => {
    withColor(() => {
      expect(render(plain(<Select options={['a', 'b']} width={10} onSelect={() => {}} />, false)).lastFrame()).toBe('❯ a\n  b')
      expect(render(plain(<Select options={['a', 'b']} width={10} onSelect={() => {}} />, true)).lastFrame()).toBe('\u001B[1m\u001B[36m❯ a\u001B[39m\u001B[22m\n  b')
    })
  })
})

describe('TextInput', () => {
  test('typing, Backspace, Ctrl-U, Enter', async () => {
    const onSubmit = vi.fn()
    const {lastFrame, stdin} = render(plain(<TextInput width={40} onSubmit={onSubmit} />))
    expect(lastFrame()).toBe('› _')
    await press(stdin, 'ngin', 'x', KEY.backspace, KEY.backspace)
    await expectFrame(lastFrame, '› ngi_')
    await press(stdin, KEY.ctrlU, 'node-1', KEY.enter)
    expect(onSubmit.mock.calls).toEqual([['node-1']])
  })

  test('a secret shows one * per character and never itself', async () => {
    const onSubmit = vi.fn()
    const {lastFrame, frames, stdin} = render(plain(<TextInput mask width={40} onSubmit={onSubmit} />))
    await press(stdin, 's3cr', 'ét')
    await expectFrame(lastFrame, '› ******_')
    await press(stdin, KEY.enter)
    expect(onSubmit.mock.calls).toEqual([['s3crét']])
    expect(frames.filter((f) => f.includes('s3cr'))).toEqual([])
  })

  test('a paste ending in a newline submits, control characters dropped', async () => {
    const onSubmit = vi.fn()
    const {stdin} = render(plain(<TextInput width={40} onSubmit={onSubmit} />))
    await press(stdin, 'abc\u0007def\r')
    expect(onSubmit.mock.calls).toEqual([['abcdef']])
  })

  test('long text keeps its end in view', async () => {
    const {lastFrame, stdin} = render(plain(<TextInput width={12} onSubmit={() => {}} />))
    await press(stdin, 'abcdefghijklmnop')
    await expectFrame(lastFrame, '› …ijklmnop_')
  })
})
