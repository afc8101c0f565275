/**
 * Tab groups as Ansible variables: the engine's own label predicates
 * (`parseLabel`, `labelSpecificity`) and its selection rule (ID before ID_LIKE,
 * then the most specific label, a tie is ambiguous, an `Other …` tab catches the
 * rest) written out as Jinja over the host's facts. Nothing here re-reads a
 * label: every distribution, version and arch comes from the engine's parse.
 *
 * The host's platform is read from facts the way the engine reads os-release:
 * `ansible_distribution` → ID, the engine's ID_LIKE table (else
 * `ansible_os_family` for a derivative the table does not know), VERSION_ID
 * (the major number where the distribution's os-release gives only that),
 * `ansible_distribution_release` → codename, `ansible_architecture` → CPU.
 */
import {CODENAMES, labelSpecificity, normaliseArch, parseLabel, type DistroTerm, type VersionConstraint} from '../graph/labels.js'
import type {Graph, TabGroup} from '../graph/types.js'
import {joinWords} from '../graph/text.js'
import {ID_LIKE} from '../resolve/platform.js'
import {EL_REBUILDS} from '../resolve/select.js'

/** `ansible_distribution` → os-release ID (Ansible's names, see its distribution facts). */
export const DISTRIBUTION_IDS: Record<string, string> = {
  Debian: 'debian', Ubuntu: 'ubuntu', Kali: 'kali', Raspbian: 'raspbian', 'Linux Mint': 'linuxmint', Linuxmint: 'linuxmint',
  CentOS: 'centos', RedHat: 'rhel', Rocky: 'rocky', AlmaLinux: 'almalinux', OracleLinux: 'ol', Amazon: 'amzn',
  CloudLinux: 'cloudlinux', Fedora: 'fedora', SLES: 'sles', 'openSUSE Leap': 'opensuse-leap', Alpine: 'alpine', Archlinux: 'arch',
}

/** `ansible_os_family` → ID_LIKE, for a distribution the ID_LIKE table does not know. */
export const FAMILY_LIKE: Record<string, string[]> = {Debian: ['debian'], RedHat: ['rhel', 'fedora'], Suse: ['suse']}

/** Distributions whose os-release VERSION_ID is the major number only (Ansible's `_version` has more). */
export const MAJOR_ONLY_VERSION_IDS = ['debian', 'raspbian', 'centos', 'fedora']

/** IDs the engine knows without ID_LIKE from a table: these never fall back to the os family. */
const KNOWN_IDS = [...new Set([...Object.values(DISTRIBUTION_IDS), ...Object.keys(ID_LIKE)])].sort()

/** What a group's variable holds when no tab fits, or two fit equally. */
export const NO_TAB = ''
export const AMBIGUOUS = '!ambiguous'

/** A no-fit score, and the limit below which a score is a fit (rank ≤ 98, specificity < 5000). */
const NO_FIT = 990000
const FIT_LIMIT = 985000

/** A Jinja string literal. */
export function jinjaString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
}

