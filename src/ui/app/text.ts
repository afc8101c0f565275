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

// Code points that take two columns (CJK, fullwidth forms, emoji) or none
// (combining marks, zero-width, variation selectors): enough to keep rows one row.
const WIDE: Array<[number, number]> = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3], [0x25fd, 0x25fe],
  [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab],
  [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f3],
  [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b], [0x2728, 0x2728],
  [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797], [0x27b0, 0x27b0],
  [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e], [0x3041, 0x33ff],
  [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f],
  [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f], [0x1f900, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
]
const ZERO: Array<[number, number]> = [[0x0300, 0x036f], [0x200b, 0x200f], [0x20d0, 0x20ff], [0xfe00, 0xfe0f]]

const within = (ranges: Array<[number, number]>, cp: number) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi)

/** Columns a character takes in a terminal. */
export function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!
  if (cp < 0x300) return 1
  return within(ZERO, cp) ? 0 : within(WIDE, cp) ? 2 : 1
}

/** Columns a string takes in a terminal. */
export function textWidth(text: string): number {
  let width = 0
  for (const ch of text) width += charWidth(ch)
  return width
}

/** Cut to `width` columns, ending in `…` when something was cut. */
export function cut(text: string, width: number): string {
  if (width <= 0) return ''
  if (textWidth(text) <= width) return text
  let out = ''
  let used = 0
  for (const ch of text) {
    const w = charWidth(ch)
    if (used + w > width - 1) break
    out += ch
    used += w
  }
  return out.trimEnd() + '…'
}

/** Cut from the start, keeping the end (a path's file name): `…/runs/abc/03-nginx.log`. */
export function cutStart(text: string, width: number): string {
  if (width <= 0) return ''
  if (textWidth(text) <= width) return text
  const chars = Array.from(text)
  let out = ''
  let used = 0
  for (let i = chars.length - 1; i >= 0; i--) {
    const w = charWidth(chars[i]!)
    if (used + w > width - 1) break
    out = chars[i] + out
    used += w
  }
  return '…' + out
}

/** Pad with spaces to `width` columns (after cutting to it). */
export function padOrCut(text: string, width: number): string {
  const cutText = cut(text, width)
  return cutText + ' '.repeat(Math.max(0, width - textWidth(cutText)))
}

/**
 * Word-wrap plain text to `width` columns (hard-breaking words that are too
 * long). Blank lines are kept: they separate paragraphs in instructions.
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = []
  const w = Math.max(2, width)
  for (const paragraph of sanitizeLines(text)) {
    let line = ''
    for (const word of paragraph.split(/ +/)) {
      let rest = word
      while (textWidth(rest) > w) {
        if (line) out.push(line)
        const head = cut(rest, w + 1).replace(/…$/, '')
        out.push(head)
        rest = rest.slice(head.length)
        line = ''
      }
      if (!line) line = rest
      else if (textWidth(line) + 1 + textWidth(rest) <= w) line += ' ' + rest
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
  const fill = Math.max(0, width - textWidth(left) - textWidth(tail))
  return cut(left + '─'.repeat(fill) + tail, width)
}
