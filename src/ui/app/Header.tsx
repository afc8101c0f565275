/** Who and where: the runbook and procedure, the platform detected, the tabs chosen and how. */
import {Box, Text} from 'ink'
import type {HeaderInfo} from './useRunState.js'
import {useTheme} from './theme.js'
import {cut, textWidth} from './text.js'

export interface HeaderProps {
  title: string
  runId?: string
  info?: HeaderInfo
  width: number
}

export function headerRows(info?: HeaderInfo): number {
  return info ? 3 : 1
}

const LABEL = 9

export function Header({title, runId, info, width}: HeaderProps) {
  const theme = useTheme()
  const right = runId ? ` run ${runId}` : ''
  const name = cut(info ? `${info.title} › ${info.procedure}` : title, Math.max(1, width - right.length))
  const gap = ' '.repeat(Math.max(0, width - textWidth(name) - right.length))
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text {...theme.title}>{name}</Text>
        {gap}
        <Text {...theme.muted}>{right}</Text>
      </Text>
      {info && (
        <>
          <Field label="Platform" width={width}>
            {info.platform}
          </Field>
          <Field label="Tabs" width={width}>
            {info.tabs.length > 0 ? info.tabs.join(' · ') : 'none'}
          </Field>
        </>
      )}
    </Box>
  )
}

function Field({label, width, children}: {label: string; width: number; children: string}) {
  const theme = useTheme()
  return (
    <Text wrap="truncate-end">
      <Text {...theme.muted}>{label.padEnd(LABEL)}</Text>
      {cut(children, width - LABEL)}
    </Text>
  )
}
