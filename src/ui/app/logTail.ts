/**
 * Read the end of a log file for the viewer: at most `maxBytes`, so a step that
 * printed a gigabyte opens as fast as one that printed a line.
 */
import {open} from 'node:fs/promises'
import {sanitizeLine} from './text.js'

export const LOG_TAIL_BYTES = 1 << 20

export interface LogTail {
  lines: string[]
  /** The file's size in bytes. */
  size: number
  /** True when the start of the file was left out. */
  partial: boolean
}

export async function readLogTail(path: string, maxBytes = LOG_TAIL_BYTES): Promise<LogTail> {
  const file = await open(path, 'r')
  try {
    const {size} = await file.stat()
    const length = Math.min(size, maxBytes)
    const buffer = Buffer.alloc(length)
    let read = 0
    while (read < length) {
      const {bytesRead} = await file.read(buffer, read, length - read, size - length + read)
      if (bytesRead === 0) break
      read += bytesRead
    }
    const partial = size > length
    const lines = buffer.subarray(0, read).toString('utf8').split('\n')
    // A cut start leaves half a line; a final newline leaves an empty one.
    if (partial) lines.shift()
    if (lines.at(-1) === '') lines.pop()
    return {lines: lines.map((line) => sanitizeLine(line)), size, partial}
  } finally {
    await file.close()
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toFixed(1)} ${units[unit]}`
}
