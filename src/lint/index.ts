/**
 * `runbook lint`: every page read by the engine's own parser and graph, every
 * rule run over it, findings deduplicated (a snippet included by ten pages is
 * reported once) and sorted by file, line and column.
 */
import {ruleInfo} from './catalog.js'
import {PageLoader, findPages} from './pages.js'
import {coverage} from './rules/coverage.js'
import {engineDiagnostics} from './rules/diagnostics.js'
import {fences} from './rules/fences.js'
import {includes} from './rules/includes.js'
import {placeholders} from './rules/placeholders.js'
import {ShellcheckBatch, shellcheckAvailable} from './rules/shellcheck.js'
import {shellPatterns} from './rules/shell-patterns.js'
import {tabs} from './rules/tabs.js'
import {SourceCache} from './source.js'
import type {Finding, LintOptions, Rule, RuleContext} from './types.js'

export type {Finding, LintOptions} from './types.js'

const RULES: Rule[] = [engineDiagnostics, coverage, fences, includes, tabs, placeholders, shellPatterns]

export interface LintResult {
  pages: string[]
  findings: Finding[]
  /** Rules that could not run, and why (shown in every output format). */
  skipped: Array<{rule: string; reason: string}>
}

export interface LintRequest extends LintOptions {
  targets: string[]
  includePaths?: string[]
}

export async function lint(request: LintRequest): Promise<LintResult> {
  const pages = findPages(request.targets)
  const loader = new PageLoader(request.includePaths)
  const source = new SourceCache((file) => loader.text(file))
  const seen = new Map<string, Finding>()
  const add = (finding: Finding) => {
    const key = `${finding.file}\u0000${finding.line}\u0000${finding.rule}\u0000${finding.message}`
    if (!seen.has(key)) seen.set(key, finding)
  }
  const skipped: LintResult['skipped'] = []
  const shellcheck = request.shellcheck && shellcheckAvailable() ? new ShellcheckBatch() : undefined
  if (request.shellcheck && !shellcheck) skipped.push({rule: 'shell/shellcheck', reason: 'shellcheck is not installed (Debian/Ubuntu: apt-get install shellcheck); its findings are missing from this report'})
  if (!request.shellcheck) skipped.push({rule: 'shell/shellcheck', reason: 'turned off with --no-shellcheck'})

  for (const file of pages) {
    let page
    try {
      page = loader.load(file)
    } catch (error) {
      add({file, line: 1, column: 1, rule: 'engine/diagnostic', severity: 'error', message: `the engine could not read this page: ${(error as Error).message}`, hint: 'fix the file, or leave it out of the lint'})
      continue
    }
    const context: RuleContext = {
      page,
      options: request,
      source,
      report: (finding) => add({...finding, column: finding.column ?? 1, severity: finding.severity ?? ruleInfo(finding.rule).severity}),
    }
    for (const rule of RULES) rule(context)
    shellcheck?.add(context)
  }
  if (shellcheck) for (const finding of await shellcheck.run(source)) add(finding)
  const findings = [...seen.values()].sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)))
  return {pages, findings, skipped}
}
