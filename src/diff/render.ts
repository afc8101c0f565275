/** `runbook diff` as text (one line per drift) and as JSON (paths relative to the working folder). */
import {relative} from 'node:path'
import {visible} from '../ui/sanitize.js'
import type {DiffReport, Drift, Place} from './compare.js'

export function renderDiffText(report: DiffReport, cwd = process.cwd()): string {
  const path = (file: string) => relative(cwd, file) || file
  const at = (place: Place) => `${path(place.file)}:${place.line}`
  const out = [`A: ${path(report.a.file)} — ${report.a.title}`, `B: ${path(report.b.file)} — ${report.b.title}`]
  for (const pair of report.matched) {
    out.push(`matched: "${pair.a}" ↔ "${pair.b}" (steps ${pair.steps.map(([x, y]) => (x === y ? `${x}` : `${x}↔${y}`)).join(', ')})`)
  }
  out.push('', report.drift.length === 0 ? 'no drift' : `${report.drift.length} difference${report.drift.length === 1 ? '' : 's'}:`)
  for (const drift of report.drift) out.push(`- ${describe(drift, at)}`)
  return visible(out.join('\n')) + '\n'
}

function sideName(side: 'a' | 'b'): string {
  return side.toUpperCase()
}

function describe(drift: Drift, at: (place: Place) => string): string {
  const other = (side: 'a' | 'b') => sideName(side === 'a' ? 'b' : 'a')
  switch (drift.kind) {
    case 'procedure-missing':
      return `procedure only in ${other(drift.missingIn)}: "${drift.title}" (${at(drift.at)})`
    case 'step-missing':
      return `step only in ${other(drift.missingIn)}: step ${drift.at.step} "${drift.title}" of "${drift.procedure}" (${at(drift.at)})`
    case 'tab-missing':
      return `tab only in ${other(drift.missingIn)}: "${drift.label}" in step ${drift.at.step} "${drift.step}" (${at(drift.at)})`
    case 'command-missing':
      return `command only in ${other(drift.missingIn)}: \`${drift.script.split('\n').find((line) => line.trim() && !line.trim().startsWith('#'))?.trim() ?? drift.script}\` in step ${drift.at.step} "${drift.step}" (${at(drift.at)})`
    case 'changed': {
      const value = (text: string) => (text === '' ? '(absent)' : text)
      const byProcedure = new Map<string, {a: Set<number>; b: Set<number>}>()
      for (const place of drift.places) {
        const key = `"${place.a.procedure}" ↔ "${place.b.procedure}"`
        const entry = byProcedure.get(key) ?? {a: new Set<number>(), b: new Set<number>()}
        entry.a.add(place.a.step ?? 0)
        entry.b.add(place.b.step ?? 0)
        byProcedure.set(key, entry)
      }
      const where = [...byProcedure].map(([key, steps]) => `${key} steps ${[...steps.a].join(', ')} ↔ ${[...steps.b].join(', ')}`).join('; ')
      const count = drift.places.length
      return `${drift.what} differs: A ${value(drift.a)}, B ${value(drift.b)} — ${count} command${count === 1 ? '' : 's'} in ${where} (first: ${at(drift.places[0].a)} ↔ ${at(drift.places[0].b)})`
    }
  }
}

export function renderDiffJson(report: DiffReport, cwd = process.cwd()): string {
  return JSON.stringify(report, (key, value) => (key === 'file' && typeof value === 'string' ? relative(cwd, value) || value : value), 2) + '\n'
}
