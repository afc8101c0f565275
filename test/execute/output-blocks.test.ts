import {afterAll, describe, expect, it} from 'vitest'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {BlockSplitter, OutputTail, countLines, lastLines} from '../../src/execute/lines.js'
import {frameLines, frameLinesSlowly} from '../../src/ui/frame-lines.js'
import {OutputPump} from '../../src/execute/output-pump.js'
import {failedLineIn, runScript} from '../../src/execute/process.js'
import {createMasker} from '../../src/execute/secrets.js'
import {StepLog} from '../../src/execute/step-log.js'
import {ShellPool} from '../../src/execute/shell-host.js'
import {createPlainReporter} from '../../src/ui/plain.js'
import {createRunStore} from '../../src/ui/app/store.js'
import {TAIL_LINES} from '../../src/ui/app/useRunState.js'
import * as f from '../ui/fixtures.js'
import type {RunEvent} from '../../src/execute/events.js'

const dirs: string[] = []
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rb-blocks-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
})

/** Feeds `whole` cut at `cuts` (byte offsets) into a splitter; returns every block and the held bytes after each push. */
function split(whole: Buffer, cuts: number[], maxLine?: number): {blocks: string[]; held: number[]} {
  const s = new BlockSplitter(maxLine)
  const blocks: string[] = []
  const held: number[] = []
  let at = 0
  for (const cut of [...cuts, whole.length]) {
    const block = s.push(whole.subarray(at, cut))
    if (block !== undefined) blocks.push(block.text)
    held.push(s.held)
    at = cut
  }
  const last = s.end()
  if (last !== undefined) blocks.push(last.text)
  return {blocks, held}
}

