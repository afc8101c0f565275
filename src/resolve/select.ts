/**
 * Choosing the tab of an `os` or `arch` group that fits a platform.
 *
 * A label matches through the platform's own ID (`via: 'id'`) or, failing
 * that, through an ID_LIKE entry (`via: 'id_like'`; Linux Mint → Ubuntu tabs, a
 * RHEL rebuild → RHEL tabs). ID matches beat ID_LIKE matches, and earlier
 * ID_LIKE entries beat later ones (the spec lists the closest first); within
 * that, the most specific label wins and a tie is ambiguous.
 *
 * ID_LIKE rule: a label that names the family without a version matches. A
 * versioned label matches only when the platform's release in that family can
 * be known: from `<FAMILY>_CODENAME` (Mint's `UBUNTU_CODENAME=jammy` is Ubuntu
 * 22.04), else from the major number of VERSION_ID (Rocky 8.9 fits `RHEL 8.x`).
 */
import {
  labelSpecificity, parseLabel, versionOfCodename,
  type DistroTerm, type LabelMeaning, type VersionConstraint,
} from '../graph/labels.js'
import type {Platform} from './types.js'
import {maxOf, minOf} from '../arrays.js'

/** A table entry of the key itself, never one inherited from Object (`constructor`, `__proto__`). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

export type Via = 'id' | 'id_like'

export interface LabelMatch {
  matches: boolean
  via?: Via
  specificity: number
}

export type SelectResult =
  /** `catch_all`: nothing matched and the group has an `Other …` tab. */
  | {kind: 'match'; label: string; via: Via | 'catch_all'}
  | {kind: 'ambiguous'; labels: string[]}
  | {kind: 'none'; nearest?: string}

type Dimension = 'os' | 'arch'

/** Internal: rank 0 is the platform's ID, 1 + k its k-th ID_LIKE entry. */
interface Fit {
  rank: number
  via: Via
  specificity: number
}

// ---------------------------------------------------------------- versions

/** `8.10` → [8, 10]; undefined unless every part is a number. */
function versionParts(version: string): number[] | undefined {
  const parts = version.split('.')
  return parts.every((p) => /^\d+$/.test(p)) ? parts.map(Number) : undefined
}

/** Compares only as many components as both give: Amazon Linux `2` equals `2.0.2021`. */
function compareParts(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!
  }
  return 0
}

/** Whether a platform version fits a label's constraint (`8.6` fits prefix `8`; `2` fits ≤ `2.0.2021`). */
export function versionSatisfies(version: string, constraint: VersionConstraint): boolean {
  const have = versionParts(version)
  const want = versionParts(constraint.value)
  if (!have || !want) return false
  const cmp = compareParts(have, want)
  return constraint.op === 'lte' ? cmp <= 0 : constraint.op === 'gte' ? cmp >= 0 : cmp === 0
}

/** VERSION_ID, or the release VERSION_CODENAME names (Debian testing has only the codename). */
function ownVersion(p: Platform): string | undefined {
  return p.versionId ?? (p.codename ? versionOfCodename(p.id, p.codename) : undefined)
}

// ---------------------------------------------------------------- terms

function fitsOwnRelease(term: DistroTerm, p: Platform): boolean {
  if (term.codename && p.codename && term.codename !== p.codename) return false
  const version = ownVersion(p)
  return !term.version || (version !== undefined && versionSatisfies(version, term.version))
}

function fitsFamilyRelease(term: DistroTerm, p: Platform, family: string): boolean {
  if (!term.version && !term.codename) return true
  const base = own(p.baseCodenames ?? {}, family)
  if (base) {
    const version = versionOfCodename(family, base)
    if (term.codename && term.codename !== base) return false
    return !term.version || (version !== undefined && versionSatisfies(version, term.version))
  }
  if (term.codename && term.codename !== p.codename) return false
  const major = p.versionId?.split('.')[0]
  return !term.version || (major !== undefined && versionSatisfies(major, term.version))
}

/**
 * Rebuilds of Red Hat Enterprise Linux, whatever their ID_LIKE says: Oracle
 * Linux 7 declares only `fedora`, yet it is RHEL 7 by its major version.
 */
export const EL_REBUILDS = new Set(['ol', 'rocky', 'almalinux', 'centos', 'scientific', 'eurolinux', 'cloudlinux', 'virtuozzo', 'navy', 'circle', 'miraclelinux'])

/** ID_LIKE, closest first, with `rhel` first for an EL rebuild that does not say so. */
function familiesOf(p: Platform): string[] {
  if (!EL_REBUILDS.has(p.id) || p.idLike.includes('rhel')) return p.idLike
  return ['rhel', ...p.idLike]
}

