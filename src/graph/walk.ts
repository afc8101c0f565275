/**
 * A step's content → actions. Walks the step's nodes in order, carrying the
 * tab labels an action sits under and the host the prose sends it to.
 */
import type {Code, Html, List, Nodes, RootContent} from 'mdast'
import type {ContainerDirective} from 'mdast-util-directive'
import type {Action, ActionCondition, ActionRole, AnswerDecl, Condition, ContextBlock, Diagnostic, HostHint, RollbackDecl, SourcePos, TabGroup} from './types.js'
import {answerPlaceholders, parseAnswerBlock} from './answers.js'
import {classifyBlock, normaliseLang} from './classify.js'
import {PROTECTED_APP, readHostProse, type HostReading, type NamedHosts} from './hosts.js'
import {classifyGroup, groupKey} from './labels.js'
import {findPlaceholders} from './placeholders.js'
import {splitBlock, type Split} from './split.js'
import {readConditionIntro} from './roles.js'
import {proseOf, squash, textOf} from './text.js'

/** State shared by every step of a page. */
export interface PageContext {
  titleWords: Set<string>
  /** Hosts the page names by role, sorted into this machine and the others (undefined: not decidable). */
  named?: NamedHosts
  /** Role words of hosts the page sends steps to ("nginx-wallarm"). */
  otherRoles: Set<string>
  groups: Record<string, TabGroup>
  context: ContextBlock[]
  diagnostics: Diagnostic[]
  nextGroup: number
}

export interface WalkedStep {
  actions: Action[]
  groups: string[]
  rollback: RollbackDecl[]
  answers: AnswerDecl[]
  troubleshooting: string[]
  missingIncludes: string[]
}

/** The role the prose gives to what follows it. */
export interface RoleScope {
  role: ActionRole
  reason?: string
  condition?: ActionCondition
}

interface Scope {
  when: Condition[]
  host: HostHint
  file: string
  role: RoleScope
}

const LOCAL: HostHint = {where: 'local', reason: ''}

export function walkStep(stepId: string, title: string, nodes: RootContent[], file: string, host: HostReading, page: PageContext, role: RoleScope = COMMAND): WalkedStep {
  const step: WalkedStep = {actions: [], groups: [], rollback: [], answers: [], troubleshooting: [], missingIncludes: []}
  const walker = new StepWalker(stepId, title, step, page, role)
  const scope: Scope = {when: [], host: host ? {where: 'other', reason: host.reason} : LOCAL, file, role}
  walker.nodes(nodes as Nodes[], scope)
  if (step.actions.length === 0 && step.missingIncludes.length === 0) walker.manualStep(nodes as Nodes[], scope)
  return step
}

const COMMAND: RoleScope = {role: 'command'}

class StepWalker {
  private blocks = 0
  private checked = false
  /** The sentence just before a block: where the page names the file a block belongs in. */
  private lastParagraph = ''
  /** Set by a sentence that sends a test request to the protected application: the next block goes there. */
  private viaProxy: HostHint | undefined

  constructor(
    private readonly stepId: string,
    private readonly title: string,
    private readonly step: WalkedStep,
    private readonly page: PageContext,
    private readonly base: RoleScope,
  ) {}

  /** Siblings in order: a sentence naming another host sends the rest of its container there. */
  nodes(nodes: Nodes[], scope: Scope): void {
    let current = scope
    for (const node of nodes) {
      if (node.type === 'paragraph' || node.type === 'heading') {
        const text = squash(textOf(node))
        this.lastParagraph = text
        if (this.checked && node.type === 'paragraph') this.step.troubleshooting.push(text)
        const reading = readHostProse(text, this.page.titleWords, this.page.named)
        if (reading) current = {...current, host: {where: 'other', reason: reading.reason}}
        // Only the request that follows this sentence goes through the protected application's proxy.
        this.viaProxy = !reading && this.page.otherRoles.size > 0 && PROTECTED_APP.test(text) ? {where: 'other', reason: `${text} (the protected application sits behind the server the page installs elsewhere)`} : undefined
        // A heading ends what the prose above it set up; "If you need to change…:" starts a condition.
        if (node.type === 'heading') current = {...current, role: this.base}
        const condition = node.type === 'paragraph' && current.role.role === 'command' ? readConditionIntro(text) : undefined
        if (condition) current = {...current, role: {role: 'conditional', reason: condition.text, condition}}
      } else this.node(node, current)
    }
  }

  private node(node: Nodes, scope: Scope): void {
    switch (node.type) {
      case 'code':
        return this.code(node, scope)
      case 'list':
        return this.list(node, scope)
      case 'blockquote':
        return this.nodes(node.children, scope)
      case 'html':
        this.htmlAnswers(node, scope)
        return this.htmlRollback(node, scope)
      case 'containerDirective':
        return this.directive(node, scope)
      case 'leafDirective':
        if (node.name === 'include') this.step.missingIncludes.push(String(node.attributes?.path ?? ''))
        return
      default:
    }
  }

