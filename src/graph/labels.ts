/**
 * What a tab label means: which distributions (with versions and codenames)
 * or CPU architectures it names.
 *
 * Structure carries the weight: distro names, version numbers, codenames and
 * arch tokens are recognised in any language. The few words that matter besides
 * (connectors, "and lower", "Other", "derivatives") come from a small lexicon
 * in English, Portuguese, Spanish, French and German; any other word is kept as
 * `extra` and only matters to `classifyGroup`.
 *
 * Distributive rule: a version applies to the run of names just before it
 * (names joined only by `,` `/` or a connector such as or/ou/and/e), because
 * `AlmaLinux, Rocky Linux or Oracle Linux 8.x` means 8.x for all three. The name
 * the version is written against always takes it; an earlier name of the run
 * takes it only if that distribution has (had) a release with that major
 * number. So `CentOS or Amazon Linux 2.0.2021x and lower` is CentOS (any) plus
 * Amazon Linux ≤ 2.0.2021, and `Fedora Linux, Amazon Linux 2023+` leaves Fedora
 * unversioned. A bare version right after a versioned run is an alternative
 * (`CentOS/RHEL 8, 9` is 8 or 9 for both).
 */
import type {Arch} from '../resolve/types.js'
import {append} from '../arrays.js'
import {lowered} from './text.js'

/** A table entry of the key itself, never one inherited from Object (`constructor`, `__proto__`). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined
}

export type VersionConstraint = {op: 'eq' | 'prefix' | 'lte' | 'gte'; value: string}

export interface DistroTerm {
  /** os-release IDs the term stands for, e.g. `['rhel']`, `['sles', 'opensuse-leap']`. */
  ids: string[]
  version?: VersionConstraint
  codename?: string
}

export interface LabelMeaning {
  distros: DistroTerm[]
  arches: Arch[]
  /** Words of substance the label has besides names, versions and arches (lower case). */
  extra: string[]
  /** A generic "Other …" label that stands for every platform the group does not name. */
  catchAll: boolean
}

// ---------------------------------------------------------------- vocabulary

const DEBIAN_FAMILY = ['debian', 'ubuntu', 'raspbian', 'linuxmint']
const RHEL_FAMILY = ['rhel', 'centos', 'almalinux', 'rocky', 'ol', 'amzn', 'cloudlinux']
const RPM_FAMILY = [...RHEL_FAMILY, 'fedora', 'sles', 'opensuse-leap', 'opensuse']

const WORD_END = '(?![\\p{L}\\p{N}_])'

/** Longer names first: `Linux Mint` before the filler word `Linux`, `openSUSE` before `SUSE`. */
const DISTRO_NAMES: Array<{source: string; ids: string[]}> = (
  [
    ['amazon[ -]?linux(?: ami)?|amzn', ['amzn']],
    ['oracle[ -]?linux(?: server)?', ['ol']],
    ['alma[ -]?linux', ['almalinux']],
    ['rocky(?:[ -]?linux)?', ['rocky']],
    ['centos(?: stream| linux)?', ['centos']],
    ['red[ -]?hat(?: enterprise linux)?|rhel', ['rhel']],
    ['fedora', ['fedora']],
    ['debian(?: gnu/linux)?', ['debian']],
    ['[kxl]?ubuntu', ['ubuntu']],
    ['linux ?mint', ['linuxmint']],
    ['raspbian', ['raspbian']],
    ['cloud ?linux', ['cloudlinux']],
    ['open ?suse(?: leap)?', ['opensuse-leap', 'opensuse']],
    ['sles|suse linux enterprise(?: server)?', ['sles']],
    ['suse', ['sles', 'opensuse-leap']],
    ['alpine', ['alpine']],
    ['arch ?linux', ['arch']],
    ['deb', DEBIAN_FAMILY],
    ['rpm', RPM_FAMILY],
  ] as const
).map(([source, ids]) => ({source, ids: [...ids]}))
/**
 * All the names in one sticky pattern, a group each, tried in the list's order
 * (as the alternation backtracks): one match attempt per position, not twenty.
 */
