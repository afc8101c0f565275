/** Small formatting helpers of the run report. */
export {html} from '../ui/escape.js'
export {visible} from '../ui/sanitize.js'

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** A step's time: every attempt's, added up. */
export function stepDuration(attempts: Array<{durationMs?: number}>): number | undefined {
  const known = attempts.filter((a) => a.durationMs !== undefined)
  return known.length ? known.reduce((sum, a) => sum + a.durationMs!, 0) : undefined
}
