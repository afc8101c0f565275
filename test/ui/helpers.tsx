/** Shared bits of the component tests: keys, waiting for React, a theme wrapper. */
import type {ReactNode} from 'react'
import {expect} from 'vitest'
// Ink's own colour library: under vitest stdout is no terminal, so it starts with colours off.
import chalk from 'chalk'
import {ThemeContext, themeFor} from '../../src/ui/app/theme.js'

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  right: '\u001B[C',
  left: '\u001B[D',
  enter: '\r',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  home: '\u001B[H',
  end: '\u001B[F',
  backspace: '\u007F',
  ctrlC: '\u0003',
  ctrlU: '\u0015',
}

/** Let React commit and run effects (useInput subscribes in an effect). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve))
  await new Promise((resolve) => setTimeout(resolve, 0))
}

/** Type into ink-testing-library's stdin once the app listens. */
export async function press(stdin: {write(data: string): void}, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    await settle()
    stdin.write(key)
  }
  await settle()
}

/** The frame, once React has caught up with the last update; compared exactly. */
export async function expectFrame(lastFrame: () => string | undefined, expected: string): Promise<void> {
  for (let i = 0; i < 20 && lastFrame() !== expected; i++) await settle()
  expect(lastFrame()).toBe(expected)
}

export function plain(node: ReactNode, color = false) {
  return <ThemeContext.Provider value={themeFor(color)}>{node}</ThemeContext.Provider>
}

/** Frames are compared as arrays of rows in tests that read better that way. */
export function frame(rows: string[]): string {
  return rows.join('\n')
}

/** Run with Ink's colours on, as in a terminal (until the promise settles, for async `fn`). */
export function withColor<T>(fn: () => T): T {
  const level = chalk.level
  chalk.level = 1
  const restore = () => {
    chalk.level = level
  }
  try {
    const result = fn()
    if (result instanceof Promise) return result.finally(restore) as T
    restore()
    return result
  } catch (error) {
    restore()
    throw error
  }
}
