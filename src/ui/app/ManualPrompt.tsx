/** `confirmManual`: an instruction for the person; Enter when done, q to stop the run. */
import {Box, Text} from 'ink'
import type {Prompt} from './useRunState.js'
import {useKeys} from './useKeys.js'
import {useTheme} from './theme.js'
import {cut, wrapText} from './text.js'

type ManualPrompt = Extract<Prompt, {kind: 'manual'}>

/** The instruction rows that fit in `max - 1`, the last one saying how much was left out. */
function textLines(prompt: ManualPrompt, width: number, max: number): string[] {
  const lines = wrapText(prompt.text.trim(), width - 2)
  const room = Math.max(1, max - 1)
  if (lines.length <= room) return lines
  return [...lines.slice(0, room - 1), `… ${lines.length - room + 1} more lines in the guide`]
}

export function manualRows(prompt: ManualPrompt, width: number, max: number): number {
  return 1 + textLines(prompt, width, max).length
}

export function ManualPrompt({prompt, width, rows, onAnswer}: {prompt: ManualPrompt; width: number; rows: number; onAnswer(done: boolean): void}) {
  const theme = useTheme()
  useKeys((input, key) => {
    if (key.return) onAnswer(true)
    else if (input === 'q') onAnswer(false)
  })
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...theme.title}>
        {cut(`» By hand: ${prompt.step}. Press Enter when done.`, width)}
      </Text>
      {textLines(prompt, width, rows).map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {'  ' + line}
        </Text>
      ))}
    </Box>
  )
}
