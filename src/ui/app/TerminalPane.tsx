/**
 * A step on a pseudo-terminal: the last rows of its screen (as its terminal
 * emulator drew them, secrets masked, sanitised), and, when it waits for
 * input, one highlighted row with the prompt it shows and what to do.
 */
import {Box, Text} from 'ink'
import {useTheme} from './theme.js'
import {cut} from './text.js'

export interface PaneScreen {
  rows: string[]
  waiting?: string
}

/** The waiting row, when there is one. */
export function waitingRows(screen: PaneScreen | undefined): number {
  return screen?.waiting !== undefined ? 1 : 0
}

export function TerminalPane({screen, rows, width}: {screen: PaneScreen; rows: number; width: number}) {
  const theme = useTheme()
  const shown = rows > 0 ? screen.rows.slice(-rows) : []
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {cut('  ' + line, width)}
        </Text>
      ))}
      {screen.waiting !== undefined && (
        <Text wrap="truncate-end" {...theme.warn} inverse={theme.color}>
          {cut(`⌨ Waiting for input${screen.waiting ? `: ${screen.waiting}` : ''} — type the answer here, Enter sends it`, width)}
        </Text>
      )}
    </Box>
  )
}
