/**
 * What every export says about itself: the page (file name and title), the
 * sha256 of its bytes, the engine's version and what was chosen. Nothing that
 * changes from one run to the next (no date, no absolute path), so the same
 * page gives the same bytes.
 */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Graph, Procedure} from '../graph/types.js'
import {pageName} from './steps.js'

export interface ExportHeader {
  page: string
  title: string
  sha256: string
  version: string
  procedure: string
  /** For a resolved export: the platform and choices it was made for. */
  resolvedFor?: string
}

/** The engine's version, from its package.json (beside src/ and dist/ alike). */
export function engineVersion(): string {
  const file = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json')
  return (JSON.parse(readFileSync(file, 'utf8')) as {version: string}).version
}

export function exportHeader(graph: Graph, procedure: Procedure, resolvedFor?: string): ExportHeader {
  return {
    page: pageName(graph),
    title: graph.title,
    sha256: createHash('sha256').update(readFileSync(graph.file)).digest('hex'),
    version: engineVersion(),
    procedure: procedure.title,
    ...(resolvedFor ? {resolvedFor} : {}),
  }
}

/** Plain text lines (the caller adds its comment marker). Titles are squashed to one line. */
export function headerLines(h: ExportHeader): string[] {
  const one = (text: string) => text.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '')
  return [
    `Exported by runbook ${h.version} from ${one(h.page)} ("${one(h.title)}"), procedure "${one(h.procedure)}".`,
    `Page sha256: ${h.sha256}`,
    ...(h.resolvedFor ? [`Resolved for: ${one(h.resolvedFor)}`] : []),
    'Generated: edit the page and export again rather than editing this file.',
  ]
}
