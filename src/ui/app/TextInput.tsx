/**
 * One line of typed text. `mask` shows a `*` per character: the value itself
 * never reaches the screen, the store or the log.
 */
import {useRef, useState} from 'react'
import {Text} from 'ink'
import {useKeys} from './useKeys.js'
import {useTheme} from './theme.js'
import {cutStart} from './text.js'

export interface TextInputProps {
  onSubmit(value: string): void
  mask?: boolean
  width: number
  isActive?: boolean
}

export function TextInput({onSubmit, mask = false, width, isActive = true}: TextInputProps) {
  const theme = useTheme()
  const [value, setValue] = useState('')
  // Pasted text and Enter can arrive in one burst: keep the value in a ref too.
  const current = useRef('')
  const set = (next: string) => {
    current.current = next
    setValue(next)
  }
  useKeys((input, key) => {
    if (key.return) onSubmit(current.current)
    else if (key.backspace || key.delete) set(Array.from(current.current).slice(0, -1).join(''))
    else if (key.ctrl && input === 'u') set('')
    else if (!key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && !key.tab) {
      // eslint-disable-next-line no-control-regex
      const text = input.replace(/[\u0000-\u001F\u007F-\u009F]/g, '')
      if (text) set(current.current + text)
    }
  }, {active: isActive, keepText: true})

  const shown = mask ? '*'.repeat(Array.from(value).length) : value
  // Keep the end (where typing happens) in view.
  const visible = cutStart(shown, Math.max(1, width - 3))
  return (
    <Text wrap="truncate-end">
      {'› '}
      {visible}
      {theme.color ? <Text inverse> </Text> : '_'}
    </Text>
  )
}