const DISTRO_TOKEN = new RegExp(`(?:${DISTRO_NAMES.map((d) => `(${d.source})`).join('|')})${WORD_END}`, 'uy')

/** Major release numbers each distribution has used: decides whether a version distributes to a name. */
const RELEASE_MAJORS: Record<string, Array<[number, number]>> = {
  debian: [[1, 20]],
  ubuntu: [[4, 40]],
  rhel: [[2, 15]],
  centos: [[3, 15]],
  almalinux: [[8, 15]],
  rocky: [[8, 15]],
  ol: [[5, 15]],
  cloudlinux: [[5, 15]],
  fedora: [[1, 60]],
  amzn: [[1, 2], [2011, 2018], [2022, 2040]],
  sles: [[10, 20]],
  'opensuse-leap': [[15, 16], [42, 42]],
  linuxmint: [[1, 30]],
  raspbian: [[7, 20]],
}

export const CODENAMES: Record<string, Record<string, string>> = {
  debian: {
    '7': 'wheezy', '8': 'jessie', '9': 'stretch', '10': 'buster', '11': 'bullseye',
    '12': 'bookworm', '13': 'trixie', '14': 'forky',
  },
  ubuntu: {
    '14.04': 'trusty', '16.04': 'xenial', '18.04': 'bionic', '18.10': 'cosmic', '19.04': 'disco',
    '19.10': 'eoan', '20.04': 'focal', '20.10': 'groovy', '21.04': 'hirsute', '21.10': 'impish',
    '22.04': 'jammy', '22.10': 'kinetic', '23.04': 'lunar', '23.10': 'mantic', '24.04': 'noble',
    '24.10': 'oracular', '25.04': 'plucky', '25.10': 'questing', '26.04': 'resolute',
  },
}

/** The release a codename names: `('debian', 'bookworm')` → `12`. */
export function versionOfCodename(id: string, codename: string): string | undefined {
  const table = own(CODENAMES, id) ?? {}
  return Object.keys(table).find((version) => table[version] === codename.toLowerCase())
}

/** The codename of a release: `('ubuntu', '22.04')` → `jammy`; Debian point releases count (`12.5`). */
export function codenameOf(id: string, version: string): string | undefined {
  const table = own(CODENAMES, id) ?? {}
  const match = Object.keys(table).find((v) => version === v || version.startsWith(`${v}.`))
  return match === undefined ? undefined : table[match]
}

function distroOfCodename(word: string): string | undefined {
  return Object.keys(CODENAMES).find((id) => versionOfCodename(id, word) !== undefined)
}

/** Small multilingual lexicons (en, pt, es, fr, de). */
const CONNECTORS = words('and or & e ou y o u et und oder')
const FILLERS = words(`
  linux os lts server release version versions versão versões versión versiones
  beta preview build package pacote paquete paquet paket binary binário binario
  cpu architecture arquitetura arquitectura architektur for para pour für only apenas solo seulement nur
  mais more más plus`)
const LOWER = words(`
  lower earlier older below prior inferior inferiores anterior anteriores antigos antigas antiguas
  baixo abaixo menor menores inférieur inférieure inférieures inférieurs antérieur antérieures
  niedriger älter früher darunter`)
const HIGHER = words(`
  higher later newer above superior superiores posterior posteriores acima recente recentes novo novos
  mayor mayores supérieur supérieure supérieures supérieurs ultérieur ultérieures
  höher neuer später darüber`)
const OTHER = words(`
  other others outras outros outra outro otras otros otra otro autres autre andere anderen sonstige weitere`)
const DERIVED = words(`
  derivatives derivative derived based like derivados derivadas derivado derivada baseadas baseados baseada
  baseado basadas basados basada basado dérivés dérivées dérivé dérivée basées basés basée basé
  derivate basierend basierte basiert`)

function words(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter(Boolean))
}

// ---------------------------------------------------------------- arches

const ARCH_ALIASES: Record<string, Arch> = {
  x86_64: 'x86_64', 'x86-64': 'x86_64', amd64: 'x86_64', x64: 'x86_64',
  aarch64: 'aarch64', arm64: 'aarch64', ia32: 'i686', loong64: 'loongarch64',
}
/** Names `uname -m` prints for other CPUs: kept as they are. */
const ARCH_LIKE =
  /^(?:i[3-6]86|armv\d+[a-z]*|armhf|armel|ppc64(?:le)?|s390x?|riscv64|mips(?:64)?(?:el)?|loongarch64|sparc64)$/