/** Text shown as written inside a Jinja template. */
export function jinjaText(text: string): string {
  return /[{}%#]/.test(text) ? `{% raw %}${text.replace(/{% endraw %}/g, '{% endraw %}{{ "{% endraw %}" }}{% raw %}')}{% endraw %}` : text
}

/** The variable a choice group is decided by, shared by every group with the same label set. */
export function choiceVariable(group: TabGroup): string {
  return `choice_${joinWords(group.labels.join(' or ').toLowerCase(), '_').slice(0, 60)}`
}

/** The tables the platform is read with (plain data in tabs.yml). */
export function platformTables(): Record<string, unknown> {
  return {
    runbook_distribution_ids: DISTRIBUTION_IDS,
    runbook_id_like: Object.fromEntries(KNOWN_IDS.map((id) => [id, ID_LIKE[id] ?? []])),
    runbook_family_like: FAMILY_LIKE,
    // The engine's codename table reversed: a release without a numeric version (Debian testing) is known by its codename.
    runbook_codename_versions: Object.fromEntries(Object.entries(CODENAMES).map(([id, table]) => [id, Object.fromEntries(Object.entries(table).map(([version, codename]) => [codename, version]))])),
    runbook_el_rebuilds: [...EL_REBUILDS].sort(),
  }
}

/** The platform from facts, as Jinja `set` statements (evaluated once per host, not per reference). */
function platformSets(): string {
  const sets: Array<[string, string]> = [
    ['runbook_os_id', 'runbook_distribution_ids[ansible_distribution] | default(ansible_distribution | lower)'],
    ['runbook_os_version', `(ansible_distribution_major_version if runbook_os_id in ${JSON.stringify(MAJOR_ONLY_VERSION_IDS).replace(/"/g, "'")} else ansible_distribution_version) | string`],
    ['runbook_os_version', "runbook_os_version if runbook_os_version is match('^[0-9]+([.][0-9]+)*$') else (runbook_codename_versions[runbook_distribution_ids[ansible_distribution] | default(ansible_distribution | lower)] | default({}))[(ansible_distribution_release | default('')) | lower] | default(runbook_os_version)"],
    ['runbook_os_version_parts', "runbook_os_version.split('.') | map('int') | list if runbook_os_version is match('^[0-9]+([.][0-9]+)*$') else []"],
    ['runbook_os_codename', "(ansible_distribution_release | default('')) | lower"],
    // Amazon Linux 2023 and later say ID_LIKE=fedora, as the engine's --os table does.
    ['runbook_os_like',
      "(['fedora'] if runbook_os_id == 'amzn' and (runbook_os_version_parts[:1] | sum) >= 2022 else runbook_id_like[runbook_os_id]) " +
      'if runbook_os_id in runbook_id_like else runbook_family_like[ansible_os_family] | default([])'],
    // A RHEL rebuild is RHEL by its major version, whatever its ID_LIKE says (select.ts familiesOf).
    ['runbook_os_like', "(['rhel'] + runbook_os_like) if runbook_os_id in runbook_el_rebuilds and 'rhel' not in runbook_os_like else runbook_os_like"],
    ['runbook_os_like_rank', 'dict(runbook_os_like | zip(range(1, 1 + runbook_os_like | length)))'],
    ['runbook_arch', `${JSON.stringify(ARCH_ALIASES).replace(/"/g, "'")}[ansible_architecture | lower] | default(ansible_architecture | lower)`],
  ]
  return sets.map(([name, expr]) => `{% set ${name} = ${expr} %}`).join('')
}

const ARCH_ALIASES = Object.fromEntries(['amd64', 'x64', 'x86-64', 'arm64'].map((name) => [name, normaliseArch(name)!]))

// ---------------------------------------------------------------- predicates

const P = 'runbook_os_version_parts'

/** versionSatisfies over the parts list: compares as many components as both have. */
function satisfies(parts: string, constraint: VersionConstraint): string {
  const want = constraint.value.split('.')
  if (!want.every((w) => /^\d+$/.test(w))) return 'false'
  const list = `[${want.map(Number).join(', ')}]`
  const op = constraint.op === 'lte' ? '<=' : constraint.op === 'gte' ? '>=' : '=='
  // a[:len(w)] against w[:len(a)]: both cut to the shorter length.
  return `(${parts} | length > 0 and ${parts}[:${want.length}] ${op} ${list}[:(${parts} | length)])`
}

function idsList(term: DistroTerm): string {
  return `[${term.ids.map(jinjaString).join(', ')}]`
}

/** fitsOwnRelease */
function ownRelease(term: DistroTerm): string {
  const parts: string[] = []
  if (term.codename) parts.push(`(runbook_os_codename == '' or runbook_os_codename == ${jinjaString(term.codename)})`)
  if (term.version) parts.push(satisfies(P, term.version))
  return parts.length ? parts.join(' and ') : 'true'
}

/** fitsFamilyRelease, without an upstream codename (facts do not carry UBUNTU_CODENAME). */
function familyRelease(term: DistroTerm): string {
  const parts: string[] = []
  if (term.codename) parts.push(`runbook_os_codename == ${jinjaString(term.codename)}`)
  if (term.version) parts.push(satisfies(`${P}[:1]`, term.version))
  return parts.length ? parts.join(' and ') : 'true'
}

/** termRank as a number: 0 own ID, 1 + k the k-th ID_LIKE entry, 99 no fit. */
function termRank(term: DistroTerm): string {
  const isOwn = term.ids.length === 1 ? `runbook_os_id == ${jinjaString(term.ids[0]!)}` : `runbook_os_id in ${idsList(term)}`
  const ranks = term.ids.map((id) => `runbook_os_like_rank[${jinjaString(id)}] | default(99)`)
  const family = ranks.length === 1 ? `(${ranks[0]})` : `([${ranks.join(', ')}] | min)`
  const own = ownRelease(term)
  const fam = familyRelease(term)
  return `(${own === 'true' ? '0' : `(0 if ${own} else 99)`} if ${isOwn} else ${fam === 'true' ? family : `(${family} if ${fam} else 99)`})`
}

/** A label's score on this host: rank × 10000 − specificity (lower is closer); ≥ FIT_LIMIT when it does not fit. */
function labelScore(label: string, dimension: 'os' | 'arch'): string {
  const meaning = parseLabel(label)
  const archList = `[${meaning.arches.map(jinjaString).join(', ')}]`
  if (dimension === 'arch') return meaning.arches.length ? `(${10000 - (100 - meaning.arches.length)} if runbook_arch in ${archList} else ${NO_FIT})` : String(NO_FIT)
  if (meaning.distros.length === 0) return String(NO_FIT)
  // Rank 99 (no fit) scores above FIT_LIMIT whatever the specificity (< 5000).
  const terms = meaning.distros.map((term) => `${termRank(term)} * 10000 - ${labelSpecificity(meaning, term)}`)
  const best = terms.length === 1 ? `(${terms[0]!})` : `([${terms.join(', ')}] | min)`
  return meaning.arches.length ? `(${best} if runbook_arch in ${archList} else ${NO_FIT})` : best
}

/**
 * The Jinja template that names the tab this host gets in a group: the label,
 * NO_TAB or AMBIGUOUS. Groups with one tab always get it (as the engine does).
 */
export function pickTemplate(group: TabGroup): string {
  if (group.labels.length === 1) return jinjaText(group.labels[0]!)
  if (group.dimension === 'choice') return `{{ ${choiceVariable(group)} }}`
  const scores = group.labels.map((label) => labelScore(label, group.dimension as 'os' | 'arch'))
  const labels = `runbook_labels.${group.id}`
  const catchAll = group.dimension === 'os' ? group.labels.findIndex((label) => parseLabel(label).catchAll) : -1
  const none = catchAll >= 0 ? `{{ ${labels}[${catchAll}] }}` : NO_TAB
  return (
    `{% set s = [${scores.join(', ')}] %}{% set best = s | min %}` +
    `{% if best >= ${FIT_LIMIT} %}${none}{% elif s | select('equalto', best) | list | length > 1 %}${AMBIGUOUS}` +
    `{% else %}{{ ${labels} | zip(s) | selectattr('1', 'equalto', best) | map(attribute='0') | first }}{% endif %}`
  )
}

/**
 * The `tabs.yml` variables: the tables, each group's labels, and
 * `runbook_tab_json`: one template that reads the platform once and names the
 * tab of every group (a play turns it into `runbook_tab` with one set_fact).
 */
export function tabVars(graph: Graph): Record<string, unknown> {
  const groups = Object.values(graph.groups).sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)) || a.id.localeCompare(b.id))
  // Groups with the same labels pick the same tab: each label set is worked out once.
  const first = new Map<string, string>()
  for (const g of groups) if (!first.has(`${g.dimension}|${JSON.stringify(g.labels)}`)) first.set(`${g.dimension}|${JSON.stringify(g.labels)}`, g.id)
  const owner = (g: TabGroup) => first.get(`${g.dimension}|${JSON.stringify(g.labels)}`)!
  const picks = groups.filter((g) => owner(g) === g.id).map((g) => `{% set pick_${g.id} %}${pickTemplate(g)}{% endset %}`).join('')
  return {
    ...platformTables(),
    runbook_platform_text: '{{ ansible_distribution }} {{ ansible_distribution_version }}, {{ ansible_architecture }} — from the facts of {{ inventory_hostname }}',
    runbook_labels: Object.fromEntries(groups.map((g) => [g.id, g.labels])),
    runbook_tab_json: `${platformSets()}${picks}{{ {${groups.map((g) => `'${g.id}': pick_${owner(g)}`).join(', ')}} | to_json }}`,
  }
}

/** `when:` for a condition: the group's pick is this label. */
export function tabCondition(group: TabGroup, label: string): string {
  if (group.labels.length === 1) return 'true'
  const which = group.dimension === 'choice' ? choiceVariable(group) : `runbook_tab.${group.id}`
  return `${which} == ${jinjaString(label)}`
}

/** Choice variables with the page's default (the first tab, as the dry-run shows). */
export function choiceDefaults(graph: Graph): Record<string, string> {
  const out: Record<string, string> = {}
  for (const group of Object.values(graph.groups)) {
    if (group.dimension === 'choice' && group.labels.length > 1) out[choiceVariable(group)] ??= group.labels[0]!
  }
  return out
}
