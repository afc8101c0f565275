/** The step that runs now: a rule with its name, then the command it runs (as displayed, secrets masked). */
import {Box, Text} from 'ink'
import type {CurrentStep} from './useRunState.js'
import {useTheme} from './theme.js'
import {cut, rule} from './text.js'

/** Command lines shown at most; the rest is summed up. */
export const MAX_COMMAND_ROWS = 3

export function commandRows(current: CurrentStep | undefined): number {
  return Math.min(current?.command.length ?? 0, MAX_COMMAND_ROWS)
}

export function RunningStep({current, width, showCommand = true}: {current: CurrentStep; width: number; showCommand?: boolean}) {
  const theme = useTheme()
  const parts = [current.label]
  if (current.actionCount > 1 && current.actionIndex > 0) parts.push(`command ${current.actionIndex}/${current.actionCount}`)
  if (current.attempt > 1) parts.push(`try ${current.attempt}`)
  const lines = current.command
  const rows = showCommand ? commandRows(current) : 0
  const shown = lines.slice(0, rows).map((line, i) => (i === 0 ? '$ ' : '  ') + line)
  if (rows > 0 && lines.length > rows) shown[rows - 1] = `  … ${lines.length - rows + 1} more lines`
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...theme.rule}>
        {rule(width, parts.join(' · '))}
      </Text>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end" {...theme.title}>
          {cut(line, width)}
        </Text>
      ))}
    </Box>
  )
}
