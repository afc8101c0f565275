/** Progress, elapsed time, and the keys that work right now. */
import {Text} from 'ink'
import {useTheme} from './theme.js'
import {cut, textWidth} from './text.js'

export type KeyHint = [key: string, action: string]

export interface FooterProps {
  progress?: string
  elapsed: string
  /** `stopping…`: shown before the keys, in the warning style. */
  status?: string
  keys: KeyHint[]
  width: number
}

export function Footer({progress, elapsed, status, keys, width}: FooterProps) {
  const theme = useTheme()
  const lead = [progress, elapsed].filter(Boolean).join(' · ')
  let room = width - textWidth(lead)
  const parts: Array<{text: string; style: object}> = []
  const push = (text: string, style: object) => {
    if (room <= 0) return
    const piece = cut(text, room)
    room -= textWidth(piece)
    parts.push({text: piece, style})
  }
  if (status) push(` · ${status}`, theme.warn)
  keys.forEach(([key, action], i) => {
    push(i === 0 ? ' · ' : '  ', {})
    push(key, theme.key)
    push(` ${action}`, theme.muted)
  })
  return (
    <Text wrap="truncate-end">
      {lead}
      {parts.map((part, i) => (
        <Text key={i} {...part.style}>
          {part.text}
        </Text>
      ))}
    </Text>
  )
}
