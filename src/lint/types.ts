/**
 * What `runbook lint` reports: findings at a file, line and column, each from
 * a rule of the catalogue (./catalog.ts), with a one-line message and a hint.
 */
import type {Graph, Severity} from '../graph/types.js'
import type {ParsedPage} from '../parse/index.js'
import type {Platform} from '../resolve/types.js'

export type {Severity}

export interface Finding {
  /** Absolute path of the file the finding is in (a snippet's own file for included text). */
  file: string
  /** 1-based. */
  line: number
  /** 1-based, in characters of the source line. */
  column: number
  rule: string
  severity: Severity
  message: string
  hint: string
}

/** A page as the engine read it, with its raw text for positions. */
export interface LintPage {
  file: string
  parsed: ParsedPage
  graph: Graph
  /** Snippet base paths the page was parsed with (from mkdocs*.yml and --include-path). */
  basePaths: string[]
  /** A mkdocs*.yml declared those base paths and pymdownx refuses files outside them (restrict_base_path, the default). */
  restrictBasePath: boolean
}

export interface LintOptions {
  /** `--platforms`: every OS tab group must cover each of these. */
  platforms?: Platform[]
  /** Run shellcheck (absent program: the rule is skipped visibly). */
  shellcheck: boolean
}

/** Reads source lines of any file a finding may point into (pages and snippets), cached. */
export interface SourceLines {
  lines(file: string): string[]
}

export interface RuleContext {
  page: LintPage
  options: LintOptions
  source: SourceLines
  report(finding: Omit<Finding, 'severity' | 'column'> & {severity?: Severity; column?: number}): void
}

export type Rule = (context: RuleContext) => void

export const SEVERITY_RANK: Record<Severity, number> = {info: 0, warning: 1, error: 2}
