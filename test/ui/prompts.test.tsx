/** The prompts: ChoicePrompt, ValuePrompt, ManualPrompt, StepPrompt, FailureMenu, and their row counts. */
import {describe, expect, test, vi} from 'vitest'
import {render} from 'ink-testing-library'
import {ChoicePrompt, choiceRows} from '../../src/ui/app/ChoicePrompt.js'
import {ValuePrompt, valueRows} from '../../src/ui/app/ValuePrompt.js'
import {ManualPrompt, manualRows} from '../../src/ui/app/ManualPrompt.js'
import {StepPrompt, stepRows} from '../../src/ui/app/StepPrompt.js'
import {FailureMenu, failureRows} from '../../src/ui/app/FailureMenu.js'
import {promptKeys} from '../../src/ui/app/PromptView.js'
import type {Prompt} from '../../src/ui/app/useRunState.js'
import {expectFrame, frame, KEY, plain, press} from './helpers.js'

type Of<K extends Prompt['kind']> = Extract<Prompt, {kind: K}>

describe('ChoicePrompt', () => {
  const prompt: Of<'choose'> = {id: 1, kind: 'choose', question: 'Which procedure of this page?', options: ['Docker', 'All-in-one installer', 'Kubernetes']}

  test('question and options; Down, Enter answers the index', async () => {
    const onAnswer = vi.fn()
    const {lastFrame, stdin} = render(plain(<ChoicePrompt prompt={prompt} width={40} rows={4} onAnswer={onAnswer} />))
    expect(lastFrame()).toBe(frame(['? Which procedure of this page?', '❯ Docker', '  All-in-one installer', '  Kubernetes']))
    await press(stdin, KEY.down, KEY.enter)
    expect(onAnswer.mock.calls).toEqual([[1]])
    expect(choiceRows(prompt, 10)).toBe(4)
    expect(choiceRows(prompt, 3)).toBe(3)
  })
})

describe('ValuePrompt', () => {
  test('a plain value: name, hint, typed text', async () => {
    const prompt: Of<'value'> = {id: 1, kind: 'value', name: 'NODE_NAME', secret: false, hint: 'A name for this node, shown in Wallarm Console.'}
    const onAnswer = vi.fn()
    const {lastFrame, stdin} = render(plain(<ValuePrompt prompt={prompt} width={40} rows={5} onAnswer={onAnswer} />))
    expect(lastFrame()).toBe(frame(['? Value for NODE_NAME', '  A name for this node, shown in Wallarm', '  Console.', '› _']))
    await press(stdin, 'edge-1')
    await expectFrame(lastFrame, frame(['? Value for NODE_NAME', '  A name for this node, shown in Wallarm', '  Console.', '› edge-1_']))
    await press(stdin, KEY.enter)
    expect(onAnswer.mock.calls).toEqual([['edge-1']])
    expect(valueRows(prompt, 40, 5)).toBe(4)
    expect(valueRows(prompt, 40, 3)).toBe(3)
  })

  test('a secret: said so, typed masked, never on screen', async () => {
    const prompt: Of<'value'> = {id: 1, kind: 'value', name: 'API_TOKEN', secret: true, hint: ''}
    const onAnswer = vi.fn()
    const {lastFrame, frames, stdin} = render(plain(<ValuePrompt prompt={prompt} width={60} rows={5} onAnswer={onAnswer} />))
    await press(stdin, 'hunter2', KEY.enter)
    expect(lastFrame()).toBe(frame(['? Value for API_TOKEN (secret: typed hidden, never logged)', '› *******_']))
    expect(onAnswer.mock.calls).toEqual([['hunter2']])
    expect(frames.join('\n')).not.toContain('hunter2')
  })
})

describe('ManualPrompt', () => {
  const prompt: Of<'manual'> = {
    id: 1,
    kind: 'manual',
    step: '5. Open the firewall',
    text: 'Open port 443 on the load balancer in front of this node.\n\nThen allow 10.0.0.0/8 to reach port 8080.',
  }

  test('the instruction, wrapped; Enter says done', async () => {
    const onAnswer = vi.fn()
    const {lastFrame, stdin} = render(plain(<ManualPrompt prompt={prompt} width={50} rows={8} onAnswer={onAnswer} />))
    expect(lastFrame()).toBe(
      frame([
        '» By hand: 5. Open the firewall. Press Enter when…',
        '  Open port 443 on the load balancer in front of',
        '  this node.',
        '',
        '  Then allow 10.0.0.0/8 to reach port 8080.',
      ]),
    )
    await press(stdin, KEY.enter)
    expect(onAnswer.mock.calls).toEqual([[true]])
  })

  test('q stops the run; a text taller than the room says how much is left out', async () => {
    const onAnswer = vi.fn()
    const {lastFrame, stdin} = render(plain(<ManualPrompt prompt={prompt} width={50} rows={3} onAnswer={onAnswer} />))
    expect(lastFrame()).toBe(frame(['» By hand: 5. Open the firewall. Press Enter when…', '  Open port 443 on the load balancer in front of', '  … 3 more lines in the guide']))
    expect(manualRows(prompt, 50, 3)).toBe(3)
    await press(stdin, 'q')
    expect(onAnswer.mock.calls).toEqual([[false]])
  })
})

