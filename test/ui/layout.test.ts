import {describe, expect, test} from 'vitest'
import {computeLayout, type LayoutInput} from '../../src/ui/app/layout.js'

const base: LayoutInput = {rows: 24, headerRows: 3, steps: 8, commandRows: 1, noticeRows: 0, promptRows: () => 0, ended: false, summaryRows: 0}

/** Rows used: header, steps rule and steps, lower rule, command, notice, tail, prompt, footer. */
function used(input: LayoutInput): number {
  const l = computeLayout(input)
  const prompt = input.promptRows(Infinity) === 0 ? 0 : l.promptRows
  return input.headerRows + 1 + l.stepRows + 1 + input.commandRows + input.noticeRows + l.tailRows + prompt + 1
}

describe('computeLayout', () => {
  test('80×24, eight steps: every step shows, the output gets the rest, one row stays free', () => {
    expect(computeLayout(base)).toEqual({stepRows: 8, tailRows: 8, promptRows: 0, bodyRows: 19})
    expect(used(base)).toBe(23)
  })

  test('few steps leave more room for output', () => {
    expect(computeLayout({...base, steps: 3})).toMatchObject({stepRows: 3, tailRows: 13})
  })

  test('a long list gets a window; a tall terminal gives the output up to 16 rows', () => {
    expect(computeLayout({...base, steps: 40})).toMatchObject({stepRows: 8, tailRows: 8})
    expect(computeLayout({...base, rows: 60, steps: 40})).toMatchObject({stepRows: 37, tailRows: 15})
  })

  test('a prompt takes its rows from the output first, then from the steps, down to three steps', () => {
    expect(computeLayout({...base, promptRows: () => 5})).toMatchObject({stepRows: 8, tailRows: 3, promptRows: 5})
    const tall = {...base, steps: 40, promptRows: (max: number) => Math.min(30, max)}
    expect(computeLayout(tall)).toMatchObject({stepRows: 3, tailRows: 0, promptRows: 13})
    expect(used(tall)).toBe(23)
  })

  test('the end: the summary below as many steps as fit', () => {
    expect(computeLayout({...base, steps: 40, ended: true, summaryRows: 5})).toMatchObject({stepRows: 14, tailRows: 0})
  })

  test('a tiny terminal still shows something', () => {
    expect(computeLayout({...base, rows: 8})).toMatchObject({stepRows: 3, tailRows: 0})
  })
})
