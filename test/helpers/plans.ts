/** Plans of a page for a platform, written as the commands a person would see. */
import {resolve} from 'node:path'
import {buildGraph} from '../../src/graph/index.js'
import type {Graph} from '../../src/graph/types.js'
import {parseFile} from '../../src/parse/index.js'
import {buildPlan} from '../../src/resolve/plan.js'
import {detectPlatform} from '../../src/resolve/platform.js'
import type {Plan} from '../../src/resolve/types.js'
import {repoRoot} from './shared.js'

export const osReleaseFixture = (name: string) => resolve(repoRoot, 'test/fixtures/os-release', name, 'os-release')

export function loadGraphOf(file: string, includePaths: string[] = []): Graph {
  return buildGraph(parseFile(file, {includePaths}))
}

export async function planFor(graph: Graph, opts: {osRelease: string; arch: string; procedure: string; choose?: string[]; values?: Record<string, string>}): Promise<Plan> {
  const platform = await detectPlatform({osReleaseFile: osReleaseFixture(opts.osRelease), arch: opts.arch})
  return buildPlan(graph, {platform, procedure: opts.procedure, choose: opts.choose ?? [], dryRun: false, values: opts.values ?? {}})
}

/** Each step as `N. title` followed by `kind[@other] script` lines (comments of commands dropped). */
export function commandsOf(plan: Plan): string[][] {
  return plan.steps.map((step) => [
    `${step.number}. ${step.title}${step.host === 'other' ? ' @other' : ''}`,
    ...step.actions.map((action) => {
      const runs = action.kind === 'exec' || action.kind === 'check'
      const script = runs ? action.script.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n') : action.script
      return `${action.kind}${action.host.where === 'other' ? '@other' : ''}${action.file ? ` ${action.file}` : ''}: ${action.kind === 'manual' ? script.split('\n')[0] : script}`
    }),
  ])
}
