/**
 * Pick one of a few options with the arrow keys and Enter, or a shortcut key.
 * A column scrolls when it is taller than `height`; a row suits short menus.
 */
import {useRef, useState} from 'react'
import {Box, Text} from 'ink'
import {useKeys} from './useKeys.js'
import {useTheme} from './theme.js'
import {cut} from './text.js'

export interface SelectProps {
  options: string[]
  onSelect(index: number): void
  initialIndex?: number
  /** A key per option that picks it at once (`r` for Retry). */
  shortcuts?: Array<string | undefined>
  direction?: 'column' | 'row'
  /** Rows available to a column. */
  height?: number
  width: number
  isActive?: boolean
}

export const POINTER = '❯'

export function Select({options, onSelect, initialIndex = 0, shortcuts = [], direction = 'column', height = options.length, width, isActive = true}: SelectProps) {
  const theme = useTheme()
  const [index, setIndex] = useState(initialIndex)
  // Keys can arrive in one burst (Down then Enter) before React re-subscribes the handler: read the ref.
  const current = useRef(initialIndex)
  const move = (to: number) => {
    current.current = Math.max(0, Math.min(options.length - 1, to))
    setIndex(current.current)
  }
  useKeys((input, key) => {
    if (key.upArrow || key.leftArrow) move(current.current - 1)
    else if (key.downArrow || key.rightArrow || key.tab) move(current.current + 1)
    else if (key.return) onSelect(current.current)
    else {
      const hit = shortcuts.findIndex((s) => s !== undefined && s === input.toLowerCase())
      if (hit >= 0) onSelect(hit)
    }
  }, {active: isActive})

  if (direction === 'row') {
    return (
      <Box width={width}>
        <Text wrap="truncate-end">
          {options.map((label, i) => (
            <Text key={i} {...(i === index ? theme.selected : {})}>
              {(i === index ? `${POINTER} ` : '  ') + label + (shortcuts[i] ? ` (${shortcuts[i]})` : '') + (i < options.length - 1 ? ' ' : '')}
            </Text>
          ))}
        </Text>
      </Box>
    )
  }

  const rows = Math.max(1, Math.min(height, options.length))
  const start = Math.max(0, Math.min(index - Math.floor(rows / 2), options.length - rows))
  return (
    <Box flexDirection="column" width={width}>
      {options.slice(start, start + rows).map((label, offset) => {
        const i = start + offset
        const more = (offset === 0 && start > 0) || (offset === rows - 1 && start + rows < options.length)
        return (
          <Text key={i} wrap="truncate-end" {...(i === index ? theme.selected : {})}>
            {cut(`${i === index ? POINTER : more ? '⋮' : ' '} ${label}`, width)}
          </Text>
        )
      })}
    </Box>
  )
}
