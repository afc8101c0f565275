/**
 * graph: the parsed page → procedures, steps and actions under conditions.
 */
import type {Nodes, Root, RootContent} from 'mdast'
import type {ParsedPage} from '../parse/index.js'
import type {ContextBlock, Graph, Procedure, Step} from './types.js'
import {normaliseLang} from './classify.js'
import {readHostProse, sortNamedHosts, titleWords} from './hosts.js'
import {assignRoles} from './host-roles.js'
import {readShape} from './structure.js'
import {proseOf, slug, squash, textOf} from './text.js'
import {readSectionCondition, readSectionOffer, titleSaysOptional} from './roles.js'
import {walkStep, type PageContext, type RoleScope} from './walk.js'
import {append} from '../arrays.js'

export type * from './types.js'

export function buildGraph(page: ParsedPage): Graph {
  const shape = readShape(page.tree)
  const title = shape.title ?? page.file.replace(/^.*\//, '').replace(/\.md$/, '')
  const context: PageContext = {
    titleWords: titleWords(title),
    otherRoles: otherRoles(page.tree, titleWords(title)),
    groups: {},
    context: [],
    diagnostics: [...page.diagnostics],
    nextGroup: 0,
  }
  const procedureIds = new Set<string>()
  const procedures: Procedure[] = shape.procedures.map((shaped) => {
    context.named = sortNamedHosts(shaped.steps.map((section) => [section.title, ...paragraphsOf(section.body as Nodes[])]))
    const id = unique(slug(shaped.title) || 'procedure', procedureIds)
    const stepIds = new Set<string>()
    const steps: Step[] = shaped.steps.map((section) => {
      const stepId = unique(slug(section.title) || `step-${section.number}`, stepIds)
      // A step with no heading (the page starts with text) begins at its first node, in that node's file.
      const first = section.heading ?? section.body[0]
      const source = {file: first?.data?.file ?? page.file, line: first?.position?.start.line ?? 1}
      const host = readHostProse(section.title, context.titleWords, context.named)
      const role = stepRole(section.title, section.body, shape.numbered)
      const walked = walkStep(stepId, section.title, section.body, page.file, host, context, role)
      const step: Step = {id: stepId, number: section.number ?? 0, title: section.title, source, prose: proseOf(section.body as Nodes[]), actions: walked.actions, groups: walked.groups}
      if (walked.troubleshooting.length > 0) step.troubleshooting = walked.troubleshooting.join('\n')
      if (walked.rollback.length > 0) step.rollback = walked.rollback
      if (walked.answers.length > 0) step.answers = walked.answers
      if (walked.missingIncludes.length > 0) step.missingIncludes = walked.missingIncludes
      return step
    })
    const source = {file: shaped.heading?.data?.file ?? page.file, line: shaped.heading?.position?.start.line ?? 1}
    return {id, title: shaped.title, source, preamble: proseOf(shaped.preamble as Nodes[]), steps}
  })
  assignRoles(procedures, context.titleWords)
  for (const {node, section} of shape.outside) collectContext(node, section, page.file, context.context)
  context.context.sort((a, b) => (a.source.file === b.source.file ? a.source.line - b.source.line : a.source.file < b.source.file ? -1 : 1))
  return {title, file: page.file, procedures, groups: context.groups, context: context.context, diagnostics: context.diagnostics}
}

/**
 * The role a step gives its commands. A numbered step is part of the
 * procedure (unless its title says it is optional); a section of a page with
 * no numbered steps is a topic, whose opening prose may put it under a
 * condition ("If…", "Let's say…", a change from the default) or only offer it
 * ("You can…").
 */
function stepRole(title: string, body: RootContent[], numbered: boolean): RoleScope {
  if (titleSaysOptional(title)) return {role: 'optional', reason: title, condition: conditionOfTitle(title)}
  if (numbered) return {role: 'command'}
  const intro: string[] = []
  for (const node of body) {
    if (node.type !== 'paragraph') break
    intro.push(squash(textOf(node)))
  }
  const condition = readSectionCondition(intro)
  if (condition) return {role: 'conditional', reason: condition.text, condition}
  const offer = readSectionOffer(intro)
  if (offer) return {role: 'optional', reason: offer, condition: {slug: slug(title) || 'optional', text: offer}}
  return {role: 'command'}
}

function conditionOfTitle(title: string): {slug: string; text: string} {
  return {slug: slug(title) || 'optional', text: title}
}

/** Fences outside any step are kept as context, so that no fence of the page is lost. */
function collectContext(node: RootContent | Nodes, section: string | undefined, file: string, out: ContextBlock[]): void {
  const here = node.data?.file ?? file
  if (node.type === 'code') {
    out.push({lang: normaliseLang(node.lang), text: node.value, source: {file: here, line: node.position?.start.line ?? 0}, ...(section ? {section} : {})})
    return
  }
  if ('children' in node) for (const child of node.children as Nodes[]) collectContext(child, section, here, out)
}

/** The sentences of a step (paragraphs and headings, at any depth), to read the hosts it names. */
function paragraphsOf(nodes: Nodes[]): string[] {
  const out: string[] = []
  for (const node of nodes) {
    if (node.type === 'paragraph' || node.type === 'heading') out.push(squash(textOf(node)))
    else if ('children' in node) append(out, paragraphsOf(node.children as Nodes[]))
  }
  return out
}

/** Hosts named as "the machine with X" anywhere in the page, X not the page's own subject. */
function otherRoles(tree: Root, words: Set<string>): Set<string> {
  const roles = new Set<string>()
  const visit = (node: Nodes) => {
    if (node.type === 'paragraph' || node.type === 'heading') {
      const reading = readHostProse(squash(textOf(node)), words)
      for (const word of reading?.role ?? []) roles.add(word)
      return
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child)
  }
  visit(tree)
  return roles
}

function unique(base: string, seen: Set<string>): string {
  let id = base
  for (let n = 2; seen.has(id); n++) id = `${base}-${n}`
  seen.add(id)
  return id
}
