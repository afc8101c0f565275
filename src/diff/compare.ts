/**
 * Drift between two versions or translations of one guide, by structure:
 * procedures and steps aligned by what their commands do (numbers masked),
 * actions paired by kind and tab meaning, tabs compared by the platforms they
 * name. Identical changes (one version bump in twelve commands) are reported
 * once, with every place they occur.
 */
import type {Action, Graph, Procedure, Step} from '../graph/types.js'
import {align, conditionKey, labelMeaning, normalisedScript, similarity} from './signature.js'
import {tokenChanges, type ChangeKind} from './tokens.js'

export interface Place {
  file: string
  line: number
  /** Step number in its procedure. */
  step?: number
  procedure?: string
}

export type Side = 'a' | 'b'

export type Drift =
  | {kind: 'procedure-missing'; missingIn: Side; title: string; at: Place}
  | {kind: 'step-missing'; missingIn: Side; procedure: string; title: string; at: Place}
  | {kind: 'tab-missing'; missingIn: Side; procedure: string; step: string; label: string; at: Place}
  | {kind: 'command-missing'; missingIn: Side; procedure: string; step: string; script: string; at: Place}
  | {kind: 'changed'; what: ChangeKind; a: string; b: string; places: Array<{a: Place; b: Place}>}

export interface DiffReport {
  a: {file: string; title: string}
  b: {file: string; title: string}
  /** The pairs the alignment found (titles in each language). */
  matched: Array<{a: string; b: string; steps: Array<[number, number]>}>
  drift: Drift[]
}

export function diffGraphs(a: Graph, b: Graph): DiffReport {
  const report: DiffReport = {a: {file: a.file, title: a.title}, b: {file: b.file, title: b.title}, matched: [], drift: []}
  const changes = new Map<string, Extract<Drift, {kind: 'changed'}>>()
  const procTokens = (procedure: Procedure) => procedure.steps.flatMap(stepTokens)
  const pairs = align(a.procedures, b.procedures, (x, y) => similarity(procTokens(x), procTokens(y)), 0.3)
  for (const [i, j] of pairs) {
    if (i === undefined || j === undefined) {
      const [graph, index, missingIn] = i === undefined ? [b, j!, 'a' as const] : [a, i, 'b' as const]
      const procedure = graph.procedures[index]
      report.drift.push({kind: 'procedure-missing', missingIn, title: procedure.title, at: procedure.source})
      continue
    }
    const pa = a.procedures[i]
    const pb = b.procedures[j]
    const matched = {a: pa.title, b: pb.title, steps: [] as Array<[number, number]>}
    report.matched.push(matched)
    const steps = align(pa.steps, pb.steps, (x, y) => stepScore(a, x, b, y), 0.5)
    for (const [si, sj] of steps) {
      if (si === undefined || sj === undefined) {
        const [step, missingIn] = si === undefined ? [pb.steps[sj!], 'a' as const] : [pa.steps[si], 'b' as const]
        report.drift.push({kind: 'step-missing', missingIn, procedure: missingIn === 'b' ? pa.title : pb.title, title: step.title, at: {...step.source, step: step.number}})
        continue
      }
      matched.steps.push([pa.steps[si].number, pb.steps[sj].number])
      compareSteps(a, b, [pa.title, pb.title], pa.steps[si], pb.steps[sj], report, changes)
    }
  }
  report.drift.push(...changes.values())
  return report
}

/** The words of a step's commands, numbers masked (a version bump keeps a step itself). */
function stepTokens(step: Step): string[] {
  return step.actions.flatMap((action) => normalisedScript(action).replace(/\d+/g, '#').split(/\s+/).filter(Boolean))
}

/**
 * Two steps are one when their actions have the same kinds under the same tab
 * meanings and mostly the same command words; a manual-only step is known by
 * its structure alone.
 */
