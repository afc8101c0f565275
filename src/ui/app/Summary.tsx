/** The end of a run: how it went, counts, time, where the logs are and how to resume. */
import {Box, Text} from 'ink'
import type {RunEndView, StepView} from './useRunState.js'
import {useTheme} from './theme.js'
import {cut, cutStart, formatDuration, rule, textWidth} from './text.js'

export interface SummaryProps {
  end: RunEndView
  /** The step that failed or was stopped, if any. */
  stopped?: StepView
  width: number
}

export function summaryRows(end: RunEndView, width: number): number {
  // The resume command wraps rather than being cut.
  return 4 + (end.resumeCommand ? Math.ceil((LABEL + textWidth(end.resumeCommand)) / Math.max(1, width)) : 0)
}

const HEADLINE: Record<RunEndView['status'], string> = {
  done: '✓ Done',
  failed: '✗ Failed',
  interrupted: '! Interrupted',
  aborted: '✗ Aborted',
}

export function countsText(counts: RunEndView['counts']): string {
  const parts = [`${counts.done} done`, `${counts.failed} failed`, `${counts.skipped} skipped`]
  if (counts.interrupted > 0) parts.push(`${counts.interrupted} interrupted`)
  if (counts.pending + counts.running > 0) parts.push(`${counts.pending + counts.running} not run`)
  return parts.join(' · ')
}

export function Summary({end, stopped, width}: SummaryProps) {
  const theme = useTheme()
  const style = end.status === 'done' ? theme.ok : end.status === 'interrupted' ? theme.warn : theme.fail
  const at = stopped && end.status !== 'done' ? ` at step ${stopped.number}: ${stopped.title}` : ''
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...theme.rule}>
        {rule(width)}
      </Text>
      <Text wrap="truncate-end" {...style}>
        {cut(HEADLINE[end.status] + at, width)}
      </Text>
      <Field label="Steps">{cut(`${countsText(end.counts)} · ${formatDuration(end.durationMs)}`, width - LABEL)}</Field>
      <Field label="Logs">{cutStart(end.runDir, width - LABEL)}</Field>
      {/* Never cut: this is meant to be copied as is. */}
      {end.resumeCommand && <Field label="Resume">{end.resumeCommand}</Field>}
    </Box>
  )
}

const LABEL = 8

function Field({label, children}: {label: string; children: string}) {
  const theme = useTheme()
  return (
    <Text>
      <Text {...theme.muted}>{label.padEnd(LABEL)}</Text>
      {children}
    </Text>
  )
}