describe('StepPrompt', () => {
  const prompt: Of<'step'> = {id: 1, kind: 'step', step: '4. Edit the node config', commands: ['sudo nano /etc/nginx/conf.d/wallarm.conf', 'sudo nginx -t']}

  test('the next step, its commands, Run / Skip / Quit', async () => {
    const onAnswer = vi.fn()
    const {lastFrame, stdin} = render(plain(<StepPrompt prompt={prompt} width={50} rows={6} onAnswer={onAnswer} />))
    expect(lastFrame()).toBe(frame(['? Next: 4. Edit the node config', '  $ sudo nano /etc/nginx/conf.d/wallarm.conf', '  $ sudo nginx -t', '❯ Run (r)   Skip (s)   Quit (q)']))
    expect(stepRows(prompt, 6)).toBe(4)
    await press(stdin, KEY.right, KEY.enter)
    expect(onAnswer.mock.calls).toEqual([['skip']])
  })

  test('shortcuts answer at once', async () => {
    const onAnswer = vi.fn()
    const {stdin} = render(plain(<StepPrompt prompt={prompt} width={50} rows={6} onAnswer={onAnswer} />))
    await press(stdin, 'q')
    expect(onAnswer.mock.calls).toEqual([['quit']])
  })
})

describe('FailureMenu', () => {
  const prompt: Of<'failure'> = {
    id: 1,
    kind: 'failure',
    step: '3. Configure NGINX',
    error: 'exit code 1',
    logFile: '/var/lib/runbook/runs/20240501-abc/03-configure-nginx.log',
    canRollback: false,
    troubleshooting: 'Check that the wallarm module is loaded: nginx -V shows it.',
  }

  test('what failed, what to check, the log; Retry by default', async () => {
    const onAnswer = vi.fn()
    const {lastFrame, stdin} = render(plain(<FailureMenu prompt={prompt} width={60} rows={8} onAnswer={onAnswer} onOpenLog={() => {}} />))
    expect(lastFrame()).toBe(
      frame([
        '✗ 3. Configure NGINX failed: exit code 1',
        '  Check that the wallarm module is loaded: nginx -V shows',
        '  it.',
        '  Log …/lib/runbook/runs/20240501-abc/03-configure-nginx.log',
        '❯ Retry (r)   Skip (s)   Open log (l)   Abort (a)',
      ]),
    )
    expect(failureRows(prompt, 60, 8)).toBe(5)
    await press(stdin, KEY.enter)
    expect(onAnswer.mock.calls).toEqual([['retry']])
  })

  test('Roll back is offered when the step can be undone', async () => {
    const onAnswer = vi.fn()
    const {lastFrame, stdin} = render(plain(<FailureMenu prompt={{...prompt, canRollback: true, troubleshooting: undefined}} width={80} rows={8} onAnswer={onAnswer} onOpenLog={() => {}} />))
    expect(lastFrame()).toBe(
      frame([
        '✗ 3. Configure NGINX failed: exit code 1',
        '  Log /var/lib/runbook/runs/20240501-abc/03-configure-nginx.log',
        '❯ Retry (r)   Skip (s)   Open log (l)   Roll back (b)   Abort (a)',
      ]),
    )
    await press(stdin, 'b')
    await press(stdin, KEY.right, KEY.right, KEY.right, KEY.right, KEY.enter)
    expect(onAnswer.mock.calls).toEqual([['rollback'], ['abort']])
  })

  test('Open log asks the app to open the viewer and answers nothing', async () => {
    const onAnswer = vi.fn()
    const onOpenLog = vi.fn()
    const {stdin} = render(plain(<FailureMenu prompt={prompt} width={60} rows={8} onAnswer={onAnswer} onOpenLog={onOpenLog} />))
    await press(stdin, 'l')
    expect(onOpenLog).toHaveBeenCalledTimes(1)
    expect(onAnswer).not.toHaveBeenCalled()
  })

  test('little room: troubleshooting goes first, then the error shrinks to one row', () => {
    expect(failureRows(prompt, 60, 4)).toBe(4)
    expect(failureRows(prompt, 60, 3)).toBe(3)
    const {lastFrame} = render(plain(<FailureMenu prompt={prompt} width={60} rows={3} onAnswer={() => {}} onOpenLog={() => {}} />))
    expect(lastFrame()).toBe(frame(['✗ 3. Configure NGINX failed: exit code 1', '  Log …/lib/runbook/runs/20240501-abc/03-configure-nginx.log', '❯ Retry (r)   Skip (s)   Open log (l)   Abort (a)']))
  })
})

test('each prompt names the keys that work', () => {
  expect(promptKeys({id: 1, kind: 'choose', question: '', options: []})).toEqual([['↑↓', 'move'], ['enter', 'select']])
  expect(promptKeys({id: 1, kind: 'manual', step: '', text: ''})).toEqual([['enter', 'done'], ['q', 'stop the run']])
})
