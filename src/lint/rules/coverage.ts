/**
 * Coverage: `plan --matrix` as a rule. For each procedure, each platform the
 * page claims (the platforms its tabs name) must get a tab in every OS tab
 * group wherever it gets one somewhere; with --platforms, every OS tab group
 * must cover each platform given. A step whose prose names the platform (it
 * says why: "not supported on Ubuntu 24.04") is left alone.
 */
import type {TabGroup} from '../../graph/types.js'
import {parseLabel} from '../../graph/labels.js'
import {platformsNamedBy} from '../../resolve/matrix.js'
import {platformFromOsFlag} from '../../resolve/platform.js'
import {matchLabel, selectLabel} from '../../resolve/select.js'
import type {Platform} from '../../resolve/types.js'
import {firstColumn} from '../source.js'
import type {RuleContext} from '../types.js'

function platformName(platform: Platform): string {
  return `${platform.id}${platform.versionId ? ':' + platform.versionId : ''}`
}

/**
 * Platforms a procedure's requirements name with a version, one list item or
 * line at a time, read like tab labels (any language): "Debian 11.x or 12.x",
 * "Ubuntu 22.04 LTS".
 */
function claimedByRequirements(preamble: string): Platform[] {
  const out = new Map<string, Platform>()
  for (const line of preamble.split('\n')) {
    if (!/\d/.test(line) || line.length > 300) continue
    for (const term of parseLabel(line).distros) {
      if (!term.version || (term.version.op !== 'eq' && term.version.op !== 'prefix') || term.ids.length !== 1) continue
      try {
        const platform = platformFromOsFlag(`${term.ids[0]}:${term.version.value}`, 'x86_64', 'requirements')
        out.set(platformName(platform), platform)
      } catch {
        // A version the platform tables do not know is no claim we can check.
      }
    }
  }
  return [...out.values()]
}

export function coverage(context: RuleContext): void {
  const {graph} = context.page
  const named = platformsNamedBy(graph).filter((platform, _, all) => platform.arch === 'x86_64' || !all.some((other) => other.arch === 'x86_64'))
  for (const procedure of graph.procedures) {
    // Strict: every OS group must cover these. Loose: only where the procedure covers them somewhere.
    const strict = context.options.platforms ?? claimedByRequirements(procedure.preamble)
    const why = context.options.platforms ? 'given with --platforms' : 'named in the requirements'
    const strictNames = new Set(strict.map(platformName))
    const loose = context.options.platforms ? [] : named.filter((platform) => !strictNames.has(platformName(platform)))
    const osGroups = procedure.steps.flatMap((step) => step.groups.map((id) => ({step, group: graph.groups[id]}))).filter(({group}) => group.dimension === 'os')
    if (osGroups.length === 0) continue
    const missing = new Map<TabGroup, {strict: string[]; loose: string[]}>()
    const ambiguous = new Map<TabGroup, string[]>()
    for (const platform of [...strict, ...loose]) {
      const isStrict = strictNames.has(platformName(platform))
      const results = osGroups.map(({step, group}) => ({step, group, result: selectLabel(group.labels, platform, 'os')}))
      if (!isStrict && !results.some(({result}) => result.kind === 'match')) continue
      for (const {step, group, result} of results) {
        if (result.kind === 'ambiguous') ambiguous.set(group, [...(ambiguous.get(group) ?? []), `${platformName(platform)} (${result.labels.map((l) => `"${l}"`).join(', ')})`])
        if (result.kind !== 'none' || saysWhy(step.prose, platform)) continue
        const entry = missing.get(group) ?? {strict: [], loose: []}
        entry[isStrict ? 'strict' : 'loose'].push(platformName(platform))
        missing.set(group, entry)
      }
    }
    for (const [group, names] of missing) {
      const step = osGroups.find((entry) => entry.group === group)!.step
      const parts = [names.strict.length > 0 ? `${names.strict.join(', ')} (${why})` : '', names.loose.length > 0 ? `${names.loose.join(', ')} (covered by other steps of this procedure)` : ''].filter(Boolean)
      context.report({file: group.source.file, line: group.source.line, column: firstColumn(context.source.lines(group.source.file)[group.source.line - 1]), rule: 'coverage/missing-platform', message: `step ${step.number} "${step.title}": no tab for ${parts.join('; ')}`, hint: 'add a tab for it, widen a label (e.g. "Debian 11.x, 12.x"), or say in the step why it does not apply'})
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
