import {afterAll, describe, expect, it} from 'vitest'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {createMasker, type Masker} from '../../src/execute/secrets.js'
import {OutputPump} from '../../src/execute/output-pump.js'
import {StepLog} from '../../src/execute/step-log.js'
import {runScript} from '../../src/execute/process.js'
import {ShellPool} from '../../src/execute/shell-host.js'

const dirs: string[] = []
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rb-stream-mask-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
})

/** The stream masker fed `chunks`, its output joined. */
function streamed(masker: Masker, chunks: Buffer[]): Buffer {
  const stream = masker.stream()!
  return Buffer.concat([...chunks.flatMap((c) => stream.push(c)), ...stream.end()])
}

/** `whole` cut at each of `cuts` (ascending byte offsets). */
function cutAt(whole: Buffer, cuts: number[]): Buffer[] {
  const points = [0, ...cuts, whole.length]
  return points.slice(1).map((end, i) => whole.subarray(points[i], end))
}

describe('the stream masker', () => {
  const secrets = ['tok-9f8e7d6c', `pa ss'wo"rd`, 'abcabd']
  const masker = createMasker(secrets)
  const text = `start tok-9f8e7d6c then 'pa ss'\\''wo"rd' and "pa ss'wo\\"rd" abcabcabd abcab tok-9f8e7d end tok-9f8e7d6c`

  it('masks the stream as masking it whole does, cut at every byte', () => {
    const whole = Buffer.from(text)
    const expected = masker.mask(text)
    expect(expected).toBe(`start *** then *** and "***" abc*** abcab tok-9f8e7d end ***`)
    for (let cut = 0; cut <= whole.length; cut++) {
      expect([cut, streamed(masker, cutAt(whole, [cut])).toString()]).toEqual([cut, expected])
    }
    // And fed one byte at a time: every chunk boundary at once.
    expect(streamed(masker, cutAt(whole, Array.from({length: whole.length - 1}, (_, i) => i + 1))).toString()).toBe(expected)
  })

  it('masks at every pair of cuts around a secret', () => {
    const whole = Buffer.from('xx tok-9f8e7d6c yy')
    for (let a = 0; a <= whole.length; a++) {
      for (let b = a; b <= whole.length; b++) expect(streamed(masker, cutAt(whole, [a, b])).toString()).toBe('xx *** yy')
    }
  })

  it('prefers the longest form at a position, and waits for it across chunks', () => {
    // `pass` is a beginning of `password1`: `passwo` alone is `pass` masked, `password1` is one mask.
    const m = createMasker(['password1', 'pass'])
    const whole = Buffer.from('password1 pass passwo password passwordX password1')
    const expected = m.mask(whole.toString())
    expect(expected).toBe('*** *** ***wo ***word ***wordX ***')
    for (let cut = 0; cut <= whole.length; cut++) expect(streamed(m, cutAt(whole, [cut])).toString()).toBe(expected)
  })

  it('lets out everything that cannot begin a secret, and holds no more than a secret less one byte', () => {
    const stream = createMasker(['secret-value']).stream()!
    expect(Buffer.concat(stream.push(Buffer.from('line one\nline two secret-va'))).toString()).toBe('line one\nline two ')
    expect(Buffer.concat(stream.push(Buffer.from('lue\nsecre')))).toEqual(Buffer.from('***\n'))
    expect(Buffer.concat(stream.push(Buffer.from('tive\n'))).toString()).toBe('secretive\n')
    expect(stream.end()).toEqual([])
    const tail = createMasker(['secret-value']).stream()!
    expect(Buffer.concat([...tail.push(Buffer.from('ends with secret-valu')), ...tail.end()]).toString()).toBe('ends with secret-valu')
  })

  it('masks each line of a multi-line secret, and the whole of it', () => {
    const m = createMasker(['-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34\n-----END KEY-----'])
    const whole = Buffer.from('key:\n-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34\n-----END KEY-----\nlater: MIIBOgIBAAJBAKj34\n')
    for (let cut = 0; cut <= whole.length; cut++) expect(streamed(m, cutAt(whole, [cut])).toString()).toBe('key:\n***\nlater: ***\n')
  })

  it('agrees with masking the whole text, for any secrets and any cuts (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '\n', "'", 'é')
    const str = (min: number, max: number) => fc.array(alphabet, {minLength: min, maxLength: max}).map((cs) => cs.join(''))
    fc.assert(
      fc.property(fc.array(str(1, 6), {minLength: 1, maxLength: 4}), str(0, 80), fc.array(fc.nat(), {maxLength: 6}), (values, text, rawCuts) => {
        const m = createMasker(values)
        const whole = Buffer.from(text)
        const cuts = [...new Set(rawCuts.map((c) => c % (whole.length + 1)))].sort((x, y) => x - y)
        expect(streamed(m, cutAt(whole, cuts))).toEqual(Buffer.from(m.mask(text)))
      }),
      {numRuns: 3000},
    )
  })

  it('keeps bytes that are not UTF-8 as they are', () => {
    const m = createMasker(['s3cret'])
    const whole = Buffer.from([0xff, 0xfe, 0x20, ...Buffer.from('s3cret'), 0xc3, 0x0a, 0x80, 0x73, 0x33])
    for (let cut = 0; cut <= whole.length; cut++) {
      expect(streamed(m, cutAt(whole, [cut]))).toEqual(Buffer.from([0xff, 0xfe, 0x20, ...Buffer.from('***'), 0xc3, 0x0a, 0x80, 0x73, 0x33]))
    }
  })
})

