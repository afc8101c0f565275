/**
 * `runbook lint`: every page read by the engine's own parser and graph, every
 * rule run over it (./check.ts), findings deduplicated (a snippet included by
 * ten pages is reported once) and sorted by file, line and column. Large
 * trees are split between two worker threads (the machine this runs on has
 * two cores); shellcheck then runs on every distinct command block, in
 * batches, two invocations at a time.
 */
import {existsSync} from 'node:fs'
import {cpus} from 'node:os'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import {checkPages, type CheckRequest, type CheckResult} from './check.js'
import {findPages} from './pages.js'
import {ShellcheckBatch, shellcheckAvailable} from './rules/shellcheck.js'
import {SourceCache} from './source.js'
import type {Finding, LintOptions} from './types.js'

export type {Finding, LintOptions} from './types.js'

/** Rules with at most one defect per line, which the parser may report too. */
const ONE_PER_LINE = new Set(['tabs/indent', 'includes/trailing-text', 'includes/outside-base', 'includes/missing', 'fences/closing-length', 'fences/unclosed'])

/** Below this many pages a worker's start-up costs more than it saves. */
const WORKERS_FROM = 60

export interface LintResult {
  pages: string[]
  findings: Finding[]
  /** Rules that could not run, and why (shown in every output format). */
  skipped: Array<{rule: string; reason: string}>
}

export interface LintRequest extends LintOptions {
  targets: string[]
  includePaths?: string[]
  /** Worker threads for many pages (default: 2, fewer on one core). */
  workers?: number
}

export async function lint(request: LintRequest): Promise<LintResult> {
  const pages = findPages(request.targets)
  const skipped: LintResult['skipped'] = []
  const shellcheck = request.shellcheck && shellcheckAvailable()
  if (request.shellcheck && !shellcheck) skipped.push({rule: 'shell/shellcheck', reason: 'shellcheck is not installed (Debian/Ubuntu: apt-get install shellcheck); its findings are missing from this report'})
  if (!request.shellcheck) skipped.push({rule: 'shell/shellcheck', reason: 'turned off with --no-shellcheck'})
  const base: Omit<CheckRequest, 'pages'> = {includePaths: request.includePaths, platforms: request.platforms, shellcheck}
  const workers = Math.min(request.workers ?? 2, cpus().length)
  // From the sources (tests) there is no compiled worker: the pages are checked here.
  const workerFile = new URL('./worker.js', import.meta.url)
  const parallel = workers > 1 && pages.length >= WORKERS_FROM && existsSync(fileURLToPath(workerFile))
  const parts = parallel ? await inWorkers(workerFile, pages, base, workers) : [await checkPages({...base, pages})]

  const seen = new Map<string, Finding>()
  const add = (finding: Finding) => {
    // Where lint's own check and an engine diagnostic see one defect, it is reported once.
    const message = ONE_PER_LINE.has(finding.rule) ? '' : finding.message
    const key = `${finding.file}\u0000${finding.line}\u0000${finding.rule}\u0000${message}`
    if (!seen.has(key)) seen.set(key, finding)
  }
  const batch = new ShellcheckBatch()
  for (const part of parts) {
    part.findings.forEach(add)
    part.jobs.forEach((job) => batch.add(job))
  }
  if (shellcheck) for (const finding of await batch.run(new SourceCache())) add(finding)
  const findings = [...seen.values()].sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)))
  return {pages, findings, skipped}
}

/** Pages dealt out in turn (neighbouring pages share snippets and size), one share per worker. */
function inWorkers(workerFile: URL, pages: string[], base: Omit<CheckRequest, 'pages'>, count: number): Promise<CheckResult[]> {
  const shares = Array.from({length: count}, (_, index) => pages.filter((_, at) => at % count === index))
  return Promise.all(
    shares.map(
      (share) =>
        new Promise<CheckResult>((resolve, reject) => {
          const worker = new Worker(workerFile, {workerData: {...base, pages: share}})
          worker.once('message', (result: CheckResult) => resolve(result))
          worker.once('error', reject)
          worker.once('exit', (code) => code !== 0 && reject(new Error(`a lint worker stopped with exit code ${code}`)))
        }),
    ),
  )
}
