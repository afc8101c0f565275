/**
 * Text the engine did not write going into an HTML page (a run report, the
 * platform matrix): control characters made visible as on the terminal
 * (sanitize.ts), then HTML's own characters escaped, so nothing a page or a
 * step printed can act on the reader's browser.
 */
import {visible} from './sanitize.js'

const ENTITIES: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}

export function html(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}
