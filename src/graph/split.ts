/**
 * Alternatives inside one block. Vendors put the x86_64 and the ARM64 command
 * in one fence, each under a comment, and the lines for two servers in one
 * fence, each under a comment naming the server; run as written, such a block
 * fails everywhere. Comment-led sections become arch variants (like tabs) or
 * host parts.
 */
import {parseLabel} from './labels.js'
import {readHostComment} from './hosts.js'

export interface Section {
  /** The leading comment, without `#`. */
  comment: string
  /** The section's lines, comment included, with shared lines before the first section prepended. */
  script: string
  /** 0-based line of the comment within the block. */
  line: number
}

export type Split =
  | {by: 'arch'; sections: Array<Section & {arch: string}>}
  | {by: 'host'; sections: Array<Section & {role: string[]}>}

export function splitBlock(script: string): Split | undefined {
  const sections = commentSections(script)
  if (sections.length < 2) return undefined
  const arches = sections.map((section) => parseLabel(section.comment).arches)
  if (arches.every((found) => found.length === 1) && new Set(arches.map((found) => found[0])).size === sections.length) {
    return {by: 'arch', sections: sections.map((section, index) => ({...section, arch: arches[index][0]}))}
  }
  const roles = sections.map((section) => readHostComment(section.comment))
  if (roles.every((role) => role !== undefined)) {
    return {by: 'host', sections: sections.map((section, index) => ({...section, role: roles[index] as string[]}))}
  }
  return undefined
}

/** A comment line followed by a command starts a section; lines before the first are shared. */
function commentSections(script: string): Section[] {
  const lines = script.split('\n')
  const starts: number[] = []
  lines.forEach((line, index) => {
    const next = lines[index + 1]
    if (isComment(line) && next !== undefined && next.trim() !== '' && !isComment(next)) starts.push(index)
  })
  if (starts.length === 0) return []
  const shared = lines.slice(0, starts[0]).filter((line) => line.trim() !== '')
  return starts.map((start, index) => {
    const body = lines.slice(start, starts[index + 1] ?? lines.length)
    while (body.length > 0 && body[body.length - 1].trim() === '') body.pop()
    return {comment: lines[start].trim().replace(/^#+\s*/, ''), script: [...shared, ...body].join('\n'), line: start}
  })
}

function isComment(line: string): boolean {
  const trimmed = line.trim()
  return trimmed.startsWith('#') && !trimmed.startsWith('#!')
}
