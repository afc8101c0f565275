/**
 * Size limits on what the parser reads. Past them a page is almost surely not
 * an install guide (a log, a dump, a generated blob) and every pass would
 * cost time and memory for nothing, so the parse stops with a usage error
 * that names the file, the limit and what to do. Documented in README.md.
 */
import {statSync} from 'node:fs'
import {relative} from 'node:path'
import {UsageError} from '../errors.js'

export const LIMITS = {
  /** Bytes of one page or included file. */
  fileBytes: 16 * 1024 * 1024,
  /** Characters of one line. */
  lineLength: 1024 * 1024,
  /** Includes within includes. */
  includeDepth: 32,
  /** Bytes of a page and everything it includes, counted each time included. */
  totalBytes: 64 * 1024 * 1024,
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`
const shown = (file: string) => relative(process.cwd(), file) || file

/** Throws before reading a file over the size limit (a FIFO or device has no size and is left to the reader). */
export function checkFileSize(file: string): void {
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) return
    size = stat.size
  } catch {
    return
  }
  if (size > LIMITS.fileBytes) {
    throw new UsageError(
      `${shown(file)} is ${mb(size)}, over the page size limit of ${mb(LIMITS.fileBytes)} for a page or an included file. Give the install guide itself, or split it into pages.`,
    )
  }
}

/** Throws when a line of `text` is over the line length limit; one pass over the text. */
export function checkLines(text: string, file: string): void {
  let start = 0
  let line = 1
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    if (end - start > LIMITS.lineLength) {
      throw new UsageError(
        `${shown(file)}:${line}: the line is ${mb(end - start)} long, over the line length limit of ${mb(LIMITS.lineLength)}. Break it into lines, or move the data it holds into a file that a step downloads.`,
      )
    }
    start = end + 1
    line++
  }
}

export interface IncludeBudget {
  /** Bytes read so far for one page, its includes counted each time. */
  used: number
}

/** Counts `bytes` against the total; throws past the limit, naming the include that crossed it. */
export function chargeInclude(budget: IncludeBudget, bytes: number, at: {file: string; line: number}, spec: string): void {
  budget.used += bytes
  if (budget.used > LIMITS.totalBytes) {
    throw new UsageError(
      `${shown(at.file)}:${at.line}: include "${spec}" brings the page and its includes over the total included size limit of ${mb(LIMITS.totalBytes)}. Include smaller files, or fewer times.`,
    )
  }
}

export function includeTooDeep(at: {file: string; line: number}, spec: string): UsageError {
  return new UsageError(
    `${shown(at.file)}:${at.line}: include "${spec}" nests includes deeper than the include depth limit of ${LIMITS.includeDepth}. Check for files that include each other through different paths.`,
  )
}
