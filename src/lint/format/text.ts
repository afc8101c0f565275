/** Human text: findings grouped by file, coloured only at a terminal, page text made visible. */
import {relative} from 'node:path'
import {paint} from '../../ui/color.js'
import type {LintResult} from '../index.js'
import type {Severity} from '../types.js'
import {visible} from './visible.js'

export function renderText(result: LintResult, color: boolean, cwd = process.cwd()): string {
  const c = paint(color)
  const tone: Record<Severity, (text: string) => string> = {error: c.red, warning: c.yellow, info: c.blue}
  const out: string[] = []
  let file = ''
  for (const finding of result.findings) {
    if (finding.file !== file) {
      file = finding.file
      if (out.length > 0) out.push('')
      out.push(c.bold(visible(relative(cwd, file) || file)))
    }
    const place = `${finding.line}:${finding.column}`.padEnd(8)
    out.push(`  ${c.dim(place)} ${tone[finding.severity](finding.severity.padEnd(7))} ${visible(finding.message)}  ${c.dim(finding.rule)}`)
    out.push(`  ${' '.repeat(8)} ${' '.repeat(7)} ${c.dim('fix: ' + visible(finding.hint))}`)
  }
  for (const skip of result.skipped) out.push(`${out.length > 0 ? '\n' : ''}${c.yellow('skipped')} ${skip.rule}: ${visible(skip.reason)}`)
  const count = (severity: Severity) => result.findings.filter((finding) => finding.severity === severity).length
  const files = new Set(result.findings.map((finding) => finding.file)).size
  if (out.length > 0) out.push('')
  out.push(`${result.pages.length} page${result.pages.length === 1 ? '' : 's'} checked: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info in ${files} file(s)`)
  return out.join('\n') + '\n'
}
