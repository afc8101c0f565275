/**
 * Pure text helpers for the terminal UI: make program output safe to lay out,
 * cut and wrap it, format times. No React here, so they are tested directly.
 */

/** Longest line kept from program output; the screen never shows more. */
export const MAX_LINE = 512

// CSI (colours, cursor moves), OSC (titles, hyperlinks), DCS/APC/PM strings and two-byte escapes.
const CSI = /\u001B\[[0-?]*[ -/]*[@-~]|\u009B[0-?]*[ -/]*[@-~]/g
const STRING_SEQ = /(?:\u001B[\]P^_X]|[\u0090\u009D-\u009F])[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)?/g
const SHORT_ESC = /\u001B[ -/]*[0-~]?/g
// C0 and C1 controls except tab; DEL too.
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g

/**
 * One line of program output as plain printable text: escape sequences
 * removed, `\r` progress redraws collapsed to what a terminal would finally
 * show, backspaces applied, tabs expanded, length capped. Whatever a program
 * prints, the result occupies at most one row once cut to the width.
 */
export function sanitizeLine(raw: string, max = MAX_LINE): string {
  let line = raw.length > max * 4 ? raw.slice(-max * 4) : raw
  line = line.replace(STRING_SEQ, '').replace(CSI, '').replace(SHORT_ESC, '')
  // A bare \r rewinds the line: keep the last non-empty redraw (progress bars).
  if (line.includes('\r')) {
    const parts = line.split('\r').filter((part) => part !== '')
    line = parts.at(-1) ?? ''
  }
  while (line.includes('\b')) line = line.replace(/[^\b]?\u0008/, '')
  line = expandTabs(line.replace(CONTROL, ''))
  return line.length > max ? line.slice(0, max) : line
}

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line
  let out = ''
  for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch
  return out
}

/** Multi-line text (a command, an error) as sanitised lines. */
export function sanitizeLines(text: string, max = MAX_LINE): string[] {
  return text.replace(/\r\n/g, '\n').split('\n').map((line) => sanitizeLine(line, max))
}

/** Cut to `width` columns, ending in `…` when something was cut. */
export function cut(text: string, width: number): string {
  if (width <= 0) return ''
  const chars = Array.from(text)
  return chars.length <= width ? text : chars.slice(0, width - 1).join('') + '…'
}

/** Cut from the start, keeping the end (a path's file name): `…/runs/abc/03-nginx.log`. */
export function cutStart(text: string, width: number): string {
  if (width <= 0) return ''
  const chars = Array.from(text)
  return chars.length <= width ? text : '…' + chars.slice(chars.length - width + 1).join('')
}

/**
 * Word-wrap plain text to `width` columns (hard-breaking words that are too
 * long). Blank lines are kept: they separate paragraphs in instructions.
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = []
  const w = Math.max(1, width)
  for (const paragraph of sanitizeLines(text)) {
    let line = ''
    for (const word of paragraph.split(/ +/)) {
      let rest = word
      while (Array.from(rest).length > w) {
        if (line) out.push(line)
        const chars = Array.from(rest)
        out.push(chars.slice(0, w).join(''))
        rest = chars.slice(w).join('')
        line = ''
      }
      if (!line) line = rest
      else if (Array.from(line).length + 1 + Array.from(rest).length <= w) line += ' ' + rest
      else {
        out.push(line)
        line = rest
      }
    }
    out.push(line)
  }
  return out
}

/** A step's duration: `0.4s`, `7.2s`, `42s`, `3m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, ms) / 1000
  if (s < 10) return `${(Math.floor(s * 10) / 10).toFixed(1)}s`
  if (s < 60) return `${Math.floor(s)}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}

/** The run's elapsed time as a clock: `0:07`, `12:34`, `1:02:03`. */
export function formatClock(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** `── label ─────` filling `width` columns. */
export function rule(width: number, label?: string, right?: string): string {
  const left = label ? `── ${label} ` : ''
  const tail = right ? ` ${right} ──` : ''
  const fill = Math.max(0, width - Array.from(left).length - Array.from(tail).length)
  return cut(left + '─'.repeat(fill) + tail, width)
}
