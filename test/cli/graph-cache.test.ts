/** The graph cache answers only while every file the parse read is unchanged. */
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {loadGraph} from '../../src/cli/load.js'
import {engineStamp, pruneCache} from '../../src/cache.js'
import {cachedEffectsOf} from '../../src/effects/effects-cache.js'
import {runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'

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
    expect(readdirSync(join(dir, 'cache', 'runbook', 'graphs')).filter((name) => name.endsWith('.json'))).toHaveLength(1)
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

  it('knows a settled file unchanged by its metadata (a cached dry-run hashes nothing), and an edit that keeps size and mtime is still seen', async () => {
    writeFileSync(join(dir, 'part.md'), '```bash\necho part-one\n```\n')
    page('--8<-- "part.md"')
    const entry = () => {
      const graphs = join(dir, 'cache', 'runbook', 'graphs')
      const names = readdirSync(graphs).filter((name) => name.endsWith('.json'))
      expect(names).toHaveLength(1)
      return JSON.parse(readFileSync(join(graphs, names[0]!), 'utf8')) as {files: Record<string, {content: string; meta?: string} | null>}
    }
    const metaOf = () => Object.fromEntries(Object.entries(entry().files).map(([path, record]) => [path.slice(dir.length + 1), record === null ? null : record.meta !== undefined]))
    expect(await firstCommand()).toEqual(['echo part-one'])
    // Just written: a change within the same clock tick could keep the same times, so only the content vouches.
    expect(metaOf()).toEqual({'guide.md': false, 'part.md': false})
    await sleep(2100)
    // Settled now: the hit was checked by content, and the entry is written again with the metadata.
    expect(await firstCommand()).toEqual(['echo part-one'])
    expect(metaOf()).toEqual({'guide.md': true, 'part.md': true})

    // The CLI on the cached graph: node:crypto is never loaded, and the plan is the one a fresh parse gives.
    const builtins = join(dir, 'builtins.txt')
    const dryRun = (env: NodeJS.ProcessEnv, extra: string[] = []) =>
      runCli(['run', join(dir, 'guide.md'), '--dry-run', '--os', 'ubuntu:22.04', ...extra], {
        execArgv: ['--import', resolve(repoRoot, 'test/helpers/trace-builtins.mjs')],
        env: {XDG_CACHE_HOME: join(dir, 'cli-cache'), TRACE_BUILTINS_FILE: builtins, ...env},
      })
    const fresh = dryRun({RUNBOOK_NO_CACHE: '1'})
    expect(fresh.code).toBe(0)
    expect(fresh.stdout).toContain('$ echo part-one')
    expect(dryRun({}).stdout).toBe(fresh.stdout) // writes the entry: the files have settled, so with their metadata
    const cached = dryRun({})
    expect(cached.stdout).toBe(fresh.stdout)
    const cryptoLoaded = () => readFileSync(builtins, 'utf8').split('\n').filter((name) => name === 'crypto' || name === 'internal/crypto/hash')
    expect(cryptoLoaded()).toEqual([])
    // The JSON form shows the plan's hash (what --resume compares): it is computed then.
    const json = dryRun({}, ['--json'])
    expect(JSON.parse(json.stdout).runbook.hash).toMatch(/^[0-9a-f]{16}$/)
    expect(cryptoLoaded()).toEqual(['internal/crypto/hash', 'crypto'])

    // Same size, the old modification time put back: the change time still moves, and the edit is seen.
    const before = statSync(join(dir, 'part.md'))
    writeFileSync(join(dir, 'part.md'), '```bash\necho part-two\n```\n')
    utimesSync(join(dir, 'part.md'), before.atime, before.mtime)
    expect(statSync(join(dir, 'part.md')).size).toBe(before.size)
    expect(await firstCommand()).toEqual(['echo part-two'])
  })

  it('keeps effects by their script, and the file under its bound: past it, the file starts again from the last run', () => {
    const cache = join(dir, 'effects-cache')
    const dryRunOf = (name: string, command: string) => {
      writeFileSync(join(dir, name), `# Guide\n\n## Install\n\n### Step 1: Go\n\n\`\`\`bash\n${command}\n\`\`\`\n`)
      const result = runCli(['run', join(dir, name), '--dry-run', '--os', 'ubuntu:22.04'], {env: {XDG_CACHE_HOME: cache, HOME: '/home/op', USER: 'op'}})
      expect(result.code).toBe(0)
    }
    const effectsFile = () => {
      const names = readdirSync(join(cache, 'runbook')).filter((name) => /^effects-[0-9a-f]+\.json$/.test(name))
      expect(names).toHaveLength(1)
      return join(cache, 'runbook', names[0]!)
    }
    const scripts = () => Object.keys(JSON.parse(readFileSync(effectsFile(), 'utf8'))).map((key) => JSON.parse(key))
    dryRunOf('a.md', 'touch /etc/runbook-a')
    dryRunOf('b.md', 'touch /etc/runbook-b')
    expect(scripts()).toEqual([
      ['touch /etc/runbook-a', '/home/op', 'op'],
      ['touch /etc/runbook-b', '/home/op', 'op'],
    ])
    // Grown past 4 MiB (by a lint of many pages, say): the next run that adds a script keeps only its own.
    const big = JSON.parse(readFileSync(effectsFile(), 'utf8')) as Record<string, unknown>
    for (let i = 0; i < 4200; i++) big[JSON.stringify([`echo ${'x'.repeat(1000)} ${i}`, '/home/op', 'op'])] = []
    writeFileSync(effectsFile(), JSON.stringify(big))
    dryRunOf('c.md', 'touch /etc/runbook-c')
    expect(scripts()).toEqual([['touch /etc/runbook-c', '/home/op', 'op']])
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
    expect(readdirSync(join(cache, 'runbook', 'graphs')).filter((name) => name.endsWith('.json'))).toHaveLength(1)
  })

  describe('pruning', () => {
    const build = () => engineStamp().slice(0, 16)
    const age = (path: string, ms: number) => utimesSync(path, (Date.now() - ms) / 1000, (Date.now() - ms) / 1000)

    it("removes other builds' graphs, a dead writer's temporary file and the legacy names when it writes, then not again within the hour", async () => {
      const graphs = join(dir, 'cache', 'runbook', 'graphs')
      mkdirSync(graphs, {recursive: true})
      const legacy = join(graphs, `${'a'.repeat(64)}.json`)
      const otherBuild = join(graphs, `0123456789abcdef-${'b'.repeat(64)}.json`)
      const deadTemp = join(graphs, `${build()}-${'c'.repeat(64)}.json.4242.tmp`)
      const liveTemp = join(graphs, `${build()}-${'d'.repeat(64)}.json.4343.tmp`)
      for (const path of [legacy, otherBuild, deadTemp, liveTemp]) writeFileSync(path, '{}')
      age(deadTemp, 11 * 60 * 1000)
      page('```bash\necho one\n```')
      expect(await firstCommand()).toEqual(['echo one'])
      const after = readdirSync(graphs).sort()
      expect(after.filter((name) => name !== '.pruned' && !name.endsWith('.tmp')).map((name) => name.startsWith(`${build()}-`))).toEqual([true])
      expect(after).toContain('.pruned')
      expect(existsSync(liveTemp)).toBe(true)
      expect(existsSync(deadTemp) || existsSync(legacy) || existsSync(otherBuild)).toBe(false)
      // Within the hour nothing is pruned: a run writing many entries stays linear.
      writeFileSync(otherBuild, '{}')
      writeFileSync(join(dir, 'other.md'), '# Other\n\n## Install\n\n### Step 1: Go\n\n```bash\necho other\n```\n')
      await loadGraph(join(dir, 'other.md'))
      expect(existsSync(otherBuild)).toBe(true)
      expect(readdirSync(graphs).filter((name) => name.startsWith(`${build()}-`) && name.endsWith('.json'))).toHaveLength(2)
    })

    it('keeps the 4096 most recently written files of this build', () => {
      const folder = join(dir, 'many')
      mkdirSync(folder)
      for (let i = 0; i < 4100; i++) {
        const path = join(folder, `ours-${i}.json`)
        writeFileSync(path, '')
        age(path, (4100 - i) * 1000)
      }
      pruneCache(folder, (name) => name.endsWith('.json'), (name) => name.startsWith('ours-'))
      const left = readdirSync(folder).filter((name) => name.endsWith('.json'))
      expect(left).toHaveLength(4096)
      expect(['ours-0.json', 'ours-1.json', 'ours-2.json', 'ours-3.json'].filter((name) => left.includes(name))).toEqual([])
      expect(left).toContain('ours-4.json')
    })

    it("removes the effects files of other builds when it writes this build's", async () => {
      const root = join(dir, 'cache', 'runbook')
      mkdirSync(root, {recursive: true})
      writeFileSync(join(root, 'effects-0123456789abcdef.json'), '{}')
      writeFileSync(join(root, 'unrelated.json'), '{}')
      await cachedEffectsOf(['touch /etc/pruned-effects-test'])
      expect(readdirSync(root).filter((name) => name.startsWith('effects-'))).toEqual([`effects-${build()}.json`])
      expect(existsSync(join(root, 'unrelated.json'))).toBe(true)
    })
  })
})
