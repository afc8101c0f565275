/** The end of a run: how it went, counts, time, where the logs are and how to resume. */
import {Box, Text} from 'ink'
import type {RunEndView, StepView} from './useRunState.js'
import {useTheme} from './theme.js'
import {cut, formatDuration, rule} from './text.js'

export interface SummaryProps {
  end: RunEndView
  /** The step that failed or was stopped, if any. */
  stopped?: StepView
  width: number
}

export function summaryRows(end: RunEndView): number {
  return 3 + (end.resumeCommand ? 1 : 0)
}

const HEADLINE: Record<RunEndView['status'], string> = {
  done: '✓ Done',
  failed: '✗ Failed',
  interrupted: '! Interrupted',
  aborted: '✗ Aborted',
}

export function Summary({end, stopped, width}: SummaryProps) {
  const theme = useTheme()
  const style = end.status === 'done' ? theme.ok : end.status === 'interrupted' ? theme.warn : theme.fail
  const at = stopped && end.status !== 'done' ? ` at step ${stopped.number} (${stopped.title})` : ''
  const c = end.counts
  const counts = [`${c.done} done`, `${c.failed} failed`, `${c.skipped} skipped`]
  if (c.interrupted > 0) counts.push(`${c.interrupted} interrupted`)
  if (c.pending + c.running > 0) counts.push(`${c.pending + c.running} not run`)
  return (
    <Box flexDirection="column" width={width}>
      <Text {...theme.rule}>{rule(width)}</Text>
      <Text wrap="truncate-end">
        <Text {...style}>{HEADLINE[end.status] + at}</Text>
        {cut(` in ${formatDuration(end.durationMs)}: ${counts.join(' · ')}`, Math.max(0, width - HEADLINE[end.status].length - at.length))}
      </Text>
      <Text wrap="truncate-end">
        <Text {...theme.muted}>{'Logs    '}</Text>
        {end.runDir}
      </Text>
      {end.resumeCommand && (
        // Never cut: this is meant to be copied as is.
        <Text>
          <Text {...theme.muted}>{'Resume  '}</Text>
          <Text {...theme.title}>{end.resumeCommand}</Text>
        </Text>
      )}
    </Box>
  )
}