/** Arch names as they appear inside labels (`x86_64 version`, `Versão ARM64`). */
const ARCH_TOKEN =
  /(?:x86[_-]64|amd64|x64|aarch64|arm64|i[3-6]86|armv\d+[a-z]*|armhf|ppc64(?:le)?|s390x|riscv64)(?![\p{L}\p{N}_])/uy

/** `amd64`/`x64` → `x86_64`, `arm64` → `aarch64`; other arch-like names lower-cased; else undefined. */
export function normaliseArch(name: string): Arch | undefined {
  const lower = name.trim().toLowerCase()
  return own(ARCH_ALIASES, lower) ?? (ARCH_LIKE.test(lower) ? lower : undefined)
}

// ---------------------------------------------------------------- tokens

type Token =
  | {kind: 'name'; ids: string[]}
  | {kind: 'version'; text: string}
  | {kind: 'arch'; arch: Arch}
  | {kind: 'word'; text: string}
  | {kind: 'sep'; text: string}

/** Names, arches and versions are matched on the label in lower case (see `lowered`), words as written. */
const VERSION_TOKEN = /\d+(?:\.\d+)*(?:\.x|x)?\+?(?![\p{L}\p{N}_])/uy
const WORD_TOKEN = /\p{L}[\p{L}\p{N}_']*/uy
const EMOJI_SHORTCODE = /(^|\s):[a-z0-9]+(?:[-_+][a-z0-9]+)*:(?=\s|$)/gi

/** Emoji shortcodes removed, whitespace folded and trimmed; case kept. */
export function cleanLabel(label: string): string {
  return label.replace(EMOJI_SHORTCODE, '$1').replace(/\s+/g, ' ').trim()
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  const lower = lowered(text)
  for (let at = 0; at < text.length; ) {
    if (text[at] === ' ') { at++; continue }
    const [token, length] = tokenAt(text, lower, at)
    tokens.push(token)
    at += length
  }
  return tokens
}

/** `lower`: the text in lower case, of the same length (see `lowered`). */
function tokenAt(text: string, lower: string, at: number): [Token, number] {
  const read = (re: RegExp, subject = lower): string | undefined => {
    re.lastIndex = at
    return re.exec(subject)?.[0]
  }
  DISTRO_TOKEN.lastIndex = at
  const name = DISTRO_TOKEN.exec(lower)
  if (name) return [{kind: 'name', ids: DISTRO_NAMES[name.findIndex((group, i) => i > 0 && group !== undefined) - 1]!.ids}, name[0].length]
  let raw = read(ARCH_TOKEN)
  if (raw) return [{kind: 'arch', arch: normaliseArch(raw) ?? raw.toLowerCase()}, raw.length]
  if ((raw = read(VERSION_TOKEN))) return [{kind: 'version', text: raw.toLowerCase()}, raw.length]
  if ((raw = read(WORD_TOKEN, text))) return [{kind: 'word', text: raw.toLowerCase()}, raw.length]
  return [{kind: 'sep', text: text[at]!}, 1]
}

// ---------------------------------------------------------------- versions

/** The op a version takes from its own form and from qualifier words after it (`and lower`). */
function readVersion(tokens: Token[], at: number): {constraint: VersionConstraint; used: number} {
  const text = (tokens[at] as {text: string}).text
  const value = text.replace(/\+$/, '').replace(/\.?x$/, '')
  let op: VersionConstraint['op'] = /x$/.test(text.replace(/\+$/, '')) || !value.includes('.') ? 'prefix' : 'eq'
  if (text.endsWith('+')) op = 'gte'
  let used = 0
  for (let i = at + 1; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind !== 'word') break
    if (LOWER.has(t.text) || HIGHER.has(t.text)) {
      op = LOWER.has(t.text) ? 'lte' : 'gte'
      used = i - at
      break
    }
    if (!CONNECTORS.has(t.text) && !FILLERS.has(t.text)) break
  }
  return {constraint: {op, value}, used}
}

