/**
 * Includes: a resolved `--8<--` that lands outside the snippet base paths of
 * mkdocs*.yml (pymdownx refuses it), and `--8<--` lines with text after the
 * quoted path (pymdownx leaves them as text). Missing targets come from the
 * parser's diagnostics.
 */
import {dirname, relative, sep} from 'node:path'
import {includeRoots, locateInclude} from '../../parse/include-files.js'
import type {RuleContext} from '../types.js'

// The include line as pymdownx reads it, plus whatever follows the quoted path.
const WITH_TAIL = /^([ \t]*)-+8<-+[ \t]+("(?:\\"|[^"])+"|'(?:\\'|[^'])+')(.+)$/

export function includes(context: RuleContext): void {
  outsideBase(context)
  trailingText(context)
}

// An include line as pymdownx reads it: only the quoted path on the line.
const INCLUDE_LINE = /^([ \t]*)-+8<-+[ \t]+(?:"((?:\\"|[^"])+)"|'((?:\\'|[^'])+)')[ \t]*$/

/**
 * The parser splices includes in as text, so the page's own include lines are
 * read here and resolved as the parser resolves them; one that lands outside
 * every snippet base path is what pymdownx's restrict_base_path refuses.
 */
function outsideBase(context: RuleContext): void {
  const {page} = context
  if (!page.restrictBasePath || page.basePaths.length === 0) return
  const folders = [dirname(page.file), ...page.basePaths]
  const roots = includeRoots(page.basePaths)
  context.source.lines(page.file).forEach((text, index) => {
    const match = INCLUDE_LINE.exec(text)
    if (!match) return
    const path = (match[2] ?? match[3] ?? '').split(':')[0]!
    if (!path) return
    const located = locateInclude(path, folders, roots)
    if (!('real' in located)) return
    const target = located.real
    const inside = page.basePaths.some((base) => target === base || target.startsWith(base.endsWith(sep) ? base : base + sep))
    if (inside) return
    const bases = page.basePaths.map((base) => relative(process.cwd(), base) || '.').join(', ')
    context.report({file: page.file, line: index + 1, column: match[1]!.length + 1, rule: 'includes/outside-base', message: `include "${path}" resolves to ${relative(process.cwd(), target)}, outside the snippet base paths (${bases}): MkDocs refuses it`, hint: 'move the file under a base path, or write the path relative to one'})
  })
}

function trailingText(context: RuleContext): void {
  const lines = context.source.lines(context.page.file)
  lines.forEach((text, index) => {
    const match = WITH_TAIL.exec(text)
    if (!match) return
    const tail = match[3]
    const column = match[1].length + text.slice(match[1].length).indexOf(match[2]) + match[2].length + 1
    const what = tail.trim() ? `text after the path (${JSON.stringify(tail.trim())})` : 'spaces after the path'
    context.report({file: context.page.file, line: index + 1, column, rule: 'includes/trailing-text', message: `--8<-- line with ${what}: MkDocs does not include the file and shows the line as text`, hint: 'end the line right after the closing quote; put comments on their own line'})
  })
}
