/**
 * The screen a person sees while a step on a pseudo-terminal goes quiet: it
 * must be the screen as the program left it. The emulator parses a long
 * write in slices after the data arrives, so a screen taken on arrival can be
 * older than the output; the step then sleeps (an installer lingering on its
 * last screen, a service starting) and the pane would keep the stale rows.
 *
 * Each quiet spell lasts until a screen shows it (at most QUIET_MAX_S), not a
 * fixed time: a loaded machine can starve the runner through any fixed pause
 * (CI once did through 300 ms), while a stale screen is never replaced. The
 * step itself records each pause it waited out unseen: a screen that shows the
 * pause only once the step has gone on (taken as new output arrives, before it
 * is drawn) came too late for the person watching.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
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

/** Where the program stopped, as a screen shows it: the row above the cursor, the cursor at column 0 (else nothing). */
function stoppedAt(screen: Screen): string | undefined {
  return screen.cursor.col === 0 ? screen.rows[screen.cursor.row - 1] : undefined
}

/** How long the step waits at one pause for a screen that shows it. */
const QUIET_MAX_S = 5

/**
 * The step prints `pause N` after output of each size, then stays quiet until a
 * screen shows it or QUIET_MAX_S pass; in the latter case it notes N in `unseen`.
 */
function pausingScript(sizes: number[]): string {
  const polls = QUIET_MAX_S * 20
  const quiet = (n: number) => `for _ in $(seq ${polls}); do [ -e shown-${n} ] && break; sleep 0.05; done\n[ -e shown-${n} ] || echo "pause ${n}" >> unseen\n`
  return sizes.map((lines, i) => `seq 1 ${lines}\necho "pause ${i + 1}"\n${quiet(i + 1)}`).join('')
}

async function lastScreenWhileQuiet(script: string, loaded: boolean): Promise<{screens: Screen[]; unseen: string[]; exitCode?: number}> {
  const stop = loaded ? busyLoop() : () => {}
  const screens: Screen[] = []
  const pause = /^pause (\d+)$/
  // A folder per run: its marks must not release another run's pauses.
  const dir = mkdtempSync(join(cwd, 'run-'))
  const lease: TerminalLease = {cols: 80, rows: 24, direct: false, release: async () => {}}
  const result = await runOnPty({
    script,
    cwd: dir,
    masker: createMasker([]),
    answers: [],
    attach: () => lease,
    stepId: 's1',
    reporter: (event) => {
      if (event.type !== 'screen') return
      screens.push(event)
      // The screen shows a pause: the step may go on.
      const shown = pause.exec(stoppedAt(event) ?? '')
      if (shown && !existsSync(join(dir, `shown-${shown[1]}`))) writeFileSync(join(dir, `shown-${shown[1]}`), '')
    },
  }).finally(stop)
  const unseen = existsSync(join(dir, 'unseen')) ? readFileSync(join(dir, 'unseen'), 'utf8').split('\n').filter(Boolean) : []
  return {screens, unseen, exitCode: result.exitCode}
}

describe('the pane of a step on a pseudo-terminal', () => {
  // Each pause follows output of another size: one write, a few, many parsed in slices. A stale screen is a race
  // lost now and then, hence thirty pauses: without the fix the loaded run failed 5 times in 6.
  const sizes = Array.from({length: 10}, () => [1, 300, 5000]).flat()

  for (const loaded of [false, true]) {
    it(`shows the last output during every quiet spell (${sizes.length} pauses${loaded ? ', busy event loop' : ''})`, {timeout: sizes.length * QUIET_MAX_S * 1000 + 60_000}, async () => {
      const {screens, unseen, exitCode} = await lastScreenWhileQuiet(pausingScript(sizes), loaded)
      expect(exitCode).toBe(0)
      expect(unseen).toEqual([])
      // The last screen sent is the program's last.
      expect(screens.map(stoppedAt).filter((line) => line !== undefined).at(-1)).toBe(`pause ${sizes.length}`)
    })
  }
})
