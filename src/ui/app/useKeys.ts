/**
 * `useInput`, with two fixes for real terminals:
 * - Ink hands a burst of plain text as one input, control characters and all
 *   (fast typing, a paste, `tmux send-keys`): `abc\r` must still be Enter, and
 *   `\x03\x03` two Ctrl-C. Such bursts are split into keys; printable runs stay
 *   whole only for text fields (`keepText`).
 * - It stays quiet when stdin cannot go raw (a pipe): Ink would throw.
 */
import {useInput, useStdin, type Key} from 'ink'

export interface KeysOptions {
  active?: boolean
  /** Deliver runs of printable characters as one input (text fields). */
  keepText?: boolean
}

export function useKeys(handler: (input: string, key: Key) => void, options: KeysOptions = {}): void {
  const {isRawModeSupported} = useStdin()
  useInput(
    (input, key) => {
      for (const [one, k] of splitKeys(input, key, options.keepText ?? false)) handler(one, k)
    },
    {isActive: (options.active ?? true) && isRawModeSupported},
  )
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/

export function splitKeys(input: string, key: Key, keepText: boolean): Array<[string, Key]> {
  if (Array.from(input).length <= 1 || (keepText && !CONTROL.test(input))) return [[input, key]]
  const blank = Object.fromEntries(Object.keys(key).map((name) => [name, false])) as unknown as Key
  blank.eventType = undefined
  const out: Array<[string, Key]> = []
  let text = ''
  const flushText = () => {
    if (text) out.push([text, blank])
    text = ''
  }
  for (const ch of input) {
    const code = ch.codePointAt(0)!
    if (ch === '\r' || ch === '\n') {
      flushText()
      out.push(['', {...blank, return: true}])
    } else if (ch === '\u007F' || ch === '\b') {
      flushText()
      out.push(['', {...blank, backspace: true}])
    } else if (ch === '\t') {
      flushText()
      out.push(['', {...blank, tab: true}])
    } else if (code < 0x20) {
      // Ctrl-A … Ctrl-Z arrive as 0x01 … 0x1A: report them like Ink does, `c` with ctrl.
      flushText()
      if (code >= 1 && code <= 26) out.push([String.fromCharCode(code + 96), {...blank, ctrl: true}])
    } else if (keepText) {
      text += ch
    } else {
      out.push([ch, /[A-Z]/.test(ch) ? {...blank, shift: true} : blank])
    }
  }
  flushText()
  return out
}
