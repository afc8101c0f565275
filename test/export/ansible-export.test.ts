/**
 * `runbook export --to ansible`, checked by real Ansible: the exports of every
 * runbook (and of the seed pages) pass `ansible-playbook --syntax-check` (and
 * ansible-lint where it is installed); the same page gives the same bytes; and
 * the reference runbook's playbook, for hosts whose facts say Debian 11, Ubuntu
 * 22.04, CentOS 7, Rocky 8 and the page's other platforms, runs on each host
 * exactly the commands the engine's dry-run lists for that platform (run as a
 * selection probe: every module a debug task, so Ansible decides but nothing
 * acts; helpers.ts).
 */
import {createHash} from 'node:crypto'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {ansibleFiles} from '../../src/export/ansible-files.js'
import {exportHeader} from '../../src/export/header.js'
import {DISTRIBUTION_IDS, MAJOR_ONLY_VERSION_IDS} from '../../src/export/tabs.js'
import {buildPlan} from '../../src/resolve/plan.js'
import {detectPlatform} from '../../src/resolve/platform.js'
import {buildGraph} from '../../src/graph/index.js'
import {parseFile} from '../../src/parse/index.js'
import type {Graph} from '../../src/graph/types.js'
import {runCli} from '../helpers/cli.js'
import {hasShared, repoRoot, seedEn, seedPt, wallarmDocs} from '../helpers/shared.js'
import {ansible, cleanTemps, hasAnsible, hasProgram, isCommandTask, selectionProbe, tasksRun, tempDir} from './helpers.js'

afterAll(cleanTemps)

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console', ''])

async function exportTo(dir: string, file: string, includePaths: string[] = [], procedureIndex = 0): Promise<Graph> {
  const graph = buildGraph(parseFile(file, {includePaths}))
  const procedure = graph.procedures[procedureIndex]!
  for (const [name, text] of Object.entries(await ansibleFiles(graph, procedure, exportHeader(graph, procedure)))) {
    mkdirSync(dirname(join(dir, name)), {recursive: true})
    writeFileSync(join(dir, name), text)
  }
  return graph
}

function pages(): Array<{file: string; includePaths: string[]}> {
  const own = ['runbooks', 'test/fixtures/runbooks'].flatMap((d) => readdirSync(join(repoRoot, d)).filter((f) => f.endsWith('.md')).map((f) => ({file: join(repoRoot, d, f), includePaths: []})))
  return hasShared ? [...own, {file: seedEn, includePaths: [wallarmDocs]}, {file: seedPt, includePaths: [wallarmDocs]}] : own
}

describe('runbook export --to ansible', () => {
  it('writes the same bytes twice, with a header naming the page, its sha256 and the engine version', () => {
    const [a, b] = [tempDir('rb-exp-a-'), tempDir('rb-exp-b-')]
    for (const dir of [a, b]) expect(runCli(['export', 'tarantool', '--to', 'ansible', '-o', dir]).code).toBe(0)
    const names = ['playbook.yml', 'rollback.yml', 'tabs.yml', 'group_vars/all/runbook.yml', 'inventory.example', 'README.md']
    for (const name of names) expect(readFileSync(join(b, name), 'utf8')).toBe(readFileSync(join(a, name), 'utf8'))
    const playbook = readFileSync(join(a, 'playbook.yml'), 'utf8')
    const sha = createHash('sha256').update(readFileSync(join(repoRoot, 'runbooks/tarantool.md'))).digest('hex')
    expect(playbook.split('\n').slice(0, 2)).toEqual([
      '# Exported by runbook 0.1.0 from tarantool.md ("Tarantool from the Distribution Packages"), procedure "Installation".',
      `# Page sha256: ${sha}`,
    ])
    const plays = parse(playbook) as Array<{hosts: string; tasks: Array<{name: string; tags?: string[]; block?: Array<Record<string, unknown>>}>}>
    expect(plays.map((p) => p.hosts)).toEqual(['local'])
    const blocks = plays[0]!.tasks.filter((t) => t.block)
    expect(blocks.map((t) => [t.name, t.tags])).toEqual([
      ['1. Install the Tarantool packages', ['install-the-tarantool-packages']],
      ['2. Configure the instance', ['configure-the-instance']],
      ['3. Start the instance', ['start-the-instance']],
      ['4. Check that Tarantool answers', ['check-that-tarantool-answers']],
    ])
    const install = blocks[0]!.block!.find((t) => t.name === '1. Install the Tarantool packages [Debian]')!
    expect(install).toEqual({
      name: '1. Install the Tarantool packages [Debian]',
      'ansible.builtin.shell': {cmd: 'set -e -o pipefail\nsudo apt-get install -y --no-install-recommends tarantool\n', executable: '/bin/bash', chdir: '{{ runbook_work_dir }}'},
      when: "runbook_tab.g1 == 'Debian'",
    })
  })

  it('rejects platform flags (each host picks its own tab) and an unknown --to, with exit 2', () => {
    const os = runCli(['export', 'tarantool', '--to', 'ansible', '--os', 'debian:12', '-o', tempDir('rb-exp-')])
    expect([os.code, os.stderr.trim()]).toEqual([2, "runbook: --os goes with --to sh: the Ansible export keeps every tab and lets each host's facts pick. Drop --os."])
    const to = runCli(['export', 'tarantool', '--to', 'puppet'])
    expect([to.code, to.stderr.trim()]).toEqual([2, `runbook: runbook export needs --to ansible or --to sh, not --to "puppet". See 'runbook export --help'.`])
  })
})