  private directive(node: ContainerDirective, scope: Scope): void {
    const file = node.data?.file ?? scope.file
    if (node.name === 'tabs') return this.tabs(node, {...scope, file})
    if (node.name === 'snippet') return this.nodes(node.children as Nodes[], {...scope, file: node.attributes?.file ?? file})
    if (node.name === 'rollback') {
      for (const child of node.children) {
        if (child.type === 'code') this.step.rollback.push({script: child.value, source: this.pos(child, scope), when: scope.when})
      }
      return
    }
    if (node.name === 'answers') {
      for (const child of node.children) {
        // A fence keeps the lines as written (a paragraph would read `<TOKEN>` as HTML); they start on the line after it opens.
        if (child.type === 'code') this.answers(child.value, {...this.pos(child, scope), line: this.pos(child, scope).line + 1}, scope)
      }
      return
    }
    this.nodes(node.children as Nodes[], scope)
  }

  /** `<!-- answers` then `PATTERN=VALUE` lines `-->`: invisible in MkDocs, read here. */
  private htmlAnswers(node: Html, scope: Scope): void {
    const match = /^<!--\s*answers\b:?[ \t]*\n?([\s\S]*?)-->\s*$/i.exec(node.value)
    if (!match) return
    const at = this.pos(node, scope)
    const firstLine = node.value.slice(0, match.index + match[0].indexOf(match[1])).split('\n').length - 1
    this.answers(match[1], {...at, line: at.line + firstLine}, scope)
  }

  private answers(text: string, at: SourcePos, scope: Scope): void {
    const {answers, errors} = parseAnswerBlock(text)
    for (const a of answers) {
      this.step.answers.push({pattern: a.pattern, value: a.value, placeholders: answerPlaceholders(a.value), source: {...at, line: at.line + a.line}, when: scope.when})
    }
    for (const e of errors) {
      this.step.answers.push({pattern: '', value: '', placeholders: [], source: {...at, line: at.line + e.line}, when: scope.when, invalid: e.message})
    }
  }

  private tabs(node: ContainerDirective, scope: Scope): void {
    const tabs = node.children.filter((child): child is ContainerDirective => child.type === 'containerDirective' && child.name === 'tab')
    const labels = tabs.map((tab) => String(tab.attributes?.label ?? ''))
    const group = this.addGroup(labels, this.pos(node, scope), false)
    for (const tab of tabs) {
      const inner: Scope = {...scope, when: [...scope.when, {group: group.id, label: String(tab.attributes?.label ?? '')}]}
      if (holds(tab, 'code')) this.nodes(tab.children as Nodes[], inner)
      else this.manual(tab.children as Nodes[], tab, inner)
    }
  }

  /** An ordered list item with no command in it is an instruction for a person. */
  private list(node: List, scope: Scope): void {
    for (const item of node.children) {
      if (node.ordered && !holds(item, 'code') && !holds(item, 'containerDirective')) this.manual(item.children as Nodes[], item, scope)
      else this.nodes(item.children as Nodes[], scope)
    }
  }

  manualStep(nodes: Nodes[], scope: Scope): void {
    const first = nodes.find((node) => node.position)
    if (first) this.manual(nodes, first, scope)
  }

  private manual(nodes: Nodes[], at: Nodes, scope: Scope): void {
    const text = proseOf(nodes)
    if (!text) return
    const host = nodes.reduce((found, node) => (node.type === 'paragraph' ? this.hostOf(node, found) : found), scope).host
    this.push({kind: 'manual', ...roleOf(scope.role), lang: 'text', script: text, source: this.pos(at, scope), when: scope.when, placeholders: [], sudo: false, interactive: true, host})
  }

  private hostOf(node: Nodes, scope: Scope): Scope {
    const reading = readHostProse(squash(textOf(node)), this.page.titleWords, this.page.named)
    return reading ? {...scope, host: {where: 'other', reason: reading.reason}} : scope
  }

  private code(node: Code, given: Scope): void {
    const scope = this.viaProxy ? {...given, host: this.viaProxy} : given
    this.viaProxy = undefined
    const source = this.pos(node, scope)
    const previous = this.step.actions[this.step.actions.length - 1]
    const found = classifyBlock(node.lang ?? '', node.value, previous)
    const lang = normaliseLang(node.lang)
    if (found.kind === 'context') {
      this.page.context.push({lang, text: node.value, source, section: this.title})
      return
    }
    const block = `${this.stepId}/b${++this.blocks}`
    // A fence that an include opened and the page closed spans two files (the parser then ends it on its first line):
    // a line inside it cannot be told by offset, so its parts keep the block's first line.
    const spansFiles = node.position !== undefined && node.position.end.line <= node.position.start.line && node.value.includes('\n')
    const lineAt = (offset: number) => (spansFiles ? source.line : source.line + 1 + offset)
    const split = found.kind === 'exec' || found.kind === 'check' ? splitBlock(found.script) : undefined
    const role = found.shown ? {role: found.shown.role, roleReason: found.shown.reason} : found.kind === 'file-content' ? {role: 'file-content' as const, roleReason: 'configuration to put in a file'} : roleOf(scope.role)
    if (!split) {
      const file = found.kind === 'file-content' ? this.fileNamedNear(previous) : found.file
      // File content under a condition is shown with that condition: it belongs to the same decision.
      const conditional = found.kind === 'file-content' && scope.role.condition ? {condition: scope.role.condition, roleReason: `${role.roleReason}, only if: ${scope.role.condition.text}`} : {}
      this.push({kind: found.kind, ...role, ...conditional, lang, script: found.script, source, when: scope.when, placeholders: role.role === 'command' || role.role === 'conditional' || role.role === 'optional' || role.role === 'file-content' ? findPlaceholders(found.script) : [], sudo: found.sudo, interactive: found.interactive, host: scope.host, file, block})
    } else {
      for (const part of this.parts(split, scope, source)) {
        const again = classifyBlock(lang, part.script)
        const kind = again.kind === 'context' ? found.kind : again.kind
        this.push({kind, ...role, lang, script: part.script, source: {...source, line: lineAt(part.line)}, when: part.when, placeholders: findPlaceholders(part.script), sudo: again.sudo, interactive: again.interactive, host: part.host, file: again.file, block})
      }
    }
    if (found.output) {
      this.push({kind: 'file-content', role: 'output', roleReason: 'what the command above prints', lang: 'text', script: found.output.text, source: {...source, line: lineAt(found.output.line)}, when: scope.when, placeholders: [], sudo: false, interactive: false, host: scope.host, block})
    }
  }