describe('a step output pump', () => {
  const secret = 'tok-0123456789abcdef'
  const masker = createMasker([secret])

  /** Pumps `whole` in `chunks`-sized pieces into a log; returns the log's bytes and the lines shown. */
  async function pump(whole: Buffer, chunk: number, m: Masker = masker) {
    const file = join(temp(), 'step.log')
    const log = new StepLog(file)
    const lines: string[] = []
    const p = new OutputPump('stdout', {masker: m, log, onOutput: (_stream, block) => lines.push(...block.text.split('\n'))})
    for (let at = 0; at < whole.length; at += chunk) p.take(whole.subarray(at, at + chunk))
    p.end()
    await log.close()
    return {log: readFileSync(file), lines}
  }

  it('masks a secret that straddles the 64 KiB line cut, in the log and on screen, wherever the chunks end', async () => {
    const cut = 64 * 1024
    for (const before of [cut - 1, cut - 5, cut - secret.length + 1, cut]) {
      const whole = Buffer.from(`${'x'.repeat(before)}${secret}y\nnext ${secret}\n`)
      for (const chunk of [7, 4096, 65536, whole.length]) {
        const {log, lines} = await pump(whole, chunk)
        expect(log.toString()).toBe(`${'x'.repeat(before)}***y\nnext ***\n`)
        expect(lines.join('')).toBe(`${'x'.repeat(before)}***ynext ***`)
        expect(lines.some((line) => line.includes('tok-'))).toBe(false)
      }
    }
  })

  it('writes the step output to the log byte for byte, UTF-8 or not, with or without secrets', async () => {
    const bytes = Buffer.from([0x61, 0xff, 0x0a, 0xc3, 0x28, 0x0a, 0xe2, 0x82, 0x0a, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0x0a, 0xc0, 0xaf])
    for (const m of [createMasker([]), masker]) {
      for (const chunk of [1, 2, 3, bytes.length]) expect((await pump(bytes, chunk, m)).log).toEqual(bytes)
    }
  })

  it('runs a real step whose output is not UTF-8 and holds a secret across the line cut: the log has its bytes, the secret masked', async () => {
    const dir = temp()
    const file = join(dir, 'step.log')
    const log = new StepLog(file)
    const pool = new ShellPool()
    const lines: string[] = []
    try {
      // 65 530 bytes of x, the secret across byte 65 536, then bytes that are not UTF-8.
      const script = `head -c 65530 /dev/zero | tr '\\0' x; printf '%s\\n' '${secret}'; printf 'bad \\377\\376 \\303(\\n'`
      for (const shells of [pool, undefined]) {
        const result = await runScript({script, cwd: dir, masker, log, onOutput: (_s, block) => lines.push(...block.text.split('\n')), ...(shells ? {shells} : {})})
        expect(result.exitCode).toBe(0)
      }
    } finally {
      pool.close()
      await log.close()
    }
    const once = Buffer.concat([Buffer.from('x'.repeat(65530) + '***\n'), Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x20, 0xc3, 0x28, 0x0a])])
    expect(readFileSync(file)).toEqual(Buffer.concat([once, once]))
    expect(lines.join('\n')).not.toContain('tok-')
  })
})
