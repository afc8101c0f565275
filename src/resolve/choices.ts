/**
 * Deciding a tab group: the platform decides `os` and `arch` groups, the user
 * decides `choice` groups (once per label set, applied everywhere), and
 * `--choose LABEL` can force any group.
 */
import type {Graph, Step, TabGroup} from '../graph/types.js'
import {UsageError} from '../errors.js'
import {displayPath} from '../graph/text.js'
import {describePlatform} from './platform.js'
import {selectLabel} from './select.js'
import type {Platform, Selection} from './types.js'

export interface Decider {
  /** The label picked for a group, deciding it on first use. */
  decide(group: TabGroup, step: Step, procedure: string): Promise<string>
  selections: Selection[]
  /** Choice key → label. */
  choices: Record<string, string>
}

export interface DeciderOptions {
  graph: Graph
  platform: Platform
  /** `--choose` values. */
  choose: string[]
  /** Asked for a choice nobody gave; undefined in non-interactive runs. */
  ask?: (question: string, options: string[]) => Promise<number> | number
  /** A dry-run without a choice shows the first label instead of failing. */
  dryRun: boolean
  /** Choices recorded by an earlier attempt of the run (key → label). */
  answered?: Record<string, string>
  /** Another decider's choices, shared: one person's answer holds on every host. */
  sharedChoices?: Record<string, string>
}

/** Labels compared by their words: "Token API" and "Token de API" are one choice. */
export function labelWords(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9_]+/)
    .filter((word) => word.length > 2 || /\d/.test(word))
    .sort()
    .join(' ')
}

/**
 * Which label of `labels` a `--choose` value names: the same text, else a
 * unique label containing it, else a unique label with the same words
 * ("Token API" names "Token de API").
 */
export function matchChoice(value: string, labels: string[]): string | undefined {
  const found = choiceMatches(value, labels)
  return found.length === 1 ? found[0] : undefined
}

/** The labels a `--choose` value names at the first test that names any: one is a match, several are ambiguous. */
function choiceMatches(value: string, labels: string[]): string[] {
  const wanted = value.trim().toLowerCase()
  const tests = [
    (label: string) => label.toLowerCase() === wanted,
    (label: string) => label.toLowerCase().includes(wanted),
    (label: string) => labelWords(label) === labelWords(value) && labelWords(value) !== '',
  ]
  for (const test of tests) {
    const found = labels.filter(test)
    if (found.length > 0) return found
  }
  return []
}

/**
 * Every `--choose` value must name exactly one tab of some group of the page:
 * a value that names nothing, or only ever several tabs at once, would
 * otherwise be ignored without a word.
 */
export function checkChooseValues(values: string[], graph: Graph): void {
  const groups = Object.values(graph.groups)
  for (const value of values) {
    const found = groups.map((group) => ({group, labels: choiceMatches(value, group.labels)}))
    if (found.some((f) => f.labels.length === 1)) continue
    const several = found.find((f) => f.labels.length > 1)
    if (several) {
      const {group, labels} = several
      throw new UsageError(
        `--choose ${JSON.stringify(value)} names several tabs of one group (${displayPath(group.source.file)}:${group.source.line}) and no single one: ${labels.map((l) => `"${l}"`).join(', ')}. Give the whole label of one of them.`,
      )
    }
    const labels = [...new Set(groups.flatMap((g) => g.labels))]
    throw new UsageError(`--choose ${JSON.stringify(value)} names no tab of ${displayPath(graph.file)}. ${labels.length ? `The tabs are ${labels.map((l) => `"${l}"`).join(', ')}.` : 'The page has no tabs.'}`)
  }
}

export class Decisions implements Decider {
  readonly selections: Selection[] = []
  readonly choices: Record<string, string>
  private readonly byGroup = new Map<string, string>()

  constructor(private readonly options: DeciderOptions) {
    this.choices = options.sharedChoices ?? {}
    checkChooseValues(options.choose, options.graph)
    Object.assign(this.choices, options.answered ?? {})
  }

  async decide(group: TabGroup, step: Step, procedure: string): Promise<string> {
    const known = this.byGroup.get(group.id)
    if (known !== undefined) return known
    const {label, by} = await this.pick(group, step, procedure)
    this.byGroup.set(group.id, label)
    this.selections.push({group: group.id, label, by})
    if (group.dimension === 'choice') this.choices[group.key] = label
    return label
  }