describe('output blocks', () => {
  const text = 'alpha\nbéta — ünïcode €\n\ngamma delta\nlast without newline'
  const lines = text.split('\n')
  const bytes = Buffer.from(text)

  it('shows a line split across two chunks once, whole, wherever the cut falls (inside a UTF-8 character too)', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const {blocks} = split(bytes, [cut])
      expect(blocks.join('\n').split('\n')).toEqual(lines)
      // Every block is whole lines: none ends in the middle of one of the text's lines.
      for (const block of blocks) for (const line of block.split('\n')) expect(lines).toContain(line)
    }
  })

  it('gives the same lines for a byte-by-byte stream as for one chunk', () => {
    const cuts = Array.from({length: bytes.length - 1}, (_, i) => i + 1)
    expect(split(bytes, cuts).blocks.join('\n')).toBe(text)
    expect(split(bytes, []).blocks).toEqual([lines.slice(0, -1).join('\n'), 'last without newline'])
  })

  it('holds a 1 MB line without a newline to at most 64 KiB, and shows it in 64 KiB pieces', () => {
    const mb = Buffer.alloc(1_000_000, 'z')
    for (const chunk of [4096, 65536, 300_000]) {
      const cuts = Array.from({length: Math.floor((mb.length - 1) / chunk)}, (_, i) => (i + 1) * chunk)
      const {blocks, held} = split(mb, cuts)
      expect(Math.max(...held)).toBeLessThan(65536)
      const pieces = blocks.join('\n').split('\n')
      expect(pieces.map((p) => p.length)).toEqual([...Array<number>(15).fill(65536), 1_000_000 - 15 * 65536])
      expect(pieces.join('')).toBe(mb.toString())
    }
  })

  it('cuts a long line between characters, never inside one', () => {
    // '€' is 3 bytes: 65 536 is not a multiple of 3, so each piece stops a byte early.
    const euros = Buffer.from('€'.repeat(50_000) + '\n')
    const {blocks} = split(euros, [70_000])
    const pieces = blocks.join('\n').split('\n')
    expect(pieces.map((p) => p.length)).toEqual([21845, 21845, 50_000 - 2 * 21845])
    expect(pieces.join('')).toBe('€'.repeat(50_000))
  })

  it('cuts only the long line of a block, the short ones around it stay whole', () => {
    expect(split(Buffer.from('a\nxxxxxxxxxx\nb\n'), [], 4).blocks).toEqual(['a\nxxxx\nxxxx\nxx\nb'])
    expect(split(Buffer.from('a\nbb\ncccc\nd\n'), [], 4).blocks).toEqual(['a\nbb\ncccc\nd'])
  })

  it('frames plain lines and tells printable ASCII from anything else, byte for byte, at every place in a SIMD lane and across windows', () => {
    const plain = (b: number) => (b >= 0x20 && b <= 0x7e) || b === 0x09 || b === 0x0a
    const framed = (frame: typeof frameLines, bytes: Uint8Array, template: Buffer) => {
      const out: Buffer[] = []
      return frame(bytes, template, (piece) => out.push(Buffer.from(piece))) ? Buffer.concat(out).toString('latin1') : undefined
    }
    const bar = Buffer.from('\n  | ')
    const wide = Buffer.from('\u001b[39m\n\u001b[2m  | \u001b[22m\u001b[33m')
    for (const length of [1, 15, 16, 17, 33, 163_840 + 7]) {
      const base = Buffer.alloc(length, 'a')
      expect(framed(frameLines, base, bar)).toBe(base.toString())
      const places = [...new Set([0, Math.min(1, length - 1), length - 1, Math.floor(length / 2), Math.min(163_840, length - 1)])]
      for (let b = 0; b < 256; b++) {
        for (const at of places) {
          const bytes = Buffer.from(base)
          bytes[at] = b
          const expected = plain(b) ? bytes.toString('latin1').replaceAll('\n', '\n  | ') : undefined
          expect(framed(frameLines, bytes, bar)).toBe(expected)
          if (length < 100) expect(framed(frameLinesSlowly, bytes, bar)).toBe(expected)
          // A view that does not start at the beginning of its memory reads the same.
          expect(framed(frameLines, Buffer.concat([Buffer.from('x'), bytes]).subarray(1), bar)).toBe(expected)
        }
      }
    }
    // Newlines at every place in a lane, runs of them, and a template too long for one window's room: the same bytes as the plain loop.
    const lines = Buffer.from(Array.from({length: 400}, (_, i) => 'x'.repeat(i % 37) + '\n'.repeat(1 + (i % 3))).join(''))
    for (const template of [bar, wide, Buffer.from('\n')]) {
      for (const size of [0, 1, 16, 31, 200, lines.length]) {
        const bytes = lines.subarray(0, size)
        expect(framed(frameLines, bytes, template)).toBe(bytes.toString('latin1').replaceAll('\n', template.toString('latin1')))
      }
    }
    const manyLines = Buffer.alloc(200_000, '\n')
    expect(framed(frameLines, manyLines, wide)).toBe(framed(frameLinesSlowly, manyLines, wide))
  })

  it('keeps the bytes of whole lines as the step wrote them and decodes them only when asked', () => {
    const push = (text: string | Buffer) => new BlockSplitter().push(Buffer.from(text))!
    expect(push('ok\tfine\n').bytes).toEqual([Buffer.from('ok\tfine\n')])
    expect(push('ok\n\u001b[31mred\n').text).toBe('ok\n\u001b[31mred')
    expect(push('caf\u00e9\n').text).toBe('café')
    expect(push(Buffer.from([0x61, 0xff, 0x0a])).text).toBe('a\ufffd')
    expect(push(Buffer.from([0x61, 0xff, 0x0a])).bytes).toEqual([Buffer.from([0x61, 0xff, 0x0a])])
    // A line split across chunks: the held start and the rest, each whole lines.
    const s = new BlockSplitter()
    expect(s.push(Buffer.from('one\ntw'))!.text).toBe('one')
    const block = s.push(Buffer.from('o\nthree\nfour\nfi'))!
    expect(block.bytes).toEqual([Buffer.from('two\n'), Buffer.from('three\nfour\n')])
    expect(block.lastLines(2)).toEqual(['three', 'four'])
    expect(block.lastLines(5)).toEqual(['two', 'three', 'four'])
    expect(block.text).toBe('two\nthree\nfour')
    expect(s.end()!.text).toBe('fi')
  })

  it('counts lines and finds the last ones of a block exactly', () => {
    expect(countLines('one')).toBe(1)
    expect(countLines('')).toBe(1)
    expect(countLines('a\n\nb')).toBe(3)
    expect(lastLines('a\nb\nc\nd', 2)).toEqual(['c', 'd'])
    expect(lastLines('a\nb', 5)).toEqual(['a', 'b'])
    expect(lastLines('\n', 5)).toEqual(['', ''])
    expect(lastLines('x', 0)).toEqual([])
  })

  it('keeps the last N lines of the output in its tail, across blocks', () => {
    const tail = new OutputTail(3)
    expect(tail.lines()).toEqual([])
    tail.push('l1\nl2')
    expect(tail.lines()).toEqual(['l1', 'l2'])
    tail.push('l3\nl4\nl5\nl6')
    expect(tail.lines()).toEqual(['l4', 'l5', 'l6'])
    tail.push('l7')
    expect(tail.lines()).toEqual(['l5', 'l6', 'l7'])
    tail.push('')
    expect(tail.lines()).toEqual(['l6', 'l7', ''])
  })

  it('finds the ERR trap line in a block of stderr: the last one at the start of a line', () => {
    expect(failedLineIn('runbook: line 3 exited with 1')).toBe(3)
    expect(failedLineIn('oops\nrunbook: line 3 exited with 1\nrunbook: line 12 exited with 2\nafter')).toBe(12)
    expect(failedLineIn('runbook: line 4 exited with 1\nsaid: runbook: line 9 exited with 1')).toBe(4)
    expect(failedLineIn('runbook: line 5 exited with 1 and more')).toBeUndefined()
    expect(failedLineIn('nothing here')).toBeUndefined()
  })
})

