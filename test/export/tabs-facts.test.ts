/**
 * The tab a host gets in an exported playbook is the tab the engine picks:
 * tabs.yml (the engine's label predicates as Jinja over facts) is evaluated by
 * Ansible's own templating for every os-release fixture, on two CPUs, against label groups
 * from the runbooks, the seed pages and a set of hard labels, and compared with
 * the engine's selectLabel on the same machine.
 *
 * The facts are what Ansible reports for such a host: `ansible_distribution`
 * its name for the ID, `_version` with a point release where os-release has only
 * the major number (Debian's /etc/debian_version), `_release` the codename,
 * `ansible_os_family` its family. Facts carry no ID_LIKE and no UBUNTU_CODENAME:
 * for the engine's side those come from its --os table, which is what the
 * export uses too; the fixtures whose ID Ansible has no name for are compared
 * through the family fallback and listed when they differ.
 */
import {spawnSync} from 'node:child_process'
import {readdirSync, readFileSync, writeFileSync, existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {classifyGroup, groupKey} from '../../src/graph/labels.js'
import type {Graph, TabGroup} from '../../src/graph/types.js'
import {ID_LIKE, parseOsRelease, platformFromOsRelease} from '../../src/resolve/platform.js'
import {selectLabel} from '../../src/resolve/select.js'
import type {Platform} from '../../src/resolve/types.js'
import {DISTRIBUTION_IDS, MAJOR_ONLY_VERSION_IDS, AMBIGUOUS, NO_TAB, tabVars} from '../../src/export/tabs.js'
import {yamlText} from '../../src/export/ansible-files.js'
import {parseFile} from '../../src/parse/index.js'
import {buildGraph} from '../../src/graph/index.js'
import {hasShared, repoRoot, seedEn, seedPt, sharedDir, wallarmDocs} from '../helpers/shared.js'
import {ansiblePython, cleanTemps, hasAnsible, tempDir} from './helpers.js'

afterAll(cleanTemps)

const HARD_LABELS: string[][] = [
  ['Debian 11.x (bullseye)', 'Debian 12.x (bookworm)', 'Ubuntu 22.04 LTS (jammy)', 'Ubuntu 20.04 and higher'],
  ['CentOS or Amazon Linux 2.0.2021x and lower', 'AlmaLinux, Rocky Linux or Oracle Linux 8.x', 'RHEL 8.x', 'Fedora Linux, Amazon Linux 2023+'],
  ['CentOS/RHEL 8, 9', 'CentOS 7.x', 'Other Linux'],
  ['Debian-based', 'RHEL-based'],
  ['Debian', 'Ubuntu'],
  ['Debian Bookworm/Trixie', 'Ubuntu 24.04'],
  ['Ubuntu 18.04', 'Ubuntu'],
  ['Amazon Linux 2', 'Amazon Linux 2023'],
  ['x86_64 version', 'ARM64 version'],
  ['Versão x86_64', 'Versão ARM64'],
  ['Debian ou Ubuntu', 'CentOS ou Amazon Linux 2.0.2021x e inferior'],
]

function groupsOf(labelSets: string[][]): Graph {
  const groups: Record<string, TabGroup> = {}
  const seen = new Set<string>()
  for (const labels of labelSets) {
    const key = groupKey(labels)
    const dimension = classifyGroup(labels)
    if (seen.has(key) || dimension === 'choice') continue
    seen.add(key)
    const id = `g${Object.keys(groups).length + 1}`
    groups[id] = {id, dimension, key, labels, source: {file: 'test.md', line: 1}}
  }
  return {title: 'tabs', file: 'test.md', procedures: [], groups, context: [], diagnostics: []}
}

function labelSetsOf(file: string, includePaths: string[] = []): string[][] {
  return Object.values(buildGraph(parseFile(file, {includePaths})).groups).map((g) => g.labels)
}

const FAMILIES: Array<[string, string[]]> = [
  ['Debian', ['debian', 'ubuntu', 'raspbian', 'linuxmint', 'kali']],
  ['RedHat', ['rhel', 'centos', 'fedora', 'rocky', 'almalinux', 'ol', 'amzn', 'cloudlinux']],
  ['Suse', ['suse', 'sles', 'opensuse', 'opensuse-leap']],
]

interface Case {
  name: string
  arch: string
  platform: Platform
  facts: Record<string, string>
  /** Ansible has a name for this distribution (else the family stands in for ID_LIKE). */
  named: boolean
}

function caseOf(name: string, text: string, arch: string): Case {
  const fields = parseOsRelease(text)
  const id = (fields.ID || 'linux').toLowerCase()
  const distribution = Object.keys(DISTRIBUTION_IDS).find((d) => DISTRIBUTION_IDS[d] === id)
  const fileLike = (fields.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const family = FAMILIES.find(([, ids]) => ids.includes(id) || ids.some((i) => fileLike.includes(i)))?.[0]
  const version = fields.VERSION_ID ?? ''
  // The engine's side, with what facts can tell: ID_LIKE from its own table for the IDs it knows, no upstream codename.
  const platform = platformFromOsRelease({ID: fields.ID ?? '', ...(fields.VERSION_ID ? {VERSION_ID: fields.VERSION_ID} : {}), ...(fields.VERSION_CODENAME ? {VERSION_CODENAME: fields.VERSION_CODENAME} : {}), ID_LIKE: (Object.hasOwn(ID_LIKE, id) ? ID_LIKE[id]! : fileLike).join(' ')}, {source: name, arch, archSource: 'test'})
  if (id === 'amzn' && Number.parseInt(version, 10) >= 2022) platform.idLike = ['fedora']
  return {
    name: `${name} ${arch}`,
    arch,
    platform,
    named: distribution !== undefined,
    facts: {
      distribution: distribution ?? id,
      distribution_version: MAJOR_ONLY_VERSION_IDS.includes(id) && /^\d+$/.test(version) ? `${version}.7` : version,
      distribution_major_version: version.split('.')[0] ?? '',
      distribution_release: fields.VERSION_CODENAME ?? '',
      os_family: family ?? distribution ?? id,
      architecture: arch,
    },
  }
}

function expected(graph: Graph, p: Platform): Record<string, string> {
  return Object.fromEntries(Object.values(graph.groups).map((g) => {
    if (g.labels.length === 1) return [g.id, g.labels[0]!]
    const r = selectLabel(g.labels, p, g.dimension as 'os' | 'arch')
    return [g.id, r.kind === 'match' ? r.label : r.kind === 'ambiguous' ? AMBIGUOUS : NO_TAB]
  }))
}

/** One case per distinct release (ID, VERSION_ID, codename) of a fixture folder, on each CPU. */
function fixtureCases(dir: string, arches: string[]): Case[] {
  const seen = new Set<string>()
  return readdirSync(dir).filter((name) => existsSync(join(dir, name, 'os-release'))).sort().flatMap((name) => {
    const text = readFileSync(join(dir, name, 'os-release'), 'utf8')
    const f = parseOsRelease(text)
    const key = `${f.ID}|${f.VERSION_ID}|${f.VERSION_CODENAME}`
    if (seen.has(key)) return []
    seen.add(key)
    return arches.map((arch) => caseOf(name, text, arch))
  })
}

/**
 * Evaluates tabs.yml with Ansible's own templating for every case at once
 * (tools/tab-picks.py, run by the Python that runs ansible-playbook).
 */
function ansiblePicks(graph: Graph, cases: Case[]): Record<string, Record<string, string>> {
  const dir = tempDir('rb-tabs-')
  writeFileSync(join(dir, 'tabs.yml'), yamlText(tabVars(graph), []))
  writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases.map((c) => ({name: c.name, facts: Object.fromEntries(Object.entries(c.facts).map(([k, v]) => [`ansible_${k}`, v]))}))))
  const r = spawnSync(ansiblePython(), [join(import.meta.dirname, 'tools/tab-picks.py'), 'tabs.yml', 'cases.json'], {cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  expect(r.status, r.stderr.slice(-3000)).toBe(0)
  return JSON.parse(r.stdout) as Record<string, Record<string, string>>
}

function compare(graph: Graph, cases: Case[]): {checked: number; differ: string[]} {
  const picks = ansiblePicks(graph, cases)
  const differ: string[] = []
  let checked = 0
  for (const c of cases) {
    const want = expected(graph, c.platform)
    for (const [id, label] of Object.entries(want)) {
      checked++
      // Ansible facts carry no ID_LIKE: a distribution the engine's ID_LIKE table does not list (Kali, elementary) is read through its os family, or not at all.
      const unlisted = !c.named || (c.platform.idLike.length > 0 && !Object.hasOwn(ID_LIKE, c.platform.id))
      if (picks[c.name]![id] !== label) differ.push(`${c.name}${unlisted ? ' (no ID_LIKE in facts)' : ''}: ${JSON.stringify(graph.groups[id]!.labels)} engine ${JSON.stringify(label)}, ansible ${JSON.stringify(picks[c.name]![id])}`)
    }
  }
  return {checked, differ}
}

describe.skipIf(!hasAnsible)('tabs.yml, templated by Ansible, picks the tab the engine picks', () => {
  it('over the os-release fixtures of the repository, for the runbooks and hard labels', {timeout: 900_000}, () => {
    const sets = [...HARD_LABELS, ...readdirSync(join(repoRoot, 'runbooks')).filter((f) => f.endsWith('.md')).flatMap((f) => labelSetsOf(join(repoRoot, 'runbooks', f)))]
    const graph = groupsOf(sets)
    const cases = fixtureCases(join(repoRoot, 'test/fixtures/os-release'), ['x86_64', 'aarch64'])
    const {checked, differ} = compare(graph, cases)
    expect(checked).toBeGreaterThan(500)
    // A derivative whose ID_LIKE the engine's table does not list has none in Ansible's facts (README, Fleets).
    expect(differ.filter((d) => !d.includes('(no ID_LIKE in facts)'))).toEqual([])
  })

  it.skipIf(!hasShared)('over the shared os-release fixtures, for the seed pages', {timeout: 900_000}, () => {
    const graph = groupsOf([...HARD_LABELS, ...labelSetsOf(seedEn, [wallarmDocs]), ...labelSetsOf(seedPt, [wallarmDocs])])
    // One CPU here: the repository's fixtures above cover the arch groups on both.
    const cases = fixtureCases(resolve(sharedDir, 'fixtures/os-release'), ['x86_64'])
    const {checked, differ} = compare(graph, cases)
    expect(checked).toBeGreaterThan(500)
    expect(differ.filter((d) => !d.includes('(no ID_LIKE in facts)'))).toEqual([])
  })
})