  /**
   * The label this group would get, without asking or recording anything:
   * undefined when only a person (or a flag) can decide it, or no tab fits.
   */
  peek(group: TabGroup): string | undefined {
    const known = this.byGroup.get(group.id)
    if (known !== undefined) return known
    const forced = this.options.choose.map((value) => matchChoice(value, group.labels)).find((label) => label !== undefined)
    if (forced) return forced
    if (group.labels.length === 1) return group.labels[0]
    if (group.dimension === 'choice') return this.choices[group.key] ?? this.similarChoice(group)
    const result = selectLabel(group.labels, this.options.platform, group.dimension)
    return result.kind === 'match' ? result.label : undefined
  }

  private async pick(group: TabGroup, step: Step, procedure: string): Promise<{label: string; by: string}> {
    const forced = this.options.choose.map((value) => matchChoice(value, group.labels)).find((label) => label !== undefined)
    if (forced) return {label: forced, by: '--choose'}
    if (group.labels.length === 1) return {label: group.labels[0], by: 'only tab'}
    if (group.dimension === 'choice') return this.pickChoice(group, step, procedure)
    const result = selectLabel(group.labels, this.options.platform, group.dimension)
    if (result.kind === 'match') return {label: result.label, by: result.via === 'id' ? 'platform' : result.via === 'id_like' ? 'platform via ID_LIKE' : 'catch-all tab'}
    throw new UsageError(this.noMatch(group, step, procedure, result.kind === 'ambiguous' ? result.labels : undefined, result.kind === 'none' ? result.nearest : undefined))
  }

  private async pickChoice(group: TabGroup, step: Step, procedure: string): Promise<{label: string; by: string}> {
    const same = this.choices[group.key] ?? this.similarChoice(group)
    if (same !== undefined) return {label: same, by: 'choice'}
    if (this.options.ask) {
      const index = await this.options.ask(`Step ${step.number} "${step.title}": which one applies?`, group.labels)
      return {label: group.labels[index] ?? group.labels[0], by: 'asked'}
    }
    if (this.options.dryRun) return {label: group.labels[0], by: 'first tab (pick with --choose)'}
    throw new UsageError(
      `step ${step.number} "${step.title}" (${procedure}) asks you to choose: ${group.labels.map((label) => `"${label}"`).join(' or ')} ` +
        `(${displayPath(group.source.file)}:${group.source.line}). Run it in a terminal to be asked, or pass --choose "${group.labels[0]}".`,
    )
  }

  /**
   * A choice made in a group whose tabs are the same ones in other words
   * ("Token API" / "Token de API"). A group that only shares one label with
   * another ("All-in-one" among other ways of creating a service) is its own
   * question.
   */
  private similarChoice(group: TabGroup): string | undefined {
    const words = new Map(group.labels.map((label) => [labelWords(label), label]))
    const sameSet = (key: string) => {
      const other = this.options.graph.groups ? Object.values(this.options.graph.groups).find((g) => g.key === key) : undefined
      if (!other || other.labels.length !== group.labels.length) return false
      return other.labels.every((label) => words.has(labelWords(label)))
    }
    for (const [key, chosen] of Object.entries(this.choices)) {
      const label = words.get(labelWords(chosen))
      if (label !== undefined && sameSet(key)) return label
    }
    return undefined
  }

  private noMatch(group: TabGroup, step: Step, procedure: string, ambiguous?: string[], nearest?: string): string {
    return noTabMessage({group, step, procedure, platform: describePlatform(this.options.platform), ambiguous, nearest})
  }
}

/**
 * Why a group has no tab for a platform (or two equal ones): also the message an
 * exported playbook fails with, where `platform` describes the host from its facts.
 */
export function noTabMessage(o: {group: TabGroup; step: Pick<Step, 'number' | 'title'>; procedure: string; platform: string; ambiguous?: string[]; nearest?: string}): string {
  const {group, step, procedure, platform, ambiguous, nearest} = o
  const where = `step ${step.number} "${step.title}" of "${procedure}" (${displayPath(group.source.file)}:${group.source.line})`
  const offered = group.labels.map((label) => `"${label}"`).join(', ')
  if (ambiguous) {
    return `two tabs of ${where} match this platform equally well: ${ambiguous.map((label) => `"${label}"`).join(' and ')} (platform: ${platform}). Pick one with --choose "${ambiguous[0]}".`
  }
  const what = group.dimension === 'arch' ? 'CPU' : 'system'
  return (
    `no tab of ${where} is for this ${what}: ${platform}. The tabs are ${offered}.` +
    (nearest ? ` The nearest is "${nearest}": to use it anyway, pass --choose "${nearest}".` : ' To use one anyway, pass --choose with its label.') +
    ` To plan for another machine, pass --os ID:VERSION (e.g. --os ubuntu:22.04), --arch, or --os-release FILE.`
  )
}
