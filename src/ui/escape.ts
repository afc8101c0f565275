/**
 * Text the engine did not write (page titles, labels, commands, step output)
 * going into an HTML page: control characters are shown (`^[`, `^G`, `<9b>`)
 * instead of kept, and HTML's own characters are escaped, so nothing a page or
 * a step printed can act on the reader's terminal or browser.
 */

/** C0 and C1 controls and DEL, except newline and tab, shown caret-style like `cat -v`. */
export function visible(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => {
    const code = c.charCodeAt(0)
    if (code < 0x20) return '^' + String.fromCharCode(code + 64)
    if (code === 0x7f) return '^?'
    return `<${code.toString(16)}>`
  })
}

const ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}

export function html(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}
