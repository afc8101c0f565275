/** The diagram in Graphviz DOT: clusters per procedure, dashed conditional blocks, other-host steps in blue. */
import type {Diagram, DiagramNode} from './model.js'

/** A DOT string: quotes and backslashes escaped, newlines as centred line breaks, controls dropped. */
function quote(text: string): string {
  return '"' + text.replace(/[\x00-\x09\x0b-\x1f\x7f]/g, '').replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"'
}

const NODE_STYLE: Record<DiagramNode['kind'], string> = {
  start: 'shape=circle, style=filled, fillcolor="#1f2328", fontcolor=white, width=0.5, fixedsize=true',
  end: 'shape=doublecircle, style=filled, fillcolor="#1a7f37", fontcolor=white, width=0.5, fixedsize=true',
  step: 'shape=box, style="rounded,filled", fillcolor="#ffffff"',
  'other-host-step': 'shape=box, style="rounded,filled", fillcolor="#ddf4ff", color="#0969da"',
  decision: 'shape=diamond, style=filled, fillcolor="#fff8c5"',
  variant: 'shape=box, style="filled", fillcolor="#f6f8fa"',
  conditional: 'shape=note, style="dashed", color="#9a6700"',
}

export function renderDot(diagram: Diagram): string {
  const out = ['digraph runbook {', `  graph [label=${quote(diagram.title)}, labelloc=t, fontname="Helvetica", fontsize=16, compound=true];`]
  out.push('  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9, color="#57606a"];')
  for (const cluster of diagram.clusters) {
    out.push(`  subgraph cluster_${cluster.id} {`, `    label=${quote(cluster.label)}; style="rounded"; color="#d0d7de";`)
    for (const node of cluster.nodes) out.push(`    ${node.id} [label=${quote(node.label)}, ${NODE_STYLE[node.kind]}];`)
    for (const edge of cluster.edges) {
      const attrs = [edge.label ? `label=${quote(edge.label)}` : '', edge.dashed ? 'style=dashed' : ''].filter(Boolean)
      out.push(`    ${edge.from} -> ${edge.to}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`)
    }
    out.push('  }')
  }
  out.push('}', '')
  return out.join('\n')
}
