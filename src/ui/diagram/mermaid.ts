/** The diagram as a Mermaid flowchart (renders in GitHub, GitLab and most docs sites). */
import type {Diagram, DiagramNode} from './model.js'

/** A Mermaid label: in double quotes, with quotes and markup characters as entity codes. */
function label(text: string): string {
  const safe = text
    .replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '')
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\n/g, '<br/>')
  return `"${safe}"`
}

const SHAPE: Record<DiagramNode['kind'], [string, string]> = {
  start: ['((', '))'],
  end: ['(((', ')))'],
  step: ['(', ')'],
  'other-host-step': ['(', ')'],
  decision: ['{', '}'],
  variant: ['[', ']'],
  conditional: ['[/', '/]'],
}

export function renderMermaid(diagram: Diagram): string {
  const out = ['---', `title: ${label(diagram.title)}`, '---', 'flowchart TD']
  for (const cluster of diagram.clusters) {
    out.push(`  subgraph ${cluster.id}[${label(cluster.label)}]`)
    for (const node of cluster.nodes) {
      const [open, close] = SHAPE[node.kind]
      out.push(`    ${node.id}${open}${label(node.label)}${close}`)
    }
    for (const edge of cluster.edges) {
      const arrow = edge.dashed ? '-.->' : '-->'
      out.push(`    ${edge.from} ${arrow}${edge.label ? `|${label(edge.label)}|` : ''} ${edge.to}`)
    }
    out.push('  end')
  }
  const classes = new Map<string, string[]>()
  for (const node of diagram.clusters.flatMap((c) => c.nodes)) if (node.kind === 'other-host-step' || node.kind === 'conditional') classes.set(node.kind, [...(classes.get(node.kind) ?? []), node.id])
  out.push('  classDef otherHost fill:#ddf4ff,stroke:#0969da', '  classDef conditional stroke-dasharray: 5 5,stroke:#9a6700')
  if (classes.get('other-host-step')) out.push(`  class ${classes.get('other-host-step')!.join(',')} otherHost`)
  if (classes.get('conditional')) out.push(`  class ${classes.get('conditional')!.join(',')} conditional`)
  return out.join('\n') + '\n'
}
