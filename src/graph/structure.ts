/**
 * Procedures and steps, found by structure: a heading that reads
 * `<word> <number>:` (Step 1:, Passo 1:, Étape 1 :, 1.) is a step; the heading
 * above a run of steps is their procedure. Words are never matched, so every
 * language works. A page with no numbered steps becomes one procedure whose
 * steps are its sections that hold commands.
 */
import type {Heading, Nodes, Root, RootContent} from 'mdast'
import {isShellLang} from './classify.js'
import {squash, textOf} from './text.js'
import {append, minOf} from '../arrays.js'

export interface Section {
  heading?: Heading
  /** Title without the `Step 3:` prefix. */
  title: string
  number?: number
  /** Nodes after the heading, up to the next heading of the same or a higher level. */
  body: RootContent[]
}

export interface ProcedureShape {
  heading?: Heading
  title: string
  preamble: RootContent[]
  steps: Section[]
}

export interface PageShape {
  title?: string
  procedures: ProcedureShape[]
  /** Top-level nodes in no step (fences there become context blocks). */
  outside: Array<{node: RootContent; section?: string}>
  /** True when steps came from numbered headings, false for the section fallback. */
  numbered: boolean
}

// A dot ends the number only before a space: `4.8.0 (2023-10-19)` and `Study 5.x approach` are versions, not steps.
const STEP_HEADING = /^(?:[\p{L}]+\s+)?(\d{1,3})\s*(?:[:)．：]|\.(?=\s))\s*(\S.*)$/u

export function readStep(heading: Heading): {number: number; title: string} | undefined {
  const match = STEP_HEADING.exec(squash(textOf(heading)))
  return match ? {number: Number(match[1]), title: match[2].trim()} : undefined
}

/** Snippets included at the top level take part in the page's structure: splice them in. */
export function flatten(nodes: RootContent[]): RootContent[] {
  const out: RootContent[] = []
  for (const node of nodes) {
    if (node.type === 'containerDirective' && node.name === 'snippet') append(out, flatten(node.children as RootContent[]))
    else out.push(node)
  }
  return out
}

export function readShape(tree: Root): PageShape {
  const nodes = flatten(tree.children)
  const titleNode = nodes.find((node): node is Heading => node.type === 'heading' && node.depth === 1)
  const title = titleNode ? squash(textOf(titleNode)) : undefined
  const stepIndexes = nodes.flatMap((node, index) => (node.type === 'heading' && readStep(node) ? [index] : []))
  if (stepIndexes.length === 0) return sectionShape(nodes, title)
  const numbered = numberedShape(nodes, stepIndexes, title)
  // Numbered headings with no command under any of them (`#### 1. type=http` in a reference) are not a procedure.
  const procedures = numbered.procedures.filter((procedure) => procedure.steps.some((step) => step.body.some(holdsShell)))
  if (procedures.length === 0) return sectionShape(nodes, title)
  return {...numbered, procedures}
}

/** "Installation", "How to install X", "Instalação", "Installer": the section that installs the product. */
const INSTALL_HEADING = /(?:^|[^\p{L}])(?:install|installation|installing|instala|instalação|instalacao|instalando|instalación|instalacion|instalar|installer|installieren|installation)(?![\p{L}])/iu

function numberedShape(nodes: RootContent[], stepIndexes: number[], title?: string): PageShape {
  const procedures: ProcedureShape[] = []
  const inStep = new Set<number>()
  let current: {parent: number; procedure: ProcedureShape; depth: number} | undefined
  for (const index of stepIndexes) {
    const heading = nodes[index] as Heading
    // Under a step's own heading (`### Method 1:` in `## Step 8:`): part of that step, whose section holds it.
    const above = headingAbove(nodes, index)
    if (above >= 0 && readStep(nodes[above] as Heading)) continue
    const parent = parentHeading(nodes, index)
    if (!current || current.parent !== parent || heading.depth !== current.depth) {
      if (current && current.parent === parent && heading.depth > current.depth) continue // a sub-step: part of its step
      const parentNode = parent >= 0 ? (nodes[parent] as Heading) : undefined
      const preamble = nodes.slice(parent + 1, index)
      current = {
        parent,
        depth: heading.depth,
        procedure: {heading: parentNode, title: parentNode ? squash(textOf(parentNode)) : (title ?? 'Procedure'), preamble, steps: []},
      }
      procedures.push(current.procedure)
    }
    const end = sectionEnd(nodes, index, heading.depth)
    for (let at = index; at < end; at++) inStep.add(at)
    const step = readStep(heading) as {number: number; title: string}
    current.procedure.steps.push({heading, title: step.title, number: step.number, body: nodes.slice(index + 1, end)})
  }
  const outside = nodes.flatMap((node, index) => (inStep.has(index) ? [] : [{node, section: sectionTitle(nodes, index)}]))
  return {title, procedures, outside, numbered: true}
}

