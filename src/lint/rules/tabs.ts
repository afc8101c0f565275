/**
 * Tabs: groups at an indent MkDocs does not render as tabs, escaped
 * characters in labels, labels of a platform group that name no platform and
 * no known choice, and two groups of one step that label one platform
 * differently. Labels are read through their platform meaning (graph/labels),
 * never by their words.
 */
import type {TabGroup} from '../../graph/types.js'
import {cleanLabel, parseLabel} from '../../graph/labels.js'
import {indentOf} from '../../parse/lines.js'
import {labelWords} from '../../resolve/choices.js'
import {platformsNamedBy} from '../../resolve/matrix.js'
import {selectLabel} from '../../resolve/select.js'
import {fencedLines} from '../source.js'
import type {RuleContext} from '../types.js'

const TAB_LINE = /^([ \t]*)===[!+]{0,2}[ \t]+"(.*)"[ \t]*$/
const ESCAPE = /\\[\\`*_{}[\]()#+\-.!|<>"]|&(?:[a-z]+|#\d+|#x[\da-f]+);/i

export function tabs(context: RuleContext): void {
  tabLines(context)
  unknownLabels(context)
  disagreeingGroups(context)
}

function tabLines(context: RuleContext): void {
  const {file} = context.page
  const fenced = fencedLines(context.page).get(file)
  context.source.lines(file).forEach((text, index) => {
    const match = TAB_LINE.exec(text)
    if (!match || fenced?.has(index + 1)) return
    const indent = indentOf(match[1])
    if (indent % 4 !== 0) {
      context.report({file, line: index + 1, column: match[1].length + 1, rule: 'tabs/indent', message: `tab "${match[2]}" is indented ${indent} spaces: MkDocs renders a tab group only at a multiple of 4 and shows this one as text`, hint: `indent it ${indent - (indent % 4)} or ${indent + 4 - (indent % 4)} spaces (its body 4 more)`})
    }
    const escape = ESCAPE.exec(match[2])
    if (escape) {
      const column = text.indexOf('"') + 2 + escape.index
      context.report({file, line: index + 1, column, rule: 'tabs/escaped-label', message: `tab label "${match[2]}" has an escape (${escape[0]}): MkDocs shows it unescaped, readers and --choose see two spellings`, hint: 'write the character itself in the label'})
    }
  })
}

function labelLine(context: RuleContext, group: TabGroup, label: string): {line: number; column: number} {
  const lines = context.source.lines(group.source.file)
  for (let at = group.source.line - 1; at < Math.min(lines.length, group.source.line + 400); at++) {
    const column = lines[at].indexOf(`"${label}"`)
    if (column >= 0 && TAB_LINE.test(lines[at])) return {line: at + 1, column: column + 2}
  }
  return {line: group.source.line, column: 1}
}

function unknownLabels(context: RuleContext): void {
  const groups = Object.values(context.page.graph.groups).filter((group) => !group.inline)
  const platformish = (label: string) => {
    const meaning = parseLabel(label)
    return meaning.distros.length > 0 || meaning.arches.length > 0 || meaning.catchAll
  }
  // Labels of groups that are plainly choices (no label names a platform) are known choices.
  const choices = new Set(groups.filter((group) => !group.labels.some(platformish)).flatMap((group) => group.labels.map(labelWords)))
  for (const group of groups) {
    const named = group.labels.filter(platformish)
    // A catch-all ("Other …") is a platform only beside labels that name one.
    const naming = named.filter((label) => !parseLabel(label).catchAll || parseLabel(label).distros.length > 0)
    if (naming.length === 0 || named.length === group.labels.length) continue
    for (const label of group.labels) {
      if (platformish(label) || choices.has(labelWords(label))) continue
      context.report({file: group.source.file, ...labelLine(context, group, label), rule: 'tabs/unknown-label', message: `tab "${label}" names no platform, beside tabs that do (${named.map((l) => `"${l}"`).join(', ')}): the group becomes a question for every reader`, hint: 'name the distribution and version in the label, or move this tab to a group of its own'})
    }
  }
}

function disagreeingGroups(context: RuleContext): void {
  const {graph} = context.page
  const platforms = [...platformsNamedBy(graph), ...(context.options.platforms ?? [])]
  for (const procedure of graph.procedures) {
    for (const step of procedure.steps) {
      const os = step.groups.map((id) => graph.groups[id]).filter((group) => group.dimension === 'os' && !group.inline)
      const seen = new Set<string>()
      for (let i = 0; i < os.length; i++) {
        for (let j = i + 1; j < os.length; j++) {
          if (os[i].key === os[j].key) continue
          const pairs = new Map<string, [string, string]>()
          for (const platform of platforms) {
            const a = selectLabel(os[i].labels, platform, 'os')
            const b = selectLabel(os[j].labels, platform, 'os')
            if (a.kind !== 'match' || b.kind !== 'match' || cleanLabel(a.label) === cleanLabel(b.label)) continue
            pairs.set(`${a.label}\u0000${b.label}`, [a.label, b.label])
          }
          const key = `${os[j].id}`
          if (pairs.size === 0 || seen.has(key)) continue
          seen.add(key)
          const shown = [...pairs.values()].slice(0, 3).map(([a, b]) => `"${a}" vs "${b}"`).join(', ')
          const more = pairs.size > 3 ? ` and ${pairs.size - 3} more` : ''
          context.report({file: os[j].source.file, line: os[j].source.line, column: 1 + (context.source.lines(os[j].source.file)[os[j].source.line - 1]?.search(/\S/) ?? 0), rule: 'tabs/labels-disagree', message: `step ${step.number}: this tab group labels platforms differently from the group at line ${os[i].source.line}: ${shown}${more}`, hint: 'use the same labels in every tab group of a step'})
        }
      }
    }
  }
}
