/**
 * The screen a person sees while a step on a pseudo-terminal goes quiet: it
 * must be the screen as the program left it. The emulator parses a long
 * write in slices after the data arrives, so a screen taken on arrival can be
 * older than the output; the step then sleeps (an installer lingering on its
 * last screen, a service starting) and the pane would keep the stale rows.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runOnPty} from '../../src/execute/pty/run-pty.js'
import {createMasker} from '../../src/execute/secrets.js'
import type {RunEvent, TerminalLease} from '../../src/execute/events.js'

let cwd: string
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'rb-pty-screen-'))
})
afterAll(() => {
  if (cwd) rmSync(cwd, {recursive: true, force: true})
})

type Screen = Extract<RunEvent, {type: 'screen'}>

/**
 * A loaded runner: the event loop busy most of the time, so output arrives while
 * the screen's own timer is already due (on a quiet machine the window is a
 * millisecond in 80).
 */
function busyLoop(): () => void {
  const timer = setInterval(() => {
    const until = performance.now() + 45
    while (performance.now() < until);
  }, 47)
  return () => clearInterval(timer)
}

async function lastScreenWhileQuiet(script: string, loaded: boolean): Promise<{screens: Screen[]; exitCode?: number}> {
  const stop = loaded ? busyLoop() : () => {}
  const screens: Screen[] = []
  const lease: TerminalLease = {cols: 80, rows: 24, direct: false, release: async () => {}}
  const result = await runOnPty({
    script,
    cwd,
    masker: createMasker([]),
    answers: [],
    attach: () => lease,
    stepId: 's1',
    reporter: (event) => {
      if (event.type === 'screen') screens.push(event)
    },
  }).finally(stop)
  return {screens, exitCode: result.exitCode}
}

describe('the pane of a step on a pseudo-terminal', () => {
  // Each pause follows output of another size: one write, a few, many parsed in slices.
  const sizes = [1, 300, 5000, 1, 300, 5000, 1, 300, 5000, 1, 300, 5000]
  const script = sizes.map((lines, i) => `seq 1 ${lines}\necho "pause ${i + 1}"\nsleep 0.3\n`).join('')

  for (const loaded of [false, true]) {
    it(`shows the last output during every quiet spell (${sizes.length} pauses${loaded ? ', busy event loop' : ''})`, {timeout: 60_000}, async () => {
      const {screens, exitCode} = await lastScreenWhileQuiet(script, loaded)
      expect(exitCode).toBe(0)
      // Where the program stopped, as each screen shows it: the row above the cursor (the cursor at column 0).
      const stoppedAt = screens.filter((s) => s.cursor.col === 0).map((s) => s.rows[s.cursor.row - 1])
      const paused = sizes.map((_, i) => `pause ${i + 1}`)
      expect(paused.filter((line) => !stoppedAt.includes(line))).toEqual([])
      // The last screen sent is the program's last.
      expect(stoppedAt.at(-1)).toBe(`pause ${sizes.length}`)
    })
  }
})