function hadRelease(id: string, value: string): boolean {
  const n = Number.parseInt(value, 10)
  return (own(RELEASE_MAJORS, id) ?? []).some(([lo, hi]) => n >= lo && n <= hi)
}

// ---------------------------------------------------------------- parsing

/** What lies between the last name or version and the current token, narrowest first. */
type Gap = 'none' | 'filler' | 'connector' | 'other'
const GAPS: Gap[] = ['none', 'filler', 'connector', 'other']
const CONNECTOR_SEPS = new Set([',', '/', '&', '+', '-', ';'])
const FILLER_SEPS = new Set(['(', ')', '[', ']'])

interface Reader {
  meaning: LabelMeaning
  words: Set<string>
  /** Names since the last version, joined by connectors only: the next version goes to them. */
  run: DistroTerm[]
  /** The run the last version went to, for a second version (`8, 9`). */
  versioned: DistroTerm[]
  last?: 'name' | 'version'
  gap: Gap
}

/** Labels repeat across a page's groups and every platform asks about them: read each once. */
const meanings = new Map<string, LabelMeaning>()

/** What a label names. Never throws; a label that names nothing gives empty lists. */
export function parseLabel(label: string): LabelMeaning {
  let meaning = meanings.get(label)
  if (!meaning) {
    meaning = readLabel(label)
    if (meanings.size > 10_000) meanings.clear()
    meanings.set(label, meaning)
  }
  return meaning
}

/**
 * Meanings worked out before (kept with a cached graph), taken as they are:
 * the cache is per build, and a build reads a label one way.
 */
export function rememberLabelMeanings(known: Record<string, LabelMeaning> | undefined): void {
  for (const [label, meaning] of Object.entries(known ?? {})) {
    if (meanings.size >= 10_000) return
    meanings.set(label, meaning)
  }
}

function readLabel(label: string): LabelMeaning {
  const tokens = tokenize(cleanLabel(label))
  const meaning: LabelMeaning = {distros: [], arches: [], extra: [], catchAll: false}
  const r: Reader = {meaning, words: new Set(), run: [], versioned: [], gap: 'other'}
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind === 'name') readName(r, t.ids)
    else if (t.kind === 'version') i += readVersionToken(r, tokens, i)
    else if (t.kind === 'arch') {
      r.meaning.arches.push(t.arch)
      widen(r, 'other')
    } else if (t.kind === 'sep') widen(r, sepGap(t.text))
    else if (attachCodename(r.meaning.distros, t.text)) widen(r, 'filler')
    else readWord(r, t.text)
  }
  const words = [...r.words]
  if (words.some((w) => DERIVED.has(w))) meaning.distros.forEach(widenToFamily)
  meaning.catchAll = meaning.distros.length === 0 && words.some((w) => OTHER.has(w))
  return meaning
}

function widen(r: Reader, gap: Gap): void {
  if (GAPS.indexOf(gap) > GAPS.indexOf(r.gap)) r.gap = gap
}

function readName(r: Reader, ids: string[]): void {
  if (r.gap === 'other') r.run = []
  const term: DistroTerm = {ids: [...ids]}
  r.meaning.distros.push(term)
  r.run.push(term)
  ;[r.last, r.gap] = ['name', 'none']
}

/** Places a version on the names it belongs to; returns how many qualifier tokens it used. */
function readVersionToken(r: Reader, tokens: Token[], at: number): number {
  const {constraint, used} = readVersion(tokens, at)
  if (r.last === 'name' && GAPS.indexOf(r.gap) <= GAPS.indexOf('filler')) {
    applyVersion(r.run, constraint)
    ;[r.versioned, r.run] = [r.run, []]
  } else if (r.last === 'version' && r.gap !== 'other' && r.versioned.length > 0) {
    const alternatives: DistroTerm[] = r.versioned.map((v) => ({ids: [...v.ids]}))
    applyVersion(alternatives, constraint)
    append(r.meaning.distros, alternatives.filter((a) => a.version))
  } else {
    // A number that belongs to no name (`Helm chart 4.6.8`) is just more text.
    r.meaning.extra.push((tokens[at] as {text: string}).text)
    widen(r, 'other')
    return used
  }
  ;[r.last, r.gap] = ['version', 'none']
  return used
}

