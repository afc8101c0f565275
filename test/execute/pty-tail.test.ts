/**
 * A step on a pseudo-terminal that prints more than the terminal holds and
 * exits at once: every line must reach the log. Linux drops what the terminal
 * still holds when its last process exits, so without the end mark
 * (src/execute/pty/end-mark.ts) the last few KiB were lost, now and then on a
 * quiet machine and most of the time on a loaded one; CI lost a demo
 * installer's last progress redraws and its closing line that way.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {runOnPty} from '../../src/execute/pty/run-pty.js'
import {createMasker} from '../../src/execute/secrets.js'
import {StepLog} from '../../src/execute/step-log.js'
import {EndMark} from '../../src/execute/pty/end-mark.js'

let cwd: string
beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'rb-pty-tail-'))
})
afterAll(() => {
  if (cwd) rmSync(cwd, {recursive: true, force: true})
})

let runs = 0
async function onPty(script: string): Promise<{lines: string[]; raw: string; exitCode?: number; signal?: string}> {
  const lines: string[] = []
  const rawFile = join(cwd, `raw-${++runs}`)
  const rawLog = new StepLog(rawFile)
  const result = await runOnPty({
    script,
    cwd,
    masker: createMasker([]),
    answers: [],
    rawLog,
    stepId: 's1',
    onOutput: (_stream, block) => lines.push(block.text),
  })
  await rawLog.close()
  return {lines, raw: readFileSync(rawFile, 'utf8'), exitCode: result.exitCode, signal: result.signal}
}

describe('the output of a step on a pseudo-terminal, to its last byte', () => {
  // 3,000 lines of about 20 bytes: 60 KiB, fifteen times what the terminal holds.
  const count = 3000
  const expected = Array.from({length: count}, (_, i) => `line ${i + 1} of ${count}`)
  const printing = `i=1; while [ $i -le ${count} ]; do echo "line $i of ${count}"; i=$((i + 1)); done`

  it('keeps every line of 20 steps that print fast and exit at once', {timeout: 120_000}, async () => {
    const short: string[] = []
    for (let n = 0; n < 20; n++) {
      const {lines, raw, exitCode} = await onPty(printing)
      expect(exitCode).toBe(0)
      if (lines.join('\n') !== expected.join('\n')) short.push(`run ${n + 1}: ${lines.length} lines, the last ${JSON.stringify(lines.at(-1))}`)
      // The mark is cut out of everything kept.
      expect(raw).not.toContain('runbook-end')
      expect(raw.endsWith(`line ${count} of ${count}\r\n`)).toBe(true)
    }
    expect(short).toEqual([])
  })

  it("ends the same way for the script's own exit, an EXIT trap and output sent elsewhere", async () => {
    const own = await onPty(`${printing}\nexit 3`)
    expect(own.exitCode).toBe(3)
    expect(own.lines.at(-1)).toBe(`line ${count} of ${count}`)
    // The script's EXIT trap runs, and what it prints is the last line.
    const trapped = await onPty(`trap 'echo cleaned up' EXIT\n${printing}`)
    expect(trapped.exitCode).toBe(0)
    expect(trapped.lines.slice(-2)).toEqual([`line ${count} of ${count}`, 'cleaned up'])
    // A script that sends its output elsewhere does not hide the mark from the runner.
    const elsewhere = await onPty(`exec >/dev/null 2>&1\n${printing}\nfalse`)
    expect(elsewhere.exitCode).toBe(1)
    expect(elsewhere.lines).toEqual([])
    // Nor does -e stop short of it: a failing command ends the script with its status and its line.
    const failing = await onPty(`echo before\nsh -c 'exit 7'\necho after`)
    expect(failing.exitCode).toBe(7)
    expect(failing.lines).toEqual(['before', 'runbook: line 2 exited with 7'])
  })

  it('gives the script neither the nonce nor the FIFO the end is told on', async () => {
    const {lines, exitCode} = await onPty('echo "nonce=${RUNBOOK_END-unset}"\nfor fd in /proc/$BASHPID/fd/*; do echo "${fd##*/} $(readlink "$fd")"; done')
    expect(exitCode).toBe(0)
    expect(lines[0]).toBe('nonce=unset')
    const fds = lines.slice(1)
    expect(fds.slice(0, 3)).toEqual(['0 /dev/pts/' + fds[0]!.split('/').at(-1), '1 /dev/pts/' + fds[0]!.split('/').at(-1), '2 /dev/pts/' + fds[0]!.split('/').at(-1)])
    // Nothing else of the runner's: the FIFOs live in its private folder.
    expect(fds.filter((fd) => fd.includes('runbook-pty-'))).toEqual([])
  })
})

describe('the end mark, cut out of the stream', () => {
  const before = 'done\r\n\x1b[0m'
  const after = 'late\r\n'

  it('is found and cut wherever the chunks split it, and nothing else is held back or lost', () => {
    const mark = new EndMark('0123456789abcdef')
    const stream = before + mark.text + after
    for (let a = 0; a <= stream.length; a++) {
      for (let b = a; b <= stream.length; b++) {
        const m = new EndMark('0123456789abcdef')
        const out = [stream.slice(0, a), stream.slice(a, b), stream.slice(b)].map((chunk) => m.take(chunk)).join('') + m.flush()
        expect(out, `split at ${a} and ${b}`).toBe(before + after)
        expect(m.seen).toBe(true)
      }
    }
  })

  it('holds back only a tail that begins the mark, and gives it back when the stream ends without it', () => {
    const m = new EndMark('0123456789abcdef')
    expect(m.take('prompt: \x1b')).toBe('prompt: ')
    expect(m.take('[1mbold')).toBe('\x1b[1mbold')
    expect(m.take('\x1b_runbook-end-0123')).toBe('')
    expect(m.flush()).toBe('\x1b_runbook-end-0123')
    expect(m.seen).toBe(false)
    // Another nonce is output like any other.
    const other = new EndMark('fedcba9876543210')
    const foreign = new EndMark('0123456789abcdef').text
    expect(other.take(foreign) + other.flush()).toBe(foreign)
    expect(other.seen).toBe(false)
  })
})
