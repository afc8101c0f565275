/**
 * The project's own runbook says the same things as the vendor page in other
 * words: its plans must give the same commands as the English seed's, on every
 * platform and choice (the seed's reviewed plans are in test/fixtures/plans, so
 * this test needs nothing outside the repository).
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {commandsOf, loadGraphOf, planFor} from '../helpers/plans.js'
import {repoRoot} from '../helpers/shared.js'

const platforms = ['debian-10', 'debian-11', 'ubuntu-18.04', 'ubuntu-20.04', 'ubuntu-22.04', 'centos-7', 'almalinux-8', 'rocky-8', 'handmade-ol-8', 'rhel-8', 'handmade-amzn-2']

/** Manual instructions are our own words; everything a machine runs or is given must match. */
const machineFacts = (steps: string[][]) => steps.map((step) => step.filter((line) => !line.startsWith('manual')))

describe('runbooks/separate-postanalytics.md', () => {
  const graph = loadGraphOf(resolve(repoRoot, 'runbooks/separate-postanalytics.md'))
  const seed = JSON.parse(readFileSync(resolve(repoRoot, 'test/fixtures/plans/separate-postanalytics.en.json'), 'utf8')) as Record<string, string[][]>

  it('has the two procedures of the vendor page, 7 and 8 steps', () => {
    expect(graph.procedures.map((p) => [p.id, p.steps.length])).toEqual([
      ['all-in-one-automatic-installation', 7],
      ['manual-installation', 8],
    ])
    expect(graph.diagnostics).toEqual([])
  })

  it('plans the same commands as the vendor page on every platform, CPU and token choice', async () => {
    let compared = 0
    for (const os of platforms) for (const arch of ['x86_64', 'aarch64']) for (const token of ['API token', 'Node token']) for (const procedure of graph.procedures) {
      const ours = commandsOf(await planFor(graph, {osRelease: os, arch, procedure: procedure.id, choose: [token]}))
      expect(machineFacts(ours), `${os} ${arch} ${token} ${procedure.id}`).toEqual(machineFacts(seed[`${os} ${arch} ${token} ${procedure.id}`]))
      compared++
    }
    expect(compared).toBe(88)
  })
})