/**
 * No numbered steps: the page's top sections (the shallowest headings under
 * the title) are its ways through it, and each section of one that holds a
 * fence is a step. A section that installs the product ends at its first
 * sub-heading: what follows documents the product (usage, examples), it is
 * not part of installing it.
 */
function sectionShape(nodes: RootContent[], title?: string): PageShape {
  const outside: PageShape['outside'] = []
  const sections: Array<{heading?: Heading; start: number; end: number}> = []
  let start = 0
  while (start < nodes.length) {
    const heading = nodes[start].type === 'heading' ? (nodes[start] as Heading) : undefined
    let end = start + 1
    while (end < nodes.length && nodes[end].type !== 'heading') end++
    sections.push({heading, start, end})
    start = end
  }
  const depths = sections.flatMap((section) => (section.heading && section.heading.depth > 1 ? [section.heading.depth] : []))
  const top = depths.length > 0 ? minOf(depths) : 7
  const groups: Array<typeof sections> = []
  for (const section of sections) {
    if (groups.length === 0 || (section.heading && section.heading.depth <= top)) groups.push([])
    groups[groups.length - 1].push(section)
  }
  const procedures: ProcedureShape[] = []
  for (const group of groups) {
    const head = group[0].heading && group[0].heading.depth > 1 ? group[0].heading : undefined
    const installs = head !== undefined && INSTALL_HEADING.test(squash(textOf(head)))
    const steps: Section[] = []
    group.forEach((section, index) => {
      const heading = section.heading
      const body = nodes.slice(heading ? section.start + 1 : section.start, section.end)
      const name = heading ? squash(textOf(heading)) : undefined
      if (body.some(holdsCode) && !(installs && index > 0)) steps.push({heading, title: name ?? title ?? 'Introduction', number: steps.length + 1, body})
      else for (const node of nodes.slice(section.start, section.end)) outside.push({node, section: name})
    })
    if (steps.length > 0) procedures.push({heading: head, title: head ? squash(textOf(head)) : (title ?? 'Procedure'), preamble: [], steps})
  }
  return {title, procedures, outside, numbered: false}
}

function holdsShell(node: Nodes): boolean {
  if (node.type === 'code') return isShellLang(node.lang)
  if (node.type === 'paragraph' || node.type === 'heading') return false
  return 'children' in node && (node.children as Nodes[]).some(holdsShell)
}

function holdsCode(node: Nodes): boolean {
  if (node.type === 'code') return true
  // Phrasing content holds no fence.
  if (node.type === 'paragraph' || node.type === 'heading') return false
  return 'children' in node && (node.children as Nodes[]).some(holdsCode)
}

/** The nearest heading above `index` with a lower depth, step or not, or -1. */
function headingAbove(nodes: RootContent[], index: number): number {
  const depth = (nodes[index] as Heading).depth
  for (let at = index - 1; at >= 0; at--) {
    const node = nodes[at]
    if (node.type === 'heading' && node.depth < depth) return at
  }
  return -1
}

/** The nearest heading above `index` with a lower depth that is not a step, or -1. */
function parentHeading(nodes: RootContent[], index: number): number {
  const depth = (nodes[index] as Heading).depth
  for (let at = index - 1; at >= 0; at--) {
    const node = nodes[at]
    if (node.type === 'heading' && node.depth < depth && !readStep(node)) return at
  }
  return -1
}

function sectionEnd(nodes: RootContent[], index: number, depth: number): number {
  let end = index + 1
  while (end < nodes.length && !(nodes[end].type === 'heading' && (nodes[end] as Heading).depth <= depth)) end++
  return end
}

function sectionTitle(nodes: RootContent[], index: number): string | undefined {
  for (let at = index; at >= 0; at--) {
    const node = nodes[at]
    if (node.type === 'heading') return squash(textOf(node))
  }
  return undefined
}
