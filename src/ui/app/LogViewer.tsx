/**
 * A full log, scrollable: ↑↓ a line, PgUp/PgDn a page, Home/End, q to close.
 * `LogViewer` renders lines it is given; `LogFile` reads a file's tail into it.
 */
import {useEffect, useRef, useState} from 'react'
import {Box, Text} from 'ink'
import {useKeys} from './useKeys.js'
import {useTheme} from './theme.js'
import {cut, cutStart, sanitizeLine, textWidth} from './text.js'
import {formatBytes, LOG_TAIL_BYTES, readLogTail, type LogTail} from './logTail.js'

export interface LogViewerProps {
  title: string
  lines: string[]
  /** Shown after the position, e.g. `last 1.0 MiB of 2.3 GiB`. */
  note?: string
  rows: number
  width: number
  onClose(): void
}

export function LogViewer({title, lines, note, rows, width, onClose}: LogViewerProps) {
  const theme = useTheme()
  const page = Math.max(1, rows - 1)
  const last = Math.max(0, lines.length - page)
  // Open at the end: that is where a failure shows.
  const [top, setTop] = useState(last)
  const current = useRef(last)
  const scroll = (to: number) => {
    current.current = Math.max(0, Math.min(last, to))
    setTop(current.current)
  }
  useKeys((input, key) => {
    if (input === 'q' || key.escape) onClose()
    else if (key.upArrow || input === 'k') scroll(current.current - 1)
    else if (key.downArrow || input === 'j') scroll(current.current + 1)
    else if (key.pageUp || input === 'b') scroll(current.current - page)
    else if (key.pageDown || input === ' ') scroll(current.current + page)
    else if (key.home || input === 'g') scroll(0)
    else if (key.end || input === 'G') scroll(last)
  })
  const start = Math.min(top, last)
  const shown = lines.slice(start, start + page)
  const position = lines.length === 0 ? 'empty' : `lines ${start + 1}–${start + shown.length} of ${lines.length}`
  // Position first: the path gives way (from its start) when the row is short.
  const head = `${position}${note ? ` (${note})` : ''} · `
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text {...theme.title}>{'Log '}</Text>
        {head + cutStart(title, width - 4 - textWidth(head))}
      </Text>
      {shown.map((line, i) => (
        <Text key={start + i} wrap="truncate-end">
          {cut(line, width)}
        </Text>
      ))}
    </Box>
  )
}

export function LogFile({path, rows, width, onClose}: {path: string; rows: number; width: number; onClose(): void}) {
  const [tail, setTail] = useState<LogTail | {error: string}>()
  useEffect(() => {
    let live = true
    readLogTail(path).then(
      (result) => live && setTail(result),
      (error: Error) => live && setTail({error: error.message}),
    )
    return () => {
      live = false
    }
  }, [path])
  const title = sanitizeLine(path)
  if (!tail) return <LogViewer title={title} lines={['reading…']} rows={rows} width={width} onClose={onClose} />
  if ('error' in tail) return <LogViewer title={title} lines={[sanitizeLine(tail.error)]} rows={rows} width={width} onClose={onClose} />
  const note = tail.partial ? `last ${formatBytes(LOG_TAIL_BYTES)} of ${formatBytes(tail.size)}` : undefined
  return <LogViewer key="loaded" title={title} lines={tail.lines} note={note} rows={rows} width={width} onClose={onClose} />
}

