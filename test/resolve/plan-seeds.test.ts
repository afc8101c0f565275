/**
 * The reference page planned for every platform it names, on both CPUs, with
 * each token choice: the exact commands of every step (fixtures under
 * test/fixtures/plans, reviewed by hand), plus the facts that matter most
 * stated here.
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {UsageError} from '../../src/errors.js'
import type {Graph} from '../../src/graph/types.js'
import {commandsOf, loadGraphOf, planFor} from '../helpers/plans.js'
import {hasShared, repoRoot, seedEn, seedPt, wallarmDocs} from '../helpers/shared.js'

const platforms = ['debian-10', 'debian-11', 'ubuntu-18.04', 'ubuntu-20.04', 'ubuntu-22.04', 'centos-7', 'almalinux-8', 'rocky-8', 'handmade-ol-8', 'rhel-8', 'handmade-amzn-2']
const arches = ['x86_64', 'aarch64']

describe.skipIf(!hasShared)('plans of the reference page (seeds from ../shared)', () => {
  const pages = hasShared ? {en: loadGraphOf(seedEn, [wallarmDocs]), 'pt-BR': loadGraphOf(seedPt, [wallarmDocs])} : ({} as Record<string, Graph>)

  for (const lang of ['en', 'pt-BR'] as const) {
    it(`gives the exact commands on ${platforms.length} platforms × 2 CPUs × 2 token choices × 2 procedures (${lang})`, async () => {
      const expected = JSON.parse(readFileSync(resolve(repoRoot, `test/fixtures/plans/separate-postanalytics.${lang}.json`), 'utf8'))
      const graph = pages[lang]
      const tokenLabels = graph.groups[graph.procedures[0].steps[1].groups[0]].labels
      const actual: Record<string, unknown> = {}
      for (const os of platforms) for (const arch of arches) for (const token of tokenLabels) for (const procedure of graph.procedures) {
        actual[`${os} ${arch} ${token} ${procedure.id}`] = commandsOf(await planFor(graph, {osRelease: os, arch, procedure: procedure.id, choose: [token]}))
      }
      expect(Object.keys(actual)).toHaveLength(platforms.length * 2 * 2 * 2)
      expect(actual).toEqual(expected)
    })
  }

  it('shows only the installer line of this CPU in the all-in-one Steps 3 and 5', async () => {
    for (const [arch, mine, other] of [['x86_64', 'x86_64', 'aarch64'], ['aarch64', 'aarch64', 'x86_64']]) {
      const plan = await planFor(pages.en, {osRelease: 'ubuntu-22.04', arch, procedure: 'all-in-one', choose: ['Node token']})
      const scripts = [plan.steps[2], plan.steps[4]].map((step) => step.actions[0].script)
      expect(scripts).toEqual([
        `# If using the ${mine === 'x86_64' ? 'x86_64' : 'ARM64'} version:\nsudo sh wallarm-4.8.8.${mine}-glibc.sh postanalytics`,
        `# If using the ${mine === 'x86_64' ? 'x86_64' : 'ARM64'} version:\nsudo sh wallarm-4.8.8.${mine}-glibc.sh filtering`,
      ])
      expect(JSON.stringify(plan)).not.toContain(`wallarm-4.8.8.${other}`)
    }
  })

  it('substitutes values given with --set, shell-quoted, and never shows secrets', async () => {
    const plan = await planFor(pages.en, {osRelease: 'debian-11', arch: 'x86_64', procedure: 'manual', choose: ['API token'], values: {GROUP: "web'1", TOKEN: 's3cr3t'}})
    expect(plan.steps[2].actions[1].script).toBe("sudo /usr/share/wallarm-common/register-node -t <TOKEN> --labels 'group=web'\\''1' -H us1.api.wallarm.com --no-sync --no-sync-acl")
    expect(JSON.stringify(plan)).not.toContain('s3cr3t')
  })

  it('refuses Debian 12 for the manual procedure, naming the step, the tabs, the nearest and the flags', async () => {
    const attempt = planFor(pages.en, {osRelease: 'debian-12', arch: 'x86_64', procedure: 'manual', choose: ['API token']})
    await expect(attempt).rejects.toBeInstanceOf(UsageError)
    await expect(attempt).rejects.toThrow(
      `no tab of step 1 "Add Wallarm repositories" of "Manual installation" (../shared/seeds/separate-postanalytics.en.md:252) is for this system: ` +
        `Debian GNU/Linux 12 (bookworm), x86_64 (--arch) — from --os-release ${resolve(repoRoot, 'test/fixtures/os-release/debian-12/os-release')}. ` +
        `The tabs are "Debian 10.x (buster)", "Debian 11.x (bullseye)", "Ubuntu 18.04 LTS (bionic)", "Ubuntu 20.04 LTS (focal)", "Ubuntu 22.04 LTS (jammy)", "CentOS 7.x", "Amazon Linux 2.0.2021x and lower", "AlmaLinux, Rocky Linux or Oracle Linux 8.x", "RHEL 8.x". ` +
        `The nearest is "Debian 11.x (bullseye)": to use it anyway, pass --choose "Debian 11.x (bullseye)". ` +
        `To plan for another machine, pass --os ID:VERSION (e.g. --os ubuntu:22.04), --arch, or --os-release FILE.`,
    )
  })

  it('gives the same manual procedure in pt-BR as in English, command for command', async () => {
    for (const os of platforms) {
      const en = await planFor(pages.en, {osRelease: os, arch: 'x86_64', procedure: 'manual', choose: ['API token']})
      const pt = await planFor(pages['pt-BR'], {osRelease: os, arch: 'x86_64', procedure: 'manual', choose: ['Token API']})
      const runnable = (plan: typeof en) => plan.steps.map((step) => step.actions.filter((a) => a.kind !== 'manual' && a.kind !== 'file-content').map((a) => [a.kind, a.host.where, a.script.split('\n').filter((l) => !l.trim().startsWith('#')).join('\n')]))
      expect(runnable(pt)).toEqual(runnable(en))
    }
  })

  it('shows the older pt-BR all-in-one procedure by its own commands: installer 4.8.0 and no resource step', async () => {
    const plan = await planFor(pages['pt-BR'], {osRelease: 'ubuntu-22.04', arch: 'x86_64', procedure: 'all-in-one', choose: ['Token de nó']})
    expect(plan.steps.map((step) => step.number)).toEqual([1, 2, 3, 4, 5, 6])
    expect(plan.steps[0].actions.map((a) => a.script)).toEqual(['curl -O https://meganode.wallarm.com/4.8/wallarm-4.8.0.x86_64-glibc.sh'])
    expect(JSON.stringify(plan)).not.toContain('SLAB_ALLOC_ARENA')
  })
})
