/** `choose`: a question and a list of options (a procedure, a tab of a choice group). */
import {Box, Text} from 'ink'
import type {Prompt} from './useRunState.js'
import {Select} from './Select.js'
import {useTheme} from './theme.js'
import {cut, sanitizeLine} from './text.js'

type ChoosePrompt = Extract<Prompt, {kind: 'choose'}>

export function choiceRows(prompt: ChoosePrompt, max: number): number {
  return 1 + Math.max(1, Math.min(prompt.options.length, max - 1))
}

export function ChoicePrompt({prompt, width, rows, onAnswer}: {prompt: ChoosePrompt; width: number; rows: number; onAnswer(index: number): void}) {
  const theme = useTheme()
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...theme.title}>
        {cut('? ' + sanitizeLine(prompt.question), width)}
      </Text>
      <Select options={prompt.options.map((o) => sanitizeLine(o))} height={rows - 1} width={width} onSelect={onAnswer} />
    </Box>
  )
}
