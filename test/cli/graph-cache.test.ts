/** The graph cache answers only while every file the parse read is unchanged. */
import {mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {loadGraph} from '../../src/cli/load.js'
import {runCli} from '../helpers/cli.js'

describe('graph cache', () => {
  let dir: string
  let saved: string | undefined
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-gc-'))
    saved = process.env.XDG_CACHE_HOME
    process.env.XDG_CACHE_HOME = join(dir, 'cache')
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME
    else process.env.XDG_CACHE_HOME = saved
    rmSync(dir, {recursive: true, force: true})
  })

  const page = (body: string) => writeFileSync(join(dir, 'guide.md'), `# Guide\n\n## Install\n\n### Step 1: Go\n\n${body}\n`)
  const firstCommand = async () => (await loadGraph(join(dir, 'guide.md'))).procedures[0].steps[0].actions.map((a) => a.script)

  it('reuses the graph while the page is unchanged, and parses again when it changes', async () => {
    page('```bash\necho one\n```')
    expect(await firstCommand()).toEqual(['echo one'])
    expect(readdirSync(join(dir, 'cache', 'runbook', 'graphs'))).toHaveLength(1)
    expect(await firstCommand()).toEqual(['echo one'])
    page('```bash\necho two\n```')
    expect(await firstCommand()).toEqual(['echo two'])
  })

  it('parses again when an included file changes', async () => {
    writeFileSync(join(dir, 'part.md'), '```bash\necho part-one\n```\n')
    page('--8<-- "part.md"')
    expect(await firstCommand()).toEqual(['echo part-one'])
    writeFileSync(join(dir, 'part.md'), '```bash\necho part-two\n```\n')
    expect(await firstCommand()).toEqual(['echo part-two'])
  })

  it('parses again when a missing include appears', async () => {
    page('--8<-- "later.md"\n\n```bash\necho always\n```')
    const before = await loadGraph(join(dir, 'guide.md'))
    expect(before.diagnostics.map((d) => d.severity)).toEqual(['warning'])
    mkdirSync(join(dir, 'sub'))
    writeFileSync(join(dir, 'later.md'), '```bash\necho later\n```\n')
    const after = await loadGraph(join(dir, 'guide.md'))
    expect(after.diagnostics).toEqual([])
    expect(after.procedures[0].steps[0].actions.map((a) => a.script)).toEqual(['echo later', 'echo always'])
  })

  it('is off with RUNBOOK_NO_CACHE', async () => {
    process.env.RUNBOOK_NO_CACHE = '1'
    try {
      page('```bash\necho one\n```')
      expect(await firstCommand()).toEqual(['echo one'])
      expect(() => readdirSync(join(dir, 'cache'))).toThrow()
    } finally {
      delete process.env.RUNBOOK_NO_CACHE
    }
  })

  // `run` takes the RUNBOOK_* parameter variables out of its environment before anything starts;
  // the engine's own settings must survive that, or the switch silently does nothing.
  it('is off with RUNBOOK_NO_CACHE through the CLI, for a dry-run too (an engine setting, not a parameter)', () => {
    page('```bash\necho one\n```')
    const cache = join(dir, 'cache')
    const dryRun = (env: NodeJS.ProcessEnv) => runCli(['run', join(dir, 'guide.md'), '--dry-run', '--os', 'ubuntu:22.04'], {env: {XDG_CACHE_HOME: cache, ...env}})
    const off = dryRun({RUNBOOK_NO_CACHE: '1'})
    expect(off.code).toBe(0)
    expect(off.stdout).toContain('echo one')
    expect(() => readdirSync(cache)).toThrow()
    expect(dryRun({}).code).toBe(0)
    expect(readdirSync(join(cache, 'runbook', 'graphs'))).toHaveLength(1)
  })
})
