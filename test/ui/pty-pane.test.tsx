/** A step on a pseudo-terminal in the app: its screen replaces the output tail; waiting for input is one highlighted row. */
import {describe, expect, test} from 'vitest'
import {render} from 'ink-testing-library'
import {App} from '../../src/ui/app/App.js'
import {createRunStore} from '../../src/ui/app/store.js'
import {settle} from './helpers.js'
import * as f from './fixtures.js'

const p = f.plan()

describe('the pane of a step on a terminal', () => {
  test('shows the last screen rows (control sequences dropped), the prompt it waits at, and ctrl-] in the footer', async () => {
    const store = createRunStore({title: 'wallarm', clock: () => 1000, throttleMs: 0})
    const ui = render(<App store={store} color={false} clock={() => 5000} tickMs={0} size={{columns: 80, rows: 24}} />)
    store.report(f.runStart(p))
    store.report(f.stepStart(p, 0))
    store.report(f.actionStart(p, 0, 0, 'sh installer.sh'))
    store.report(f.output(p, 0, 'a line the tail would show'))
    const rows = ['Welcome.', 'Installing [####] 100%', 'Token (\u001B]0;title\u0007hidden): ']
    // Screens coalesce: only the newest of a burst is drawn.
    store.report({type: 'screen', stepId: p.steps[0]!.id, rows: ['old screen'], cursor: {row: 0, col: 0}})
    store.report({type: 'screen', stepId: p.steps[0]!.id, rows, cursor: {row: 2, col: 20}, waiting: {prompt: 'Token (hidden):'}})
    await settle()
    const shown = ui.lastFrame()!.split('\n')
    const command = shown.findIndex((row) => row.startsWith('$ sh installer.sh'))
    expect(shown.slice(command + 1)).toEqual([
      '  Welcome.',
      '  Installing [####] 100%',
      '  Token (hidden):',
      '⌨ Waiting for input: Token (hidden): — type the answer here, Enter sends it',
      '1/8 · 0:04 · ctrl-] whole terminal  ctrl-c stop',
    ])
    expect(ui.lastFrame()).not.toContain('old screen')
    expect(ui.lastFrame()).not.toContain('a line the tail would show')
    ui.unmount()
  })
})