/** The closest way a term names the platform, as a rank (lower is closer). */
function termRank(term: DistroTerm, p: Platform): number | undefined {
  if (term.ids.includes(p.id)) return fitsOwnRelease(term, p) ? 0 : undefined
  const k = familiesOf(p).findIndex((family) => term.ids.includes(family) && fitsFamilyRelease(term, p, family))
  return k < 0 ? undefined : k + 1
}

function osFit(m: LabelMeaning, p: Platform): Fit | undefined {
  if (m.arches.length > 0 && !m.arches.includes(p.arch)) return undefined
  let best: Fit | undefined
  for (const term of m.distros) {
    const rank = termRank(term, p)
    if (rank === undefined) continue
    const fit: Fit = {rank, via: rank === 0 ? 'id' : 'id_like', specificity: labelSpecificity(m, term)}
    if (!best || fit.rank < best.rank || (fit.rank === best.rank && fit.specificity > best.specificity)) best = fit
  }
  return best
}

function archFit(m: LabelMeaning, p: Platform): Fit | undefined {
  return m.arches.includes(p.arch) ? {rank: 0, via: 'id', specificity: 100 - m.arches.length} : undefined
}

function fit(label: string, p: Platform, dimension: Dimension): Fit | undefined {
  const m = parseLabel(label)
  return dimension === 'os' ? osFit(m, p) : archFit(m, p)
}

// ---------------------------------------------------------------- labels

/** Whether one label fits the platform; arch matches report `via: 'id'`. */
export function matchLabel(label: string, platform: Platform, dimension: Dimension): LabelMatch {
  const found = fit(label, platform, dimension)
  return found ? {matches: true, via: found.via, specificity: found.specificity} : {matches: false, specificity: 0}
}

/** The label of a group that fits the platform, or why there is none. */
export function selectLabel(labels: string[], platform: Platform, dimension: Dimension): SelectResult {
  const fits = labels.flatMap((label) => {
    const found = fit(label, platform, dimension)
    return found ? [{label, ...found}] : []
  })
  if (fits.length === 0) return noMatch(labels, platform, dimension)
  const rank = minOf(fits.map((f) => f.rank))
  const closest = fits.filter((f) => f.rank === rank)
  const specificity = maxOf(closest.map((f) => f.specificity))
  const winners = closest.filter((f) => f.specificity === specificity)
  if (winners.length > 1) return {kind: 'ambiguous', labels: winners.map((w) => w.label)}
  return {kind: 'match', label: winners[0]!.label, via: winners[0]!.via}
}

function noMatch(labels: string[], p: Platform, dimension: Dimension): SelectResult {
  if (dimension === 'arch') return {kind: 'none'}
  const catchAll = labels.find((label) => parseLabel(label).catchAll)
  if (catchAll !== undefined) return {kind: 'match', label: catchAll, via: 'catch_all'}
  return {kind: 'none', nearest: nearestLabel(labels, p)}
}

// ---------------------------------------------------------------- nearest

/**
 * For a platform no label fits: the label of the same distribution with the
 * closest version (ties go to the older release, the usual stand-in), else one
 * of the closest ID_LIKE family, else nothing.
 */
function nearestLabel(labels: string[], p: Platform): string | undefined {
  const sameDistro = closestVersion(labels, p.id, ownVersion(p))
  if (sameDistro !== undefined) return sameDistro
  for (const family of p.idLike) {
    const base = own(p.baseCodenames ?? {}, family)
    const version = base ? versionOfCodename(family, base) : p.versionId?.split('.')[0]
    const found = closestVersion(labels, family, version)
    if (found !== undefined) return found
  }
  return undefined
}

function closestVersion(labels: string[], id: string, version: string | undefined): string | undefined {
  const have = version === undefined ? undefined : versionParts(version)
  let best: {label: string; distance: number; parts: number[]} | undefined
  for (const label of labels) {
    for (const term of parseLabel(label).distros.filter((t) => t.ids.includes(id))) {
      const parts = term.version ? versionParts(term.version.value) ?? [] : []
      const distance = have && parts.length > 0 ? versionDistance(have, parts) : Number.POSITIVE_INFINITY
      const older = best !== undefined && distance === best.distance && compareParts(parts, best.parts) < 0
      if (!best || distance < best.distance || older) best = {label, distance, parts}
    }
  }
  return best?.label
}

function versionDistance(a: number[], b: number[]): number {
  return Math.abs((a[0] ?? 0) - (b[0] ?? 0)) * 1000 + Math.abs((a[1] ?? 0) - (b[1] ?? 0))
}
