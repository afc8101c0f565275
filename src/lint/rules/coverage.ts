/**
 * Coverage: `plan --matrix` as a rule. For each procedure, each platform the
 * page claims (the platforms its tabs name) must get a tab in every OS tab
 * group wherever it gets one somewhere; with --platforms, every OS tab group
 * must cover each platform given. A step whose prose names the platform (it
 * says why: "not supported on Ubuntu 24.04") is left alone.
 */
import type {TabGroup} from '../../graph/types.js'
import {platformsNamedBy} from '../../resolve/matrix.js'
import {matchLabel, selectLabel} from '../../resolve/select.js'
import type {Platform} from '../../resolve/types.js'
import {firstColumn} from '../source.js'
import type {RuleContext} from '../types.js'

function platformName(platform: Platform): string {
  return `${platform.id}${platform.versionId ? ':' + platform.versionId : ''}`
}

export function coverage(context: RuleContext): void {
  const {graph} = context.page
  const given = context.options.platforms
  const platforms = given ?? platformsNamedBy(graph).filter((platform) => platform.arch === 'x86_64' || !platformsNamedBy(graph).some((other) => other.arch === 'x86_64'))
  for (const procedure of graph.procedures) {
    const osGroups = procedure.steps.flatMap((step) => step.groups.map((id) => ({step, group: graph.groups[id]}))).filter(({group}) => group.dimension === 'os')
    if (osGroups.length === 0) continue
    const missing = new Map<TabGroup, string[]>()
    const ambiguous = new Map<TabGroup, string[]>()
    for (const platform of platforms) {
      const results = osGroups.map(({step, group}) => ({step, group, result: selectLabel(group.labels, platform, 'os')}))
      // A platform the page covers nowhere in this procedure is not one it claims here (unless given).
      if (!given && !results.some(({result}) => result.kind === 'match')) continue
      for (const {step, group, result} of results) {
        if (result.kind === 'ambiguous') ambiguous.set(group, [...(ambiguous.get(group) ?? []), `${platformName(platform)} (${result.labels.map((l) => `"${l}"`).join(', ')})`])
        if (result.kind !== 'none' || saysWhy(step.prose, platform)) continue
        missing.set(group, [...(missing.get(group) ?? []), platformName(platform)])
      }
    }
    for (const [group, names] of missing) {
      const step = osGroups.find((entry) => entry.group === group)!.step
      const claim = given ? 'given with --platforms' : 'covered by other steps of this procedure'
      context.report({file: group.source.file, line: group.source.line, column: firstColumn(context.source.lines(group.source.file)[group.source.line - 1]), rule: 'coverage/missing-platform', message: `step ${step.number} "${step.title}": no tab for ${names.join(', ')} (${claim})`, hint: 'add a tab for it, widen a label (e.g. "Debian 11.x, 12.x"), or say in the step why it does not apply'})
    }
    for (const [group, names] of ambiguous) {
      context.report({file: group.source.file, line: group.source.line, column: firstColumn(context.source.lines(group.source.file)[group.source.line - 1]), rule: 'coverage/ambiguous', message: `two tabs fit equally: ${names.join('; ')}`, hint: 'make the labels name distinct versions'})
    }
  }
}

/** The step names the platform in a sentence of its own (language-neutral: names and versions). */
function saysWhy(prose: string, platform: Platform): boolean {
  return prose.split(/[.!?\n]+/).some((sentence) => /\d/.test(sentence) && sentence.length < 400 && matchLabel(sentence, platform, 'os').matches && !/^\s*[-*]?\s*$/.test(sentence))
}