  /** Comment-led sections: arch variants under an inline group, or parts for each host. */
  private parts(split: Split, scope: Scope, source: SourcePos): Array<{script: string; line: number; when: Condition[]; host: HostHint}> {
    if (split.by === 'arch') {
      const group = this.addGroup(split.sections.map((section) => section.comment), source, true)
      return split.sections.map((section) => ({...section, when: [...scope.when, {group: group.id, label: section.comment}], host: scope.host}))
    }
    const known = (role: string[]) => role.some((word) => this.page.otherRoles.has(word))
    const anyKnown = split.sections.some((section) => known(section.role))
    return split.sections.map((section) => {
      const other = anyKnown ? known(section.role) : !section.role.some((word) => this.page.titleWords.has(word))
      return {...section, when: scope.when, host: other ? {where: 'other', reason: section.comment} : {where: 'local', reason: section.comment}}
    })
  }

  /**
   * `file-content` goes to the file the prose just named, else to the one the
   * editor just opened. When the editor tabs open different files per platform,
   * the plan takes the file of the tab it picked.
   */
  private fileNamedNear(previous?: Action): string | undefined {
    const path = /(?:^|\s|`)((?:\/|~\/)[\w.@/-]+\w|[\w.-]+\.(?:ya?ml|conf|json|toml|ini|env|list|lua|cfg|properties))(?:`|\s|$|[,.;:])/.exec(this.lastParagraph)
    if (path) return path[1]
    if (!previous || (previous.kind !== 'edit' && previous.kind !== 'file-content')) return undefined
    const sameBlockRun = this.step.actions.filter((action) => action.kind === previous.kind && action.source.line <= previous.source.line && action.when.length === previous.when.length)
    const files = new Set(sameBlockRun.slice(-Math.max(1, this.groupSizeOf(previous))).map((action) => action.file))
    return files.size === 1 ? previous.file : undefined
  }

  private groupSizeOf(action: Action): number {
    const last = action.when[action.when.length - 1]
    return last ? this.page.groups[last.group].labels.length : 1
  }

  private htmlRollback(node: Html, scope: Scope): void {
    const match = /^<!--\s*rollback\b:?\s*([\s\S]*?)-->\s*$/i.exec(node.value)
    if (!match) return
    const body = match[1].replace(/^\s*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\s*\1\s*$/, '$2').trim()
    if (body) this.step.rollback.push({script: body, source: this.pos(node, scope), when: scope.when})
  }

  private addGroup(labels: string[], source: SourcePos, inline: boolean): TabGroup {
    const id = `g${++this.page.nextGroup}`
    const group: TabGroup = {id, dimension: classifyGroup(labels), key: groupKey(labels), labels, source, ...(inline ? {inline} : {})}
    if (inline) group.dimension = 'arch'
    this.page.groups[id] = group
    this.step.groups.push(id)
    return group
  }

  private push(action: Omit<Action, 'id'>): void {
    if (action.kind === 'check') this.checked = true
    this.step.actions.push({id: `${this.stepId}/a${this.step.actions.length + 1}`, ...action})
  }

  private pos(node: Nodes, scope: Scope): SourcePos {
    return {file: node.data?.file ?? scope.file, line: node.position?.start.line ?? 0}
  }
}

function roleOf(scope: RoleScope): Pick<Action, 'role' | 'roleReason' | 'condition'> {
  return {role: scope.role, ...(scope.reason ? {roleReason: scope.reason} : {}), ...(scope.condition ? {condition: scope.condition} : {})}
}

/** Does `node` hold a block of `type` (fences, directives: never inside phrasing content)? */
function holds(node: Nodes, type: string): boolean {
  if (node.type === type) return true
  if (node.type === 'paragraph' || node.type === 'heading') return false
  return 'children' in node && (node.children as Nodes[]).some((child) => holds(child, type))
}
