/**
 * Text the engine did not write (page titles, headings, tab labels, commands,
 * step output, log files) reaches the terminal with its control characters
 * made visible, as `cat -v` shows them: ESC → `^[`, BEL → `^G`, CR → `^M`,
 * DEL → `^?`, a C1 control such as U+009B (CSI) → `M-^[`. Newline and tab
 * stay. Bidirectional overrides, which reorder what a line appears to say,
 * show as `<U+202E>`. So a page or a step cannot clear a line of the dry-run,
 * set the window title (OSC 0) or write the clipboard (OSC 52). The engine's
 * own colours are added after this, by the printers.
 */

// C0 controls but \t and \n, DEL, C1 controls, and the bidi embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
const UNSAFE_TEST = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

function show(c: string): string {
  const code = c.charCodeAt(0)
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`
  if (code === 0x7f) return '^?'
  if (code <= 0x9f) return `M-^${String.fromCharCode(code - 0x80 + 0x40)}`
  return `<U+${code.toString(16).toUpperCase()}>`
}

/** `text` with every control character but newline and tab made visible. */
export function visible(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, show) : text
}

/** A copy of plain data (objects, arrays, strings) with every string made visible; the same object when nothing changes. */
export function visibleDeep<T>(value: T): T {
  if (typeof value === 'string') return visible(value) as T
  if (Array.isArray(value)) {
    let changed = false
    const out = value.map((item) => {
      const shown = visibleDeep(item)
      changed ||= shown !== item
      return shown
    })
    return (changed ? out : value) as T
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let changed = false
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value)) {
      const getter = Object.getOwnPropertyDescriptor(value, key)!.get
      if (getter) {
        // A field computed when read (a plan's hashes) stays so: shown safe when it is read, if ever.
        Object.defineProperty(out, key, {enumerable: true, get: () => visibleDeep(getter.call(value))})
        continue
      }
      const item = (value as Record<string, unknown>)[key]
      const shown = visibleDeep(item)
      changed ||= shown !== item
      out[key] = shown
    }
    return (changed ? out : value) as T
  }
  return value
}

/**
 * JSON text safe for a terminal: JSON.stringify escapes C0 controls but not
 * C1 controls or bidi overrides; those become `\uXXXX` escapes (same data).
 */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
