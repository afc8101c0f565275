/**
 * The per-page half of a lint: load each page, run every rule, collect the
 * command blocks for shellcheck. Plain data in and out, so that it runs the
 * same in this thread or in a worker.
 */
import {ruleInfo} from './catalog.js'
import {PageLoader} from './pages.js'
import {coverage} from './rules/coverage.js'
import {engineDiagnostics} from './rules/diagnostics.js'
import {fences} from './rules/fences.js'
import {includes} from './rules/includes.js'
import {placeholders} from './rules/placeholders.js'
import {shellJobs, type ShellJob} from './rules/shellcheck.js'
import {shellPatterns} from './rules/shell-patterns.js'
import {tabs} from './rules/tabs.js'
import {SourceCache} from './source.js'
import type {Finding, LintOptions, Rule, RuleContext} from './types.js'

const RULES: Rule[] = [engineDiagnostics, coverage, fences, includes, tabs, placeholders, shellPatterns]

export interface CheckRequest extends LintOptions {
  pages: string[]
  includePaths?: string[]
}

export interface CheckResult {
  findings: Finding[]
  jobs: ShellJob[]
}

export async function checkPages(request: CheckRequest): Promise<CheckResult> {
  const loader = new PageLoader(request.includePaths)
  const source = new SourceCache((file) => loader.text(file))
  const findings: Finding[] = []
  const jobs: ShellJob[] = []
  for (const file of request.pages) {
    let page
    try {
      page = loader.load(file)
    } catch (error) {
      findings.push({file, line: 1, column: 1, rule: 'engine/diagnostic', severity: 'error', message: `the engine could not read this page: ${(error as Error).message}`, hint: 'fix the file, or leave it out of the lint'})
      continue
    }
    const context: RuleContext = {
      page,
      options: request,
      source,
      report: (finding) => findings.push({...finding, column: finding.column ?? 1, severity: finding.severity ?? ruleInfo(finding.rule).severity}),
    }
    for (const rule of RULES) rule(context)
    if (request.shellcheck) jobs.push(...(await shellJobs(context)))
  }
  return {findings, jobs}
}
