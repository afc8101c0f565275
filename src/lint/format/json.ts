/** `--json`: the findings with paths relative to the working folder, and what was skipped. */
import {relative} from 'node:path'
import type {LintResult} from '../index.js'

export function renderJson(result: LintResult, cwd = process.cwd()): string {
  const count = (severity: string) => result.findings.filter((finding) => finding.severity === severity).length
  return (
    JSON.stringify(
      {
        pages: result.pages.length,
        summary: {error: count('error'), warning: count('warning'), info: count('info')},
        skipped: result.skipped,
        findings: result.findings.map((finding) => ({...finding, file: relative(cwd, finding.file) || finding.file})),
      },
      null,
      2,
    ) + '\n'
  )
}
