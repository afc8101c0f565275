/** `confirmStep` (`--step`): show the next step's commands; run, skip or quit. */
import {Box, Text} from 'ink'
import type {StepChoice} from '../../execute/events.js'
import type {Prompt} from './useRunState.js'
import {Select} from './Select.js'
import {useTheme} from './theme.js'
import {cut, sanitizeLines} from './text.js'

type StepPrompt = Extract<Prompt, {kind: 'step'}>

const CHOICES: StepChoice[] = ['run', 'skip', 'quit']

function commandLines(prompt: StepPrompt, max: number): string[] {
  const lines = prompt.commands.flatMap((c) => sanitizeLines(c.trim()).map((line, i) => (i === 0 ? '$ ' : '  ') + line))
  const room = Math.max(0, Math.min(3, max - 2))
  if (lines.length <= room) return lines
  return room === 0 ? [] : [...lines.slice(0, room - 1), `  … ${lines.length - room + 1} more lines`]
}

export function stepRows(prompt: StepPrompt, max: number): number {
  return 2 + commandLines(prompt, max).length
}

export function StepPrompt({prompt, width, rows, onAnswer}: {prompt: StepPrompt; width: number; rows: number; onAnswer(choice: StepChoice): void}) {
  const theme = useTheme()
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...theme.title}>
        {cut(`? Next: ${prompt.step}`, width)}
      </Text>
      {commandLines(prompt, rows).map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {cut('  ' + line, width)}
        </Text>
      ))}
      <Select direction="row" options={['Run', 'Skip', 'Quit']} shortcuts={['r', 's', 'q']} width={width} onSelect={(i) => onAnswer(CHOICES[i]!)} />
    </Box>
  )
}