describe.skipIf(!hasAnsible)('exported playbooks in real Ansible', () => {
  it('pass ansible-playbook --syntax-check: every runbook, the test pages and the seeds', {timeout: 300_000}, async () => {
    const root = tempDir('rb-syntax-')
    const books: string[] = []
    for (const [i, page] of pages().entries()) {
      const dir = join(root, String(i))
      const graph = await exportTo(dir, page.file, page.includePaths)
      expect(graph.procedures.length).toBeGreaterThan(0)
      books.push(join(String(i), 'playbook.yml'), join(String(i), 'rollback.yml'))
    }
    writeFileSync(join(root, 'inventory'), '[local]\nlocalhost ansible_connection=local\n[other]\nlocalhost\n')
    const r = ansible('ansible-playbook', ['-i', 'inventory', '--syntax-check', ...books], root)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.match(/^playbook: /gm)?.length).toBe(books.length)
  })

  const lint = hasProgram('ansible-lint')
  if (!lint) console.warn('[runbook tests] ansible-lint is not installed: the lint check of exported playbooks is skipped.')
  it.skipIf(!lint)('pass ansible-lint (profile min) on the Tarantool and reference exports', {timeout: 300_000}, async () => {
    const root = tempDir('rb-lint-')
    await exportTo(join(root, 'tarantool'), join(repoRoot, 'runbooks/tarantool.md'))
    await exportTo(join(root, 'reference'), join(repoRoot, 'runbooks/separate-postanalytics.md'))
    const r = ansible('ansible-lint', ['--offline', '--profile', 'min', '--nocolor', 'tarantool/playbook.yml', 'tarantool/rollback.yml', 'reference/playbook.yml', 'reference/rollback.yml'], root, {HOME: root})
    expect(r.code, r.stdout + r.stderr).toBe(0)
  })
})

/** What Ansible reports for a host of this platform (Debian's version has a point release, as /etc/debian_version gives). */
function factsFor(id: string, version: string, arch: string, codename = ''): Record<string, string> {
  const distribution = Object.keys(DISTRIBUTION_IDS).find((d) => DISTRIBUTION_IDS[d] === id)!
  return {
    ansible_distribution: distribution,
    ansible_distribution_version: MAJOR_ONLY_VERSION_IDS.includes(id) ? `${version}.7` : version,
    ansible_distribution_major_version: version.split('.')[0]!,
    ansible_distribution_release: codename,
    ansible_os_family: ['debian', 'ubuntu'].includes(id) ? 'Debian' : 'RedHat',
    ansible_architecture: arch,
  }
}

const PLATFORMS: Array<{host: string; os: string; arch: string; codename?: string}> = [
  {host: 'debian11', os: 'debian:11', arch: 'x86_64', codename: 'bullseye'},
  {host: 'ubuntu2204', os: 'ubuntu:22.04', arch: 'x86_64', codename: 'jammy'},
  {host: 'centos7', os: 'centos:7', arch: 'aarch64'},
  {host: 'rocky8', os: 'rocky:8.9', arch: 'x86_64'},
  {host: 'rhel8', os: 'rhel:8.10', arch: 'x86_64'},
  {host: 'almalinux8', os: 'almalinux:8.10', arch: 'aarch64'},
  {host: 'amzn2', os: 'amzn:2', arch: 'x86_64'},
  {host: 'debian12', os: 'debian:12', arch: 'aarch64', codename: 'bookworm'},
  {host: 'ubuntu2004', os: 'ubuntu:20.04', arch: 'x86_64', codename: 'focal'},
  {host: 'rhel9', os: 'rhel:9.4', arch: 'x86_64'},
]

/**
 * The engine's dry-run for a platform, as the names the playbook gives the tasks
 * that run commands; or its error. Steps for another server are planned as if
 * that server had this platform too: in a fleet each host picks with its own facts.
 */
