/** The latest notice from the executor, on one row. */
import {Text} from 'ink'
import type {Notice} from './useRunState.js'
import {useTheme} from './theme.js'
import {cut, sanitizeLine} from './text.js'

export function NoticeLine({notice, width}: {notice: Notice; width: number}) {
  const theme = useTheme()
  const mark = notice.level === 'warning' ? '⚠ ' : 'ℹ '
  return <Text wrap="truncate-end" {...(notice.level === 'warning' ? theme.warn : theme.muted)}>{cut(mark + sanitizeLine(notice.message), width)}</Text>
}
