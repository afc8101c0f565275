/**
 * The step graph as a diagram, independent of the drawing language: one
 * cluster per procedure, its steps in order, each tab group a branch point
 * whose edges carry the tab labels (platforms, CPUs or choices), conditional
 * and optional blocks hanging off their step as dashed nodes, steps for
 * another server marked. DOT and Mermaid both draw this model, so the two
 * formats cannot disagree.
 */
import type {Action, Graph, Step, TabGroup} from '../../graph/types.js'

export type NodeKind = 'start' | 'step' | 'other-host-step' | 'decision' | 'variant' | 'conditional' | 'end'

export interface DiagramNode {
  id: string
  kind: NodeKind
  label: string
}

export interface DiagramEdge {
  from: string
  to: string
  label?: string
  dashed?: boolean
}

export interface Cluster {
  id: string
  label: string
  nodes: DiagramNode[]
  edges: DiagramEdge[]
}

export interface Diagram {
  title: string
  clusters: Cluster[]
}

/** Roles and hosts that a newer graph may carry; read without assuming them. */
interface ActionExtras {
  role?: string
  condition?: {slug: string; text: string}
  roleReason?: string
  host: Action['host'] & {role?: string}
}

const DIMENSION_LABEL: Record<TabGroup['dimension'], string> = {os: 'platform', arch: 'CPU', choice: 'choose'}

function short(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim()
  return one.length > max ? one.slice(0, max - 1) + '…' : one
}

export function buildDiagram(graph: Graph): Diagram {
  return {title: graph.title, clusters: graph.procedures.map((procedure, p) => procedureCluster(graph, procedure.title, procedure.steps, `p${p}`))}
}

function procedureCluster(graph: Graph, title: string, steps: Step[], prefix: string): Cluster {
  const cluster: Cluster = {id: prefix, label: title, nodes: [], edges: []}
  const add = (node: DiagramNode) => (cluster.nodes.push(node), node.id)
  // Every edge that ends a step goes to the next step's node: `open` holds their tails.
  let open: Array<{from: string; label?: string}> = [{from: add({id: `${prefix}_start`, kind: 'start', label: 'start'})}]
  const connect = (to: string) => {
    for (const tail of open) cluster.edges.push({from: tail.from, to, ...(tail.label ? {label: tail.label} : {})})
  }
  for (const step of steps) {
    const actions = step.actions as Array<Action & ActionExtras>
    const planned = actions.filter((a) => a.role === undefined || a.role === 'command' || a.role === 'file-content')
    const other = planned.length > 0 && planned.every((a) => a.host.where === 'other')
    const where = other ? `\non ${planned[0]!.host.role ?? 'another server'}` : ''
    const stepId = add({id: `${prefix}_s${step.number}`, kind: other ? 'other-host-step' : 'step', label: `${step.number}. ${short(step.title)}${where}`})
    connect(stepId)
    open = [{from: stepId}]
    for (const groupId of step.groups) {
      const group = graph.groups[groupId]
      if (!group) continue
      const decision = add({id: `${prefix}_s${step.number}_${group.id}`, kind: 'decision', label: DIMENSION_LABEL[group.dimension]})
      connect(decision)
      open = []
      for (const [v, label] of group.labels.entries()) {
        const count = planned.filter((a) => a.when.some((c) => c.group === group.id && c.label === label)).length
        const variant = add({id: `${decision}_v${v}`, kind: 'variant', label: `${short(label, 40)}\n${count} block${count === 1 ? '' : 's'}`})
        cluster.edges.push({from: decision, to: variant, label: short(label, 30)})
        open.push({from: variant})
      }
    }
    const conditions = new Map<string, string>()
    for (const a of actions) if ((a.role === 'conditional' || a.role === 'optional') && a.condition) conditions.set(a.condition.slug, `${a.role === 'optional' ? 'optional' : 'only if'}: ${short(a.condition.text)}`)
    for (const [slug, text] of conditions) {
      const node = add({id: `${stepId}_c_${slug.replace(/[^A-Za-z0-9]/g, '_')}`, kind: 'conditional', label: text})
      cluster.edges.push({from: stepId, to: node, dashed: true, label: `--with ${slug}`})
    }
  }
  connect(add({id: `${prefix}_end`, kind: 'end', label: 'done'}))
  return cluster
}
