/** `promptValue`: a placeholder's value; secrets are typed masked. */
import {Box, Text} from 'ink'
import type {Prompt} from './useRunState.js'
import {TextInput} from './TextInput.js'
import {useTheme} from './theme.js'
import {cut, sanitizeLine, wrapText} from './text.js'

type ValuePrompt = Extract<Prompt, {kind: 'value'}>

function hintLines(prompt: ValuePrompt, width: number, max: number): string[] {
  const lines = prompt.hint.trim() ? wrapText(prompt.hint.trim(), width - 2) : []
  return lines.slice(0, Math.max(0, Math.min(2, max - 2)))
}

export function valueRows(prompt: ValuePrompt, width: number, max: number): number {
  return 2 + hintLines(prompt, width, max).length
}

export function ValuePrompt({prompt, width, rows, onAnswer}: {prompt: ValuePrompt; width: number; rows: number; onAnswer(value: string): void}) {
  const theme = useTheme()
  const what = `? Value for ${sanitizeLine(prompt.name)}` + (prompt.secret ? ' (secret: typed hidden, never logged)' : '')
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end" {...theme.title}>
        {cut(what, width)}
      </Text>
      {hintLines(prompt, width, rows).map((line, i) => (
        <Text key={i} wrap="truncate-end" {...theme.muted}>
          {'  ' + line}
        </Text>
      ))}
      <TextInput mask={prompt.secret} width={width} onSubmit={onAnswer} />
    </Box>
  )
}
