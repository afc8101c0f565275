/**
 * The terminal's size, re-read on resize. Ink re-lays out on resize by itself;
 * this makes our row budgets and cut widths follow too.
 */
import {useEffect, useReducer} from 'react'
import {useStdout} from 'ink'

export interface TerminalSize {
  columns: number
  rows: number
}

export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
  const {stdout} = useStdout()
  const [, refresh] = useReducer((n: number) => n + 1, 0)
  useEffect(() => {
    if (fixed) return
    stdout.on('resize', refresh)
    return () => {
      stdout.off('resize', refresh)
    }
  }, [stdout, fixed])
  return fixed ?? {columns: stdout.columns || 80, rows: stdout.rows || 24}
}
