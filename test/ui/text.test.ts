import {describe, expect, test} from 'vitest'
import {cut, cutStart, padOrCut, formatClock, formatDuration, rule, sanitizeLine, sanitizeLines, textWidth, wrapText} from '../../src/ui/app/text.js'

describe('sanitizeLine', () => {
  test('drops colours and cursor moves', () => {
    expect(sanitizeLine('\u001B[1;32mOK\u001B[0m done \u001B[2K\u001B[1A')).toBe('OK done ')
  })

  test('drops OSC strings (titles, hyperlinks) and DCS', () => {
    expect(sanitizeLine('\u001B]0;evil title\u0007a\u001B]8;;https://x.io\u001B\\link\u001B]8;;\u001B\\b\u001BPq#0\u001B\\c')).toBe('alinkbc')
  })

  test('drops two-byte escapes, C1 controls and other C0 controls', () => {
    expect(sanitizeLine('a\u001B(Bb\u001B7c\u009B31md\u0085e\u0000f\u0007g\u007F')).toBe('abcdefg')
  })

  test('a progress bar redrawn with \\r keeps its last state', () => {
    expect(sanitizeLine('10%\r55%\r100%')).toBe('100%')
    expect(sanitizeLine('done\r')).toBe('done')
    expect(sanitizeLine('\r\r')).toBe('')
  })

  test('applies backspaces', () => {
    expect(sanitizeLine('abx\bc')).toBe('abc')
    expect(sanitizeLine('\b\ba')).toBe('a')
  })

  test('expands tabs to 8 columns', () => {
    expect(sanitizeLine('a\tb\tc')).toBe('a       b       c')
  })

  test('caps the length', () => {
    expect(sanitizeLine('x'.repeat(10_000))).toHaveLength(512)
    expect(sanitizeLine('abcdef', 4)).toBe('abcd')
  })

  test('multi-line text becomes sanitised lines', () => {
    expect(sanitizeLines('one\r\ntwo\n\u001B[31mthree\u001B[0m')).toEqual(['one', 'two', 'three'])
  })
})

describe('cut', () => {
  test('keeps what fits, ends what does not with …', () => {
    expect(cut('abcdef', 6)).toBe('abcdef')
    expect(cut('abcdef', 4)).toBe('abc…')
    expect(cut('abcdef', 0)).toBe('')
  })

  test('cutStart keeps the end', () => {
    expect(cutStart('/var/lib/runbook/runs/abc/03.log', 12)).toBe('…/abc/03.log')
    expect(cutStart('short', 12)).toBe('short')
  })
})

describe('wrapText', () => {
  test('wraps at word boundaries and keeps paragraphs', () => {
    expect(wrapText('Open port 443 on the load balancer.\n\nThen come back.', 16)).toEqual([
      'Open port 443 on',
      'the load',
      'balancer.',
      '',
      'Then come back.',
    ])
  })

  test('breaks words longer than the width', () => {
    expect(wrapText('see https://example.com/a/very/long/path now', 10)).toEqual(['see', 'https://ex', 'ample.com/', 'a/very/lon', 'g/path now'])
  })
})

describe('times', () => {
  test('durations', () => {
    expect([0, 420, 7250, 42_900, 185_000, 3_725_000].map(formatDuration)).toEqual(['0.0s', '0.4s', '7.2s', '42s', '3m 05s', '1h 02m'])
  })

  test('clock', () => {
    expect([0, 7_000, 754_000, 3_723_000].map(formatClock)).toEqual(['0:00', '0:07', '12:34', '1:02:03'])
  })
})

test('rule fills the width, with a label and a right-hand note', () => {
  expect(rule(20)).toBe('────────────────────')
  expect(rule(20, 'Steps')).toBe('── Steps ───────────')
  expect(rule(30, 'Steps', '4–9 of 40')).toBe('── Steps ──────── 4–9 of 40 ──')
})

describe('terminal widths', () => {
  test('wide characters take two columns, combining marks none', () => {
    expect(textWidth('abc')).toBe(3)
    expect(textWidth('日本語')).toBe(6)
    expect(textWidth('✋ ok')).toBe(5)
    expect(textWidth('e\u0301')).toBe(1)
  })

  test('cut, cutStart, padOrCut and wrapText count columns, not characters', () => {
    expect(cut('日本語のテキスト', 7)).toBe('日本語…')
    expect(cutStart('ログ/日本語.log', 9)).toBe('…本語.log')
    expect(padOrCut('日本', 6)).toBe('日本  ')
    expect(padOrCut('abcdefgh', 6)).toBe('abcde…')
    expect(wrapText('日本語のテキスト', 6)).toEqual(['日本語', 'のテキ', 'スト'])
  })
})
