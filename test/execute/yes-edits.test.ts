/**
 * `--yes` without a terminal never reports an edit that did not happen as
 * done: an edit is done by the settings block that follows it, a content
 * block counts only when the file holds it, anything else stops the step.
 */
import {describe, expect, it} from 'vitest'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {runPlan} from '../../src/execute/executor.js'
import {answers, makePlan, recorder, tempDir} from './helpers.js'

async function run(plan: ReturnType<typeof makePlan>) {
  const rec = recorder()
  const r = await runPlan({plan, values: {}, stateRoot: tempDir('rb-yes-state-'), reporter: rec.reporter, interaction: answers(), yes: true, resumeCommand: (id) => `runbook resume ${id}`})
  const end = rec.events.find((e) => e.type === 'step-end') as {status: string; error?: string}
  return {r, end, rec}
}

describe('--yes without a terminal', () => {
  it('an edit followed by a settings block for the same file: the block applies it', async () => {
    const dir = tempDir('rb-yes-')
    const env = join(dir, 'node.env')
    writeFileSync(env, 'A=1\n')
    const {r, end} = await run(makePlan([{actions: [{kind: 'edit', script: `sudo nano ${env}`, file: env}, {kind: 'file-content', script: 'B=2\n', file: env}, {script: `grep -q B=2 ${env}`}]}]))
    expect(end.status).toBe('done')
    expect(r.exitCode).toBe(0)
    expect(readFileSync(env, 'utf8')).toBe('A=1\nB=2\n')
  })

  it('an edit with nothing that applies it stops the step, file unchanged, and says how to continue', async () => {
    const dir = tempDir('rb-yes-')
    for (const [name, next] of [
      ['conf.yaml', undefined],
      ['other.env', {kind: 'file-content' as const, script: 'B=2\n', file: join(dir, 'elsewhere.env')}],
      ['node.env', {kind: 'file-content' as const, script: 'not a setting\n', file: join(dir, 'node.env')}],
    ] as const) {
      const file = join(dir, name)
      writeFileSync(file, 'original\n')
      const {r, end} = await run(makePlan([{actions: [{kind: 'edit', script: `vim ${file}`, file}, ...(next ? [next] : [])]}]))
      expect(r.exitCode).toBe(1)
      expect(end.error).toBe(`Step 1 asks you to edit ${file} (\`vim ${file}\`), and there is no terminal to open an editor in (--yes does not take an edit as done). Continue at a terminal, where the editor opens: runbook resume ${r.runId}`)
      expect(readFileSync(file, 'utf8')).toBe('original\n')
    }
  })

  it('a content block for a file that is not settings counts only when the file holds it', async () => {
    const dir = tempDir('rb-yes-')
    const yaml = join(dir, 'x.yaml')
    writeFileSync(yaml, 'b: 2\n')
    const plan = makePlan([{actions: [{kind: 'file-content', lang: 'yaml', script: 'a: 1\n', file: yaml}]}])
    const missing = await run(plan)
    expect(missing.r.exitCode).toBe(1)
    expect(missing.end.error).toBe(`Step 1 needs the content above put in ${yaml}. Do it, then continue with: runbook resume ${missing.r.runId} --yes`)
    writeFileSync(yaml, 'b: 2\na: 1\n')
    expect((await run(plan)).r.exitCode).toBe(0)
  })
})