describe('a pump of output blocks', () => {
  const secret = 'tok-0123456789abcdef'

  it('masks a secret split across two chunks, at every cut, in the log and in the blocks shown', async () => {
    const whole = Buffer.from(`before ${secret} after\nnext\n`)
    for (let cut = 1; cut < whole.length; cut++) {
      const file = join(temp(), 'step.log')
      const log = new StepLog(file)
      const blocks: string[] = []
      const pump = new OutputPump('stdout', {masker: createMasker([secret]), log, onOutput: (_s, block) => blocks.push(block.text)})
      pump.take(whole.subarray(0, cut))
      pump.take(whole.subarray(cut))
      pump.end()
      await log.close()
      expect(readFileSync(file, 'utf8')).toBe('before *** after\nnext\n')
      expect(blocks.join('\n').split('\n')).toEqual(['before *** after', 'next'])
    }
  })

  it('writes each read to the log as it comes, in order, whether the file was open yet or not', async () => {
    const file = join(temp(), 'step.log')
    const log = new StepLog(file)
    // Before the file is open (it opens off the main thread), what is written waits in memory.
    log.write('# header\n')
    log.writeBytes([Buffer.from('first line\n')])
    for (let i = 0; i < 200 && !(existsSync(file) && readFileSync(file, 'utf8').includes('first line')); i++) await new Promise((r) => setTimeout(r, 10))
    expect(readFileSync(file, 'utf8')).toBe('# header\nfirst line\n')
    // Once open, a write is in the file when writeBytes returns (a person running `runbook log` sees it).
    log.writeBytes([Buffer.from('second\n')])
    expect(readFileSync(file, 'utf8')).toBe('# header\nfirst line\nsecond\n')
    // Many parts in one write (more than one writev takes), then many writes.
    const parts = Array.from({length: 5000}, (_, i) => Buffer.from(`line ${i} ${'x'.repeat(i % 200)}\n`))
    log.writeBytes(parts.slice(0, 2500))
    for (const part of parts.slice(2500)) log.writeBytes([part])
    await log.close()
    expect(readFileSync(file)).toEqual(Buffer.concat([Buffer.from('# header\nfirst line\nsecond\n'), ...parts]))
  })

  it('reports a flood of a real step in blocks, not a line at a time, and every line once', async () => {
    const dir = temp()
    const pool = new ShellPool()
    const blocks: string[] = []
    try {
      const result = await runScript({script: 'seq 1 100000', cwd: dir, masker: createMasker([]), shells: pool, onOutput: (_s, block) => blocks.push(block.text)})
      expect(result.exitCode).toBe(0)
    } finally {
      pool.close()
    }
    expect(blocks.join('\n')).toBe(Array.from({length: 100_000}, (_, i) => String(i + 1)).join('\n'))
    // seq writes 4 KiB at a time: each event carries hundreds of lines.
    expect(blocks.length).toBeLessThan(1000)
  })
})

describe('reporters of output blocks', () => {
  function sink(): {out: Writable; text: () => string} {
    const parts: Buffer[] = []
    return {out: new Writable({write: (c: Buffer, _e, done) => (parts.push(c), done())}), text: () => Buffer.concat(parts).toString('utf8')}
  }

  it('prints each line of a block with the bar, control characters visible, UTF-8 intact, stderr in yellow', async () => {
    const p = f.plan([f.step(1, 'Flood')])
    for (const color of [false, true]) {
      const {out, text} = sink()
      const report = createPlainReporter(out, {color})
      report({...f.output(p, 0, 'plain one\nplain two'), bytes: [Buffer.from('plain one\n'), Buffer.from('plain two\n')]} as RunEvent)
      report({...f.output(p, 0, 'x'), bytes: [Buffer.from('one\n'), Buffer.from('\u001B[31mred\n')]} as RunEvent)
      report(f.output(p, 0, 'café\n\u001B]0;title\u0007\rdone'))
      report({type: 'output', stepId: p.steps[0]!.id, stream: 'stderr', text: 'warn a\nwarn b', bytes: [Buffer.from('warn a\nwarn b\n')]})
      report({type: 'output', stepId: p.steps[0]!.id, stream: 'stderr', text: 'warn c'})
      await new Promise((r) => setTimeout(r, 20))
      const bar = color ? '\u001B[2m  | \u001B[22m' : '  | '
      const yellow = (s: string) => (color ? `\u001B[33m${s}\u001B[39m` : s)
      expect(text()).toBe([`${bar}plain one`, `${bar}plain two`, `${bar}x`, `${bar}café`, `${bar}^[]0;title^G^Mdone`, `${bar}${yellow('warn a')}`, `${bar}${yellow('warn b')}`, `${bar}${yellow('warn c')}`, ''].join('\n'))
    }
  })

  it('keeps the terminal UI tail to the last lines of a block and counts all of them', () => {
    const store = createRunStore({title: 't', throttleMs: 0})
    const p = f.plan([f.step(1, 'Flood')])
    store.report(f.runStart(p))
    store.report(f.stepStart(p, 0))
    store.report(f.output(p, 0, Array.from({length: 1000}, (_, i) => `line ${i}`).join('\n')))
    store.report(f.output(p, 0, 'one more'))
    const current = store.getSnapshot().current!
    expect(current.lineCount).toBe(1001)
    expect(current.tail).toEqual([...Array.from({length: TAIL_LINES - 1}, (_, i) => `line ${1000 - TAIL_LINES + 1 + i}`), 'one more'])
  })
})
