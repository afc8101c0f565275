/** `onFailure`: what went wrong, where the log is, and what to do next. */
import {Box, Text} from 'ink'
import type {FailureChoice} from '../../execute/events.js'
import type {Prompt} from './useRunState.js'
import {Select} from './Select.js'
import {useTheme} from './theme.js'
import {cutStart, sanitizeLine, wrapText} from './text.js'

type FailurePrompt = Extract<Prompt, {kind: 'failure'}>
type MenuChoice = FailureChoice | 'log'

export function failureOptions(prompt: FailurePrompt): Array<{label: string; key: string; choice: MenuChoice}> {
  return [
    {label: 'Retry', key: 'r', choice: 'retry'},
    {label: 'Skip', key: 's', choice: 'skip'},
    {label: 'Open log', key: 'l', choice: 'log'},
    ...(prompt.canRollback ? [{label: 'Roll back', key: 'b', choice: 'rollback' as const}] : []),
    {label: 'Abort', key: 'a', choice: 'abort'},
  ]
}

/** Error and troubleshooting rows that fit in `max` beside the log line and the menu. */
function textLines(prompt: FailurePrompt, width: number, max: number) {
  const room = Math.max(1, max - 2)
  const error = wrapText(`✗ ${prompt.step} failed: ${prompt.error.trim() || 'unknown error'}`, width).slice(0, Math.min(2, room))
  const help = prompt.troubleshooting?.trim() ? wrapText(prompt.troubleshooting.trim(), width - 2) : []
  return {error, help: help.slice(0, Math.max(0, Math.min(2, room - error.length)))}
}

export function failureRows(prompt: FailurePrompt, width: number, max: number): number {
  const {error, help} = textLines(prompt, width, max)
  return error.length + help.length + 2
}

export interface FailureMenuProps {
  prompt: FailurePrompt
  width: number
  rows: number
  onAnswer(choice: FailureChoice): void
  onOpenLog(): void
}

export function FailureMenu({prompt, width, rows, onAnswer, onOpenLog}: FailureMenuProps) {
  const theme = useTheme()
  const options = failureOptions(prompt)
  const {error, help} = textLines(prompt, width, rows)
  const pick = (i: number) => {
    const choice = options[i]!.choice
    if (choice === 'log') onOpenLog()
    else onAnswer(choice)
  }
  return (
    <Box flexDirection="column" width={width}>
      {error.map((line, i) => (
        <Text key={i} wrap="truncate-end" {...theme.fail}>
          {line}
        </Text>
      ))}
      {help.map((line, i) => (
        <Text key={i} wrap="truncate-end" {...theme.warn}>
          {'  ' + line}
        </Text>
      ))}
      <Text wrap="truncate-end">
        <Text {...theme.muted}>{'  Log '}</Text>
        {cutStart(sanitizeLine(prompt.logFile), width - 6)}
      </Text>
      <Select direction="row" options={options.map((o) => o.label)} shortcuts={options.map((o) => o.key)} width={width} onSelect={pick} />
    </Box>
  )
}
