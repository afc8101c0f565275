/**
 * The timeline at the top of a report: one bar per attempt, placed on the
 * run's own clock, so a reviewer sees where the time went and where a step was
 * tried again.
 */
import type {ReportData} from './collect.js'
import {maxOf, minOf} from '../arrays.js'

export interface Bar {
  step: number
  title: string
  attempt: number
  status: string
  /** Percent of the run's span. */
  left: number
  width: number
  durationMs: number
}

export function timeline(data: ReportData): {bars: Bar[]; spanMs: number} {
  const attempts = data.steps.flatMap((s) => s.attempts.filter((a) => a.endedAt).map((a) => ({s, a, from: Date.parse(a.startedAt), to: Date.parse(a.endedAt!)})))
  if (attempts.length === 0) return {bars: [], spanMs: 0}
  const first = minOf(attempts.map((x) => x.from))
  const last = maxOf(attempts.map((x) => x.to))
  const span = Math.max(1, last - first)
  const bars = attempts.map(({s, a, from, to}) => ({
    step: s.number,
    title: s.title,
    attempt: a.attempt,
    status: a.status ?? 'unknown',
    left: ((from - first) / span) * 100,
    // A step of a millisecond still gets a visible sliver.
    width: Math.max(0.5, ((to - from) / span) * 100),
    durationMs: a.durationMs ?? to - from,
  }))
  return {bars, spanMs: last - first}
}
