/**
 * Page text in a report is shown, never obeyed: the engine's one sanitiser
 * (ui/sanitize) makes control characters and bidi overrides visible; findings
 * are one line each, so line breaks become a visible ⏎ too.
 */
import {visible as sanitize} from '../../ui/sanitize.js'

export function visible(text: string): string {
  return sanitize(text).replace(/\n/g, ' ⏎ ').replace(/\t/g, ' ')
}
