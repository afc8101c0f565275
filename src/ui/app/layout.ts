/**
 * How the rows of the terminal are shared out. Everything is cut to one row
 * per line, so heights are known before rendering and the frame always stays
 * below the terminal height (Ink clears the whole screen on every frame once
 * its output reaches the last row).
 */

export interface LayoutInput {
  rows: number
  headerRows: number
  steps: number
  /** Rows of the running command, and of the notice line. */
  commandRows: number
  noticeRows: number
  /** The open prompt's rows, given at most `max`; 0 when none. */
  promptRows(max: number): number
  ended: boolean
  summaryRows: number
}

export interface Layout {
  stepRows: number
  tailRows: number
  promptRows: number
  /** Rows for a full-screen view (the log viewer) between header and footer. */
  bodyRows: number
}

/** Steps kept on screen however busy the lower part gets. */
const MIN_STEPS = 3
/** The lower part (command, output, prompt) gets up to this many rows before steps take the rest. */
const LOWER_TARGET = 16

export function computeLayout(input: LayoutInput): Layout {
  const usable = Math.max(1, input.rows - 1)
  const stepsRule = input.steps > 0 ? 1 : 0
  const bodyRows = Math.max(1, usable - input.headerRows - 1)
  if (input.ended) {
    const room = usable - input.headerRows - stepsRule - input.summaryRows
    return {stepRows: clamp(room, Math.min(input.steps, 1), input.steps), tailRows: 0, promptRows: 0, bodyRows}
  }
  // Lower rule and footer take one row each.
  const body = usable - input.headerRows - stepsRule - 2
  const minSteps = Math.min(input.steps, MIN_STEPS)
  const promptRows = input.promptRows(Math.max(1, body - minSteps - input.commandRows - input.noticeRows))
  const need = input.commandRows + input.noticeRows + promptRows
  const lower = Math.max(need, Math.min(LOWER_TARGET, Math.ceil(body / 2)))
  const stepRows = clamp(body - lower, minSteps, input.steps)
  return {stepRows, tailRows: Math.max(0, body - stepRows - need), promptRows, bodyRows}
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value))
}
