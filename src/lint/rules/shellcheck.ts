/**
 * shellcheck on every command block as the engine runs it: each action is one
 * variant's script (tabs already picked), placeholders are filled with typed
 * dummies through the engine's own shell-safe substitution, and each finding
 * is mapped back to the page line and column. Identical scripts (a snippet
 * included by many pages) are checked once; files go to shellcheck in batches,
 * two invocations at a time.
 */
import {execFile, spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {substitute} from '../../resolve/substitute.js'
import {dummyValues} from '../dummies.js'
import {runs} from '../roles.js'
import {placeScript, type ScriptLine} from '../source.js'
import type {Finding, RuleContext, Severity, SourceLines} from '../types.js'

/** Codes that are noise for a page's blocks: variables set by earlier steps or the reader, `cd` under `set -e`. */
const EXCLUDED = ['SC2034', 'SC2154', 'SC1090', 'SC1091', 'SC2164', 'SC2148']
const PARALLEL = 2
const BATCH = 300

/** One command block to check: the script as it runs, and where its lines are on the page (plain data: workers hand these over). */
export interface ShellJob {
  script: string
  file: string
  placed: ScriptLine[]
}

type Use = Omit<ShellJob, 'script'>

interface Comment {
  file: string
  line: number
  column: number
  level: 'error' | 'warning' | 'info' | 'style'
  code: number
  message: string
}

export function shellcheckAvailable(): boolean {
  return spawnSync('shellcheck', ['--version'], {stdio: 'ignore'}).status === 0
}

export class ShellcheckBatch {
  private readonly scripts = new Map<string, Use[]>()

  add(job: ShellJob): void {
    let uses = this.scripts.get(job.script)
    if (!uses) this.scripts.set(job.script, (uses = []))
    uses.push({file: job.file, placed: job.placed})
  }

  get size(): number {
    return this.scripts.size
  }

  async run(source: SourceLines): Promise<Finding[]> {
    if (this.scripts.size === 0) return []
    const dir = mkdtempSync(join(tmpdir(), 'runbook-lint-'))
    try {
      const byPath = new Map<string, Use[]>()
      let n = 0
      for (const [script, uses] of this.scripts) {
        const path = join(dir, `${++n}.sh`)
        writeFileSync(path, script.endsWith('\n') ? script : script + '\n')
        byPath.set(path, uses)
      }
      const paths = [...byPath.keys()]
      const batches: string[][] = []
      const size = Math.min(BATCH, Math.ceil(paths.length / PARALLEL))
      for (let at = 0; at < paths.length; at += size) batches.push(paths.slice(at, at + size))
      const comments: Comment[] = []
      let next = 0
      const worker = async () => {
        while (next < batches.length) comments.push(...(await check(batches[next++])))
      }
      await Promise.all(Array.from({length: PARALLEL}, worker))
      return comments.flatMap((comment) => (byPath.get(comment.file) ?? []).map((use) => toFinding(comment, use, source)))
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  }
}

function check(files: string[]): Promise<Comment[]> {
  return new Promise((resolve, reject) => {
    execFile('shellcheck', ['--shell=bash', '--format=json1', `--exclude=${EXCLUDED.join(',')}`, ...files], {maxBuffer: 256 * 1024 * 1024}, (error, stdout) => {
      // Exit 1 means findings; anything else without JSON is a failure of shellcheck itself.
      try {
        resolve((JSON.parse(stdout) as {comments: Comment[]}).comments)
      } catch {
        reject(new Error(`shellcheck failed: ${error?.message ?? 'no output'}`))
      }
    })
  })
}

const LEVEL: Record<Comment['level'], Severity> = {error: 'error', warning: 'warning', info: 'info', style: 'info'}

/** A page's command blocks, as the engine runs them (variant picked, placeholders filled with typed dummies). */
export async function shellJobs(context: RuleContext): Promise<ShellJob[]> {
  const jobs: ShellJob[] = []
  for (const procedure of context.page.graph.procedures) {
    for (const step of procedure.steps) {
      for (const action of step.actions) {
        if (!runs(action)) continue
        let script: string
        try {
          script = await substitute(action.script, dummyValues(action.placeholders), action.placeholders)
        } catch (error) {
          // The engine would refuse this command at run time: that is the finding (and nothing to shellcheck).
          const where = placeScript(action, context.source)[0]
          context.report({file: action.source.file, line: where?.line ?? action.source.line, column: where?.column ?? 1, rule: 'placeholders/unsubstitutable', message: (error as Error).message, hint: 'write the placeholder as a plain argument or inside quotes'})
          continue
        }
        jobs.push({script, file: action.source.file, placed: placeScript(action, context.source)})
      }
    }
  }
  return jobs
}

function toFinding(comment: Comment, use: Use, source: SourceLines): Finding {
  const placed = use.placed[comment.line - 1] ?? use.placed[use.placed.length - 1]
  const pageText = source.lines(use.file)[placed.line - 1] ?? ''
  const column = Math.min(Math.max(1, placed.column + comment.column - 1 - placed.lead), Math.max(1, pageText.length))
  return {
    file: use.file,
    line: placed.line,
    column,
    rule: 'shell/shellcheck',
    severity: LEVEL[comment.level] ?? 'warning',
    message: `SC${comment.code}: ${comment.message}`,
    hint: `see https://www.shellcheck.net/wiki/SC${comment.code}`,
  }
}
