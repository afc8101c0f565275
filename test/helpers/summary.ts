/** A graph as short readable lines, so that tests can state the whole of it exactly. */
import type {Graph} from '../../src/graph/types.js'

export function summarizeSteps(graph: Graph, procedureIndex: number): string[][] {
  const procedure = graph.procedures[procedureIndex]
  return procedure.steps.map((step) => [
    `${step.number}. ${step.title}`,
    ...step.groups.map((id) => {
      const g = graph.groups[id]
      return `tabs ${g.dimension}${g.inline ? ' inline' : ''}: ${g.labels.join(' | ')}`
    }),
    ...step.actions.map((action) => {
      const when = action.when.map((c) => c.label).join(' › ')
      const bits = [
        action.kind,
        when && `[${when}]`,
        action.host.where === 'other' && '@other',
        action.file && `file=${action.file}`,
        action.placeholders.length > 0 && action.placeholders.map((p) => p.raw + (p.secret ? '*' : '')).join(','),
      ].filter(Boolean)
      const first = action.script.split('\n').find((line) => line.trim() && !line.trim().startsWith('#')) ?? ''
      return `${bits.join(' ')} :: ${first.trim()}`
    }),
  ])
}
