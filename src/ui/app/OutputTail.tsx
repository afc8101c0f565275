/** The last lines a step printed, already sanitised, each cut to one row. */
import {Box, Text} from 'ink'
import {useTheme} from './theme.js'
import {cut} from './text.js'

export function OutputTail({lines, rows, width}: {lines: string[]; rows: number; width: number}) {
  const theme = useTheme()
  if (rows <= 0 || lines.length === 0) return null
  return (
    <Box flexDirection="column" width={width}>
      {lines.slice(-rows).map((line, i) => (
        <Text key={i} wrap="truncate-end" {...theme.muted}>
          {cut('  ' + line, width)}
        </Text>
      ))}
    </Box>
  )
}
