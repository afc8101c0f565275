/**
 * A plan's hashes are what `--resume` compares with the state a run recorded,
 * so they must not change from one version of the engine to the next: each is
 * the first 16 hex digits of the sha256 of the same JSON as ever. They are
 * computed when first read (a dry-run never needs them), but every reader sees
 * an ordinary field: JSON, a spread, a structured clone.
 */
import {createHash} from 'node:crypto'
import {resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadGraphOf, planFor} from '../helpers/plans.js'
import {repoRoot} from '../helpers/shared.js'
import {visibleDeep} from '../../src/ui/sanitize.js'

const sha16 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16)

describe("a plan's hashes", () => {
  const graph = loadGraphOf(resolve(repoRoot, 'runbooks/separate-postanalytics.md'))

  it('are the sha256 of the step and of the commands, as recorded by earlier versions', async () => {
    const plan = await planFor(graph, {osRelease: 'ubuntu-22.04', arch: 'x86_64', procedure: 'manual-installation', choose: ['API token']})
    expect(plan.runbook.hash).toBe(sha16(graph.procedures.map((p) => p.steps.map((s) => s.actions.map((a) => a.script)))))
    expect(plan.steps.length).toBe(8)
    for (const step of plan.steps) {
      expect(step.hash).toBe(sha16([step.title, step.actions.map((action) => [action.kind, action.template, action.variant, action.file ?? ''])]))
    }
  })

  it('are ordinary fields to every reader', async () => {
    const plan = await planFor(graph, {osRelease: 'debian-11', arch: 'aarch64', procedure: 'manual-installation', choose: ['Node token']})
    const step = plan.steps[2]!
    expect(Object.keys(step)).toContain('hash')
    expect({...step}.hash).toBe(step.hash)
    expect(structuredClone(step).hash).toBe(step.hash)
    expect(JSON.parse(JSON.stringify(plan)).runbook).toEqual({title: plan.runbook.title, file: plan.runbook.file, hash: plan.runbook.hash})
    // The terminal-safe copy the dry-run prints from keeps the field, read when read.
    expect(visibleDeep(plan).steps[2]!.hash).toBe(step.hash)
    expect(Object.keys(visibleDeep(plan).steps[2]!)).toEqual(Object.keys(step))
  })
})