function readWord(r: Reader, word: string): void {
  r.words.add(word)
  const gap = wordGap(word)
  widen(r, gap)
  if (gap === 'other' && !DERIVED.has(word) && !OTHER.has(word)) r.meaning.extra.push(word)
}

function sepGap(sep: string): Gap {
  return CONNECTOR_SEPS.has(sep) ? 'connector' : FILLER_SEPS.has(sep) ? 'filler' : 'other'
}

/** What a plain word puts between a name and what follows it. */
function wordGap(word: string): Gap {
  if (CONNECTORS.has(word)) return 'connector'
  if (FILLERS.has(word) || LOWER.has(word) || HIGHER.has(word)) return 'filler'
  return 'other'
}

/** The name right before the version always takes it; earlier names only if they had such a release. */
function applyVersion(run: DistroTerm[], constraint: VersionConstraint): void {
  run.forEach((term, index) => {
    const nearest = index === run.length - 1
    if (nearest || term.ids.some((id) => hadRelease(id, constraint.value))) term.version = {...constraint}
  })
}

/** `(bullseye)` after `Debian 11.x`; `Bookworm/Trixie` after `Debian` gives one term per codename. */
function attachCodename(terms: DistroTerm[], word: string): boolean {
  const id = distroOfCodename(word)
  const term = id === undefined ? undefined : [...terms].reverse().find((t) => t.ids.includes(id))
  if (!id || !term) return false
  const target = term.codename === undefined ? term : {ids: [...term.ids]}
  if (target !== term) terms.push(target)
  target.codename = word
  const version = versionOfCodename(id, word)
  if (!target.version && version) target.version = {op: version.includes('.') ? 'eq' : 'prefix', value: version}
  return true
}

/** "… and derivatives", "Debian-based": the family, not just the name. */
function widenToFamily(term: DistroTerm): void {
  for (const family of [DEBIAN_FAMILY, RHEL_FAMILY]) {
    if (term.ids.some((id) => family.includes(id))) term.ids = [...new Set([...term.ids, ...family])]
  }
}

// ---------------------------------------------------------------- groups

/**
 * `arch` when every label names an arch and nothing else of substance; `os` when
 * every label names a distribution, allowing one generic catch-all (`Other …`);
 * else `choice`.
 */
export function classifyGroup(labels: string[]): 'os' | 'arch' | 'choice' {
  const meanings = labels.map(parseLabel)
  if (meanings.length === 0) return 'choice'
  if (meanings.every((m) => m.arches.length > 0 && m.distros.length === 0 && m.extra.length === 0)) return 'arch'
  const named = meanings.filter((m) => m.distros.length > 0).length
  const catchAll = meanings.some((m) => m.distros.length === 0 && m.catchAll) ? 1 : 0
  return named > 0 && named + catchAll === meanings.length ? 'os' : 'choice'
}

/** The label set, normalised and sorted: the same choice in several groups is decided once. */
export function groupKey(labels: string[]): string {
  const keys = labels.map((l) => cleanLabel(l).toLowerCase())
  return [...new Set(keys)].sort().join('|')
}

const OP_WEIGHT: Record<VersionConstraint['op'], number> = {eq: 3, prefix: 2, lte: 1, gte: 1}

/**
 * How precisely a label names a platform (higher is more precise): a version
 * beats a bare name, eq beats prefix beats lte/gte, a codename adds a little,
 * and fewer distributions in the label is more precise. With `term`, scores the
 * term that matched; else the label's most precise term.
 */
export function labelSpecificity(m: LabelMeaning, term?: DistroTerm): number {
  const ids = new Set(m.distros.flatMap((d) => d.ids)).size
  const score = (t: DistroTerm) => (t.version ? OP_WEIGHT[t.version.op] : 0) * 1000 + (t.codename ? 100 : 0)
  const best = term ? score(term) : Math.max(0, ...m.distros.map(score))
  return best + Math.max(0, 100 - ids)
}