async function dryRunNames(graph: Graph, os: string, arch: string, procedure: string): Promise<string[] | {error: string}> {
  const here: Graph = {...graph, procedures: graph.procedures.map((p) => ({...p, steps: p.steps.map((s) => ({...s, actions: s.actions.map((a) => ({...a, host: {...a.host, where: 'local' as const}}))}))}))}
  try {
    const plan = await buildPlan(here, {platform: await detectPlatform({os, arch}), procedure, dryRun: true, choose: [], values: {}})
    return plan.steps.flatMap((s) => s.actions.filter((a) => (a.kind === 'exec' || a.kind === 'check') && SHELL_LANGS.has(a.lang)).map((a) => `${s.number}. ${s.title}${a.variant.length ? ` [${a.variant.join(' / ')}]` : ''}`))
  } catch (error) {
    return {error: (error as Error).message}
  }
}

/** A no-tab message with the platform's description and the page's path left out (they differ by design). */
function withoutPlatform(message: string): string {
  return message
    .replace(/ is for this (system|CPU): .*?\. The tabs/, ' is for this $1: … The tabs')
    .replace(/\([^()]*?([\w-]+\.md:\d+)\)/, '($1)')
    // The engine names the nearest tab for its one platform; a playbook serves every host, so it says how to pick one.
    .replace(/ The nearest is "[^"]*": to use it anyway, pass --choose "[^"]*"\.| To use one anyway, pass --choose with its label\./, ' (how to force a tab)')
}

async function compareSelection(file: string, includePaths: string[], procedureIndex: number): Promise<void> {
  const dir = tempDir('rb-select-')
  const graph = await exportTo(dir, file, includePaths, procedureIndex)
  const procedure = graph.procedures[procedureIndex]!
  mkdirSync(join(dir, 'facts'))
  for (const p of PLATFORMS) {
    const [id, version] = p.os.split(':') as [string, string]
    writeFileSync(join(dir, 'facts', p.host), JSON.stringify(factsFor(id, version, p.arch, p.codename)))
  }
  const hosts = PLATFORMS.map((p) => `${p.host} ansible_connection=local`).join('\n')
  // Every host in every role's group (plays are named after the page's host roles: local, nginx…), so each host runs every step.
  const roles = [...new Set((parse(readFileSync(join(dir, 'playbook.yml'), 'utf8')) as Array<{hosts: string}>).map((play) => play.hosts))]
  writeFileSync(join(dir, 'inventory'), roles.map((role) => `[${role}]\n${hosts}\n`).join(''))
  const names = [...new Set(procedure.steps.flatMap((s) => s.actions.flatMap((a) => a.placeholders.map((ph) => ph.name))))]
  writeFileSync(join(dir, 'probe.yml'), selectionProbe(readFileSync(join(dir, 'playbook.yml'), 'utf8')))
  const r = ansible('ansible-playbook', ['-i', 'inventory', 'probe.yml', '--check', '-f', '10', '-e', 'runbook_yes=true', '-e', 'runbook_hide_secrets=false', ...names.flatMap((n) => ['-e', `${n}=value-of-${n}`])], dir, {
    ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_GATHERING: 'explicit', ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: join(dir, 'facts'),
  }, 900_000)
  expect(r.stdout.indexOf('{'), r.stderr).toBeGreaterThanOrEqual(0)
  const ran = tasksRun(r.stdout)
  const plays = parse(readFileSync(join(dir, 'playbook.yml'), 'utf8')) as Array<{tasks: Array<{block?: Array<Record<string, unknown>>}>}>
  const commandTasks = new Set(plays.flatMap((p) => p.tasks.flatMap((t) => (t.block ?? []).filter(isCommandTask).map((b) => String(b.name)))))
  let compared = 0
  for (const p of PLATFORMS) {
    const want = await dryRunNames(graph, p.os, p.arch, procedure.id)
    const got = ran[p.host]!
    if ('error' in want) {
      // No tab for this platform: the playbook stops the host with the engine's message (its platform read from facts).
      expect(got.failed.length, p.host).toBe(1)
      expect(withoutPlatform(got.failed[0]!.msg)).toBe(withoutPlatform(want.error))
      continue
    }
    expect(got.failed, p.host).toEqual([])
    expect(got.ran.filter((name) => commandTasks.has(name)), p.host).toEqual(want)
    compared += want.length
  }
  expect(compared).toBeGreaterThan(PLATFORMS.length * 3)
}

describe.skipIf(!hasAnsible)('the reference page exported to Ansible selects per host what the dry-run selects per platform', () => {
  it('all-in-one procedure: Debian 11, Ubuntu 22.04, CentOS 7, Rocky 8, RHEL 8/9, AlmaLinux 8, Amazon Linux 2, Debian 12, Ubuntu 20.04', {timeout: 1_000_000}, async () => {
    await compareSelection(join(repoRoot, 'runbooks/separate-postanalytics.md'), [], 0)
  })
  it('manual procedure, same platforms', {timeout: 1_000_000}, async () => {
    await compareSelection(join(repoRoot, 'runbooks/separate-postanalytics.md'), [], 1)
  })
})