function stepScore(a: Graph, x: Step, b: Graph, y: Step): number {
  const structure = similarity(
    x.actions.map((action) => `${action.kind}|${conditionKey(a, action)}`),
    y.actions.map((action) => `${action.kind}|${conditionKey(b, action)}`),
  )
  const words = similarity(stepTokens(x), stepTokens(y))
  return structure < 0.5 || words < 0.4 ? 0 : (structure + words) / 2
}

function compareSteps(a: Graph, b: Graph, titles: [string, string], sa: Step, sb: Step, report: DiffReport, changes: Map<string, Extract<Drift, {kind: 'changed'}>>): void {
  const missing = {a: new Set<string>(), b: new Set<string>()}
  compareTabs(a, b, titles, sa, sb, report, missing)
  const score = (x: Action, y: Action) => {
    if (x.kind !== y.kind || conditionKey(a, x) !== conditionKey(b, y)) return 0
    const nx = normalisedScript(x)
    const ny = normalisedScript(y)
    if (nx === ny) return 1
    if (nx.replace(/\d+/g, '#') === ny.replace(/\d+/g, '#')) return 0.9
    return 0.5 + 0.4 * similarity(nx.split(/\s+/), ny.split(/\s+/))
  }
  for (const [i, j] of align(sa.actions, sb.actions, score, 0.5)) {
    if (i === undefined || j === undefined) {
      const [graph, action, missingIn, step] = i === undefined ? [b, sb.actions[j!], 'a' as const, sb] : [a, sa.actions[i], 'b' as const, sa]
      // An action under a tab that one side lacks is reported as that tab.
      const key = conditionKey(graph, action)
      if ([...missing[missingIn]].some((meaning) => key.split(' › ').includes(meaning))) continue
      report.drift.push({kind: 'command-missing', missingIn, procedure: titles[missingIn === 'b' ? 0 : 1], step: step.title, script: action.kind === 'manual' ? '(an instruction for the reader)' : action.script, at: {...action.source, step: step.number}})
      continue
    }
    const x = sa.actions[i]
    const y = sb.actions[j]
    const nx = normalisedScript(x)
    const ny = normalisedScript(y)
    if (nx === ny) continue
    for (const change of tokenChanges(nx, ny)) {
      const id = `${change.what}\u0000${change.a}\u0000${change.b}`
      let drift = changes.get(id)
      if (!drift) changes.set(id, (drift = {kind: 'changed', ...change, places: []}))
      drift.places.push({a: {...x.source, step: sa.number, procedure: titles[0]}, b: {...y.source, step: sb.number, procedure: titles[1]}})
    }
  }
}

function compareTabs(a: Graph, b: Graph, titles: [string, string], sa: Step, sb: Step, report: DiffReport, missing: {a: Set<string>; b: Set<string>}): void {
  const groups = (graph: Graph, step: Step) => step.groups.map((id) => graph.groups[id]).filter((group) => !group.inline)
  const ga = groups(a, sa)
  const gb = groups(b, sb)
  const meanings = (graph: Graph, group: (typeof ga)[number]) => group.labels.map((label) => ({label, meaning: labelMeaning(graph, group.id, label)}))
  const pairs = align(ga, gb, (x, y) => (x.dimension === y.dimension ? 0.5 + 0.5 * similarity(meanings(a, x).map((m) => m.meaning), meanings(b, y).map((m) => m.meaning)) : 0), 0.5)
  for (const [i, j] of pairs) {
    const left = i === undefined ? [] : meanings(a, ga[i])
    const right = j === undefined ? [] : meanings(b, gb[j])
    const only = (mine: typeof left, theirs: typeof left, missingIn: Side, step: Step, source: {file: string; line: number}) => {
      for (const {label, meaning} of mine) {
        if (theirs.some((other) => other.meaning === meaning)) continue
        missing[missingIn].add(meaning)
        report.drift.push({kind: 'tab-missing', missingIn, procedure: titles[missingIn === 'b' ? 0 : 1], step: step.title, label, at: {...source, step: step.number}})
      }
    }
    if (i !== undefined) only(left, right, 'b', sa, ga[i].source)
    if (j !== undefined) only(right, left, 'a', sb, gb[j].source)
  }
}
