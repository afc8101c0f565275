/**
 * For docs authors: which tab each platform gets at each step of a procedure,
 * and the holes (a platform that has a tab in one step and none in another).
 */
import type {Graph, Procedure} from '../graph/types.js'
import {parseLabel} from '../graph/labels.js'
import {platformFromOsFlag} from './platform.js'
import {selectLabel} from './select.js'
import type {Platform} from './types.js'
import {maxOf} from '../arrays.js'

/** Releases worth checking, by os-release ID; only those the page names are used. */
const CATALOGUE: Record<string, string[]> = {
  debian: ['10', '11', '12'],
  ubuntu: ['18.04', '20.04', '22.04', '24.04'],
  centos: ['7', '8'],
  almalinux: ['8', '9'],
  rocky: ['8', '9'],
  ol: ['8', '9'],
  rhel: ['8', '9'],
  amzn: ['2', '2023'],
  fedora: ['39', '40'],
  sles: ['15'],
  'opensuse-leap': ['15.5'],
}

export interface MatrixRow {
  platform: string
  /** One cell per step: the labels picked, `-` when the step has no platform tabs, `✗ none` or `✗ ambiguous`. */
  cells: string[]
  holes: string[]
}

export interface Matrix {
  procedure: {id: string; title: string}
  steps: Array<{number: number; title: string}>
  rows: MatrixRow[]
}

/** Platforms named by the page's os tabs, on each architecture the page names (x86_64 when none). */
export function platformsNamedBy(graph: Graph): Platform[] {
  const ids = new Set<string>()
  const arches = new Set<string>()
  for (const group of Object.values(graph.groups)) {
    for (const label of group.labels) {
      const meaning = parseLabel(label)
      if (group.dimension === 'os') for (const term of meaning.distros) for (const id of term.ids) ids.add(id)
      if (group.dimension === 'arch') for (const arch of meaning.arches) arches.add(arch)
    }
  }
  if (arches.size === 0) arches.add('x86_64')
  const platforms: Platform[] = []
  for (const id of [...ids].sort()) {
    for (const version of CATALOGUE[id] ?? ['']) {
      for (const arch of arches) platforms.push(platformFromOsFlag(version ? `${id}:${version}` : id, arch, '--matrix'))
    }
  }
  return platforms
}

export function buildMatrix(graph: Graph, procedure: Procedure, platforms: Platform[]): Matrix {
  const rows = platforms.map((platform) => {
    const cells = procedure.steps.map((step) => {
      const picked = step.groups
        .map((id) => graph.groups[id])
        .filter((group) => group.dimension !== 'choice')
        .map((group) => {
          const result = selectLabel(group.labels, platform, group.dimension as 'os' | 'arch')
          return result.kind === 'match' ? result.label : result.kind === 'ambiguous' ? '✗ ambiguous' : '✗ none'
        })
      return picked.length === 0 ? '-' : [...new Set(picked)].join(' + ')
    })
    const matched = cells.some((cell) => cell !== '-' && !cell.includes('✗'))
    const holes = matched ? procedure.steps.filter((_, index) => cells[index].includes('✗')).map((step) => `step ${step.number}`) : []
    return {platform: `${platform.id}${platform.versionId ? ' ' + platform.versionId : ''} ${platform.arch}`, cells, holes}
  })
  return {procedure: {id: procedure.id, title: procedure.title}, steps: procedure.steps.map(({number, title}) => ({number, title})), rows}
}

export function renderMatrix(matrix: Matrix): string {
  const header = ['platform', ...matrix.steps.map((step) => `${step.number}`)]
  const rows = matrix.rows.map((row) => [row.platform, ...row.cells.map(shorten)])
  const widths = header.map((_, column) => maxOf([header, ...rows].map((row) => row[column].length)))
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()
  const out = [`${matrix.procedure.title} (--procedure ${matrix.procedure.id})`, line(header), ...rows.map(line), '']
  out.push('steps: ' + matrix.steps.map((step) => `${step.number}. ${step.title}`).join('; '))
  const holes = matrix.rows.filter((row) => row.holes.length > 0)
  out.push(holes.length === 0 ? 'holes: none' : 'holes:')
  for (const row of holes) out.push(`  ${row.platform}: a tab in some steps, none in ${row.holes.join(', ')}`)
  return out.join('\n') + '\n'
}

function shorten(cell: string): string {
  return cell.length > 28 ? cell.slice(0, 27) + '…' : cell
}
