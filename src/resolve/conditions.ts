/**
 * Conditions are decisions: a block the page runs only "if you need to change
 * the address" is skipped unless the user says so — `--with SLUG` or
 * `--with all`, a yes at a terminal (asked once per condition, default no), or
 * the answer an earlier attempt of the run recorded.
 */
import type {ActionCondition} from '../graph/types.js'
import {UsageError} from '../errors.js'
import {slug} from '../graph/text.js'
import type {ConditionDecision} from './types.js'

export interface ConditionOptions {
  /** `--with SLUG` (repeatable) or `--with all`. */
  with?: string[]
  /** Asked once per condition when nobody decided it; undefined without a terminal. */
  askCondition?: (condition: ActionCondition, role: 'conditional' | 'optional') => Promise<boolean> | boolean
  /** Decisions recorded by an earlier attempt of the run (slug → taken). */
  answeredConditions?: Record<string, boolean>
  dryRun: boolean
}

export class ConditionDecider {
  readonly decisions: ConditionDecision[] = []
  private readonly wanted: string[]

  constructor(private readonly options: ConditionOptions) {
    this.wanted = (options.with ?? []).map((value) => (value.trim().toLowerCase() === 'all' ? 'all' : slug(value)))
  }

  async decide(condition: ActionCondition, role: 'conditional' | 'optional'): Promise<boolean> {
    const known = this.decisions.find((decision) => decision.slug === condition.slug)
    if (known) return known.included
    const decision = await this.take(condition, role)
    this.decisions.push(decision)
    return decision.included
  }

  private async take(condition: ActionCondition, role: 'conditional' | 'optional'): Promise<ConditionDecision> {
    const base = {...condition, role}
    if (this.wanted.includes('all') || this.wanted.some((wanted) => matches(wanted, condition.slug))) return {...base, included: true, by: '--with'}
    const recorded = this.options.answeredConditions?.[condition.slug]
    if (recorded !== undefined) return {...base, included: recorded, by: 'recorded'}
    if (this.options.askCondition) return {...base, included: Boolean(await this.options.askCondition(condition, role)), by: 'asked'}
    return {...base, included: false, by: this.options.dryRun ? 'skipped (--with to include)' : 'skipped (no terminal to ask; --with to include)'}
  }

  /** Every `--with` value names a condition of the procedure. */
  check(): void {
    for (const wanted of this.wanted) {
      if (wanted === 'all' || this.decisions.some((decision) => matches(wanted, decision.slug))) continue
      const known = this.decisions.map((decision) => decision.slug)
      throw new UsageError(
        `--with ${wanted}: no condition of this procedure is called that. ${known.length > 0 ? `Its conditions are: ${known.join(', ')} (or --with all).` : 'This procedure has no conditional or optional blocks.'}`,
      )
    }
  }
}

/** A `--with` value names a condition by its slug, or by a unique part of it. */
function matches(wanted: string, conditionSlug: string): boolean {
  return wanted !== '' && (conditionSlug === wanted || conditionSlug.includes(wanted))
}
