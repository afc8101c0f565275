/**
 * The steps with their status and time, in a window of `rows` that follows
 * the step in focus (the running one) through long lists.
 */
import {Box, Text} from 'ink'
import type {StepView} from './useRunState.js'
import {Spinner} from './Spinner.js'
import {useTheme, type Theme} from './theme.js'
import {formatDuration, padOrCut, rule} from './text.js'
import {maxOf} from '../../arrays.js'

export interface StepListProps {
  steps: StepView[]
  /** Index of the step to keep in view. */
  focus: number
  rows: number
  width: number
  now: number
  tick: number
}

/** First index shown: the focus sits a third of the way down, so what comes next stays visible. */
export function windowStart(total: number, focus: number, rows: number): number {
  return Math.max(0, Math.min(focus - Math.floor(rows / 3), total - rows))
}

export function StepList({steps, focus, rows, width, now, tick}: StepListProps) {
  const theme = useTheme()
  if (steps.length === 0 || rows <= 0) return null
  const start = windowStart(steps.length, focus, rows)
  const shown = steps.slice(start, start + rows)
  const range = shown.length < steps.length ? `${start + 1}–${start + shown.length} of ${steps.length}` : undefined
  const numberWidth = String(maxOf(steps.map((s) => s.number))).length
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...theme.rule}>
        {rule(width, 'Steps', range)}
      </Text>
      {shown.map((step) => (
        <StepRow key={step.id} step={step} numberWidth={numberWidth} width={width} now={now} tick={tick} />
      ))}
    </Box>
  )
}

function StepRow({step, numberWidth, width, now, tick}: {step: StepView; numberWidth: number; width: number; now: number; tick: number}) {
  const theme = useTheme()
  const right = detail(step, now)
  const prefix = `  ${String(step.number).padStart(numberWidth)}  `
  const room = Math.max(1, width - 2 - prefix.length - (right ? right.length + 1 : 0))
  const title = padOrCut(step.title, room)
  return (
    <Text wrap="truncate-end">
      {' '}
      {step.status === 'running' ? <Spinner tick={tick} /> : <Text {...glyphStyle(step, theme)}>{glyph(step)}</Text>}
      {prefix}
      <Text {...titleStyle(step, theme)}>{title}</Text>
      {right && <Text {...theme.muted}>{' ' + right}</Text>}
    </Text>
  )
}

export function glyph(step: StepView): string {
  switch (step.status) {
    case 'pending':
      return '·'
    case 'running':
      return '…'
    case 'done':
      return '✓'
    case 'failed':
      return '✗'
    case 'interrupted':
      return '!'
    case 'skipped':
      return step.skipReason === 'other-host' ? '↷' : step.skipReason === 'done-before' ? '✓' : '–'
  }
}

const SKIP_TEXT: Record<string, string> = {
  'other-host': 'other host',
  user: 'skipped',
  filter: 'not selected',
  'done-before': 'done before',
}

/** The right-hand column: time, or why a step did not run. */
export function detail(step: StepView, now: number): string {
  const retry = step.attempt > 1 ? `try ${step.attempt} · ` : ''
  switch (step.status) {
    case 'pending':
      return ''
    case 'running':
      return retry + formatDuration(now - (step.startedAt ?? now))
    case 'skipped':
      return SKIP_TEXT[step.skipReason ?? 'user'] ?? 'skipped'
    case 'failed':
      return retry + (step.exitCode !== undefined ? `exit ${step.exitCode} · ` : '') + formatDuration(step.durationMs ?? 0)
    case 'interrupted':
      return 'stopped · ' + formatDuration(step.durationMs ?? 0)
    case 'done':
      return retry + formatDuration(step.durationMs ?? 0)
  }
}

function glyphStyle(step: StepView, theme: Theme) {
  if (step.status === 'done') return theme.ok
  if (step.status === 'failed') return theme.fail
  if (step.status === 'interrupted') return theme.warn
  return theme.muted
}

function titleStyle(step: StepView, theme: Theme) {
  if (step.status === 'running') return theme.running
  if (step.status === 'failed') return theme.fail
  if (step.status === 'skipped') return theme.muted
  return {}
}
