/**
 * `runbook run --dry-run`, `graph`, `plan --matrix` and `list` through the
 * built CLI: exact output, exit codes, errors a person can act on.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'

const osRelease = (name: string) => resolve(repoRoot, 'test/fixtures/os-release', name, 'os-release')

describe('runbook run --dry-run', () => {
  it('prints the exact plan for Ubuntu 22.04 on arm64 and runs nothing', () => {
    const result = runCli(['run', 'separate-postanalytics', '--dry-run', '--os', 'ubuntu:22.04', '--arch', 'arm64', '--choose', 'Node token'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines.slice(0, 5)).toEqual([
      'Separate Postanalytics Module Installation — dry run: nothing is executed',
      'Platform:  Ubuntu 22.04 (jammy), aarch64 (--arch) — from --os ubuntu:22.04',
      'Procedure: All-in-one automatic installation',
      '           also: "Manual installation" (--procedure manual-installation)',
      'Choice:    "Node token" (--choose)',
    ])
    expect(result.stdout).toContain('    $ curl -O https://meganode.wallarm.com/4.8/wallarm-4.8.8.aarch64-glibc.sh\n')
    expect(result.stdout).toContain('    # If using the ARM64 version:\n    $ sudo sh wallarm-4.8.8.aarch64-glibc.sh postanalytics\n')
    expect(result.stdout).not.toContain('x86_64-glibc')
  })

  it('prints the plan as JSON with the documented fields', () => {
    const result = runCli(['run', 'separate-postanalytics', '--dry-run', '--json', '--os-release', osRelease('rocky-8'), '--arch', 'x86_64', '--procedure', 'manual', '--choose', 'API token', '--set', 'GROUP=edge'])
    expect(result.code).toBe(0)
    const plan = JSON.parse(result.stdout)
    expect(Object.keys(plan)).toEqual(['runbook', 'platform', 'hosts', 'procedure', 'otherProcedures', 'choices', 'selections', 'steps', 'conditions', 'warnings', 'parameters'])
    expect(plan.warnings).toEqual([])
    expect(plan.conditions.map((c: {slug: string; role: string; included: boolean; by: string}) => [c.slug, c.role, c.included, c.by])).toEqual([
      ['when-tarantool-is-set-to-accept-connections-on-addresses-other-than-0', 'conditional', false, 'skipped (--with to include)'],
      ['if-it-never-shows-up-there-look-for-errors-in-the-services', 'conditional', false, 'skipped (--with to include)'],
    ])
    expect(plan.steps.map((step: {skipped: Array<{role: string; condition?: {slug: string}}>}) => step.skipped.map((a) => `${a.role} ${a.condition?.slug ?? '-'}`))[3]).toEqual([
      'file-content when-tarantool-is-set-to-accept-connections-on-addresses-other-than-0',
    ])
    expect(plan.platform).toMatchObject({id: 'rocky', versionId: '8.9', arch: 'x86_64', source: `--os-release ${osRelease('rocky-8')}`})
    expect(plan.procedure).toEqual({id: 'manual-installation', title: 'Manual installation'})
    const register = plan.steps[2].actions[1]
    expect(register).toEqual({
      id: 'connect-the-postanalytics-module-to-wallarm-cloud/a3',
      kind: 'exec',
      script: "sudo /usr/share/wallarm-common/register-node -t <TOKEN> --labels 'group=edge' -H us1.api.wallarm.com --no-sync --no-sync-acl",
      variant: ['API token'],
      source: register.source,
      placeholders: ['TOKEN', 'GROUP'],
      host: 'local',
      hostRole: 'local',
      role: 'command',
      sudo: true,
      interactive: false,
      terminal: {pty: false, unattendedEnv: {}},
      effects: ['irreversible: registers this node with the Wallarm Cloud (register-node) — rollback stops here; undo by hand'],
    })
    expect(register.source).toMatch(/^runbooks\/separate-postanalytics\.md:\d+$/)
    // The node.yaml block waits for its condition ("When Tarantool is set to accept connections on addresses other than…"):
    // skipped, so its placeholders are not asked for; `--with` takes it, and them.
    const byName = (p: {name: string; secret: boolean; given: boolean}) => [p.name, p.secret, p.given]
    expect(plan.parameters.map(byName)).toEqual([
      ['TOKEN', true, false],
      ['GROUP', false, true],
      ['IP1', false, false],
      ['IP2', false, false],
    ])
    const withNodeYaml = runCli(['run', 'separate-postanalytics', '--dry-run', '--json', '--os-release', osRelease('rocky-8'), '--arch', 'x86_64', '--procedure', 'manual', '--choose', 'API token', '--set', 'GROUP=edge', '--with', 'when-tarantool-is-set-to-accept-connections-on-addresses-other-than-0'])
    expect(withNodeYaml.code).toBe(0)
    expect(JSON.parse(withNodeYaml.stdout).parameters.map(byName)).toEqual([
      ['TOKEN', true, false],
      ['GROUP', false, true],
      ['NAME_OF_POSTANALYTICS_NODE', false, false],
      ['UUID_OF_POSTANALYTICS_NODE', false, false],
      ['SECRET_KEY_OF_POSTANALYTICS_NODE', true, false],
      ['IP_ADDRESS_OF_TARANTOOL', false, false],
      ['IP1', false, false],
      ['IP2', false, false],
    ])
  })

  it('never prints a secret given with --set', () => {
    const result = runCli(['run', 'separate-postanalytics', '--dry-run', '--json', '--os', 'debian:11', '--procedure', 'manual', '--choose', 'API token', '--set', 'TOKEN=tok-9f8e7d'])
    expect(result.code).toBe(0)
    expect(result.stdout).not.toContain('tok-9f8e7d')
  })

  it('refuses Debian 12 for the manual procedure with exit 2 and one paragraph that says what to do', () => {
    const result = runCli(['run', 'separate-postanalytics', '--dry-run', '--os-release', osRelease('debian-12'), '--procedure', 'manual'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/^runbook: no tab of step 1 "Add Wallarm repositories" of "Manual installation" \(runbooks\/separate-postanalytics\.md:\d+\) is for this system: Debian GNU\/Linux 12 \(bookworm\)/)
    expect(result.stderr).toContain('The nearest is "Debian 11.x (bullseye)": to use it anyway, pass --choose "Debian 11.x (bullseye)".')
    expect(result.stderr).not.toContain('    at ')
  })

  it('uses a nearest tab when told to with --choose', () => {
    const result = runCli(['run', 'separate-postanalytics', '--dry-run', '--os', 'debian:12', '--procedure', 'manual', '--choose', 'Debian 11.x (bullseye)', '--choose', 'API token'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("bullseye/4.8/' | sudo tee /etc/apt/sources.list.d/wallarm.list")
  })

  it('names the file for a missing page, and the flag for a bad one, with exit 2', () => {
    const missing = runCli(['run', './nope/install.md', '--dry-run'])
    expect(missing).toEqual({code: 2, stdout: '', stderr: "runbook: ./nope/install.md: no such file. Give the path of a markdown page, or the name of a runbook (see 'runbook list').\n"})
    const unknown = runCli(['run', 'separate-postanalytics', '--dry-run', '--arhc', 'arm64'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toBe("runbook: runbook run: Unknown option '--arhc'. See 'runbook run --help'.\n")
    const arch = runCli(['run', 'separate-postanalytics', '--dry-run', '--arch', 'sparc9000'])
    expect(arch.code).toBe(2)
    expect(arch.stderr).toMatch(/^runbook: --arch "sparc9000" is not a CPU architecture this tool knows\./)
  })

  it('runs any page given by path, with its includes found through mkdocs.yml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-cli-'))
    writeFileSync(join(dir, 'mkdocs.yml'), 'markdown_extensions:\n  - pymdownx.snippets:\n      base_path: snippets\n')
    const snippets = join(dir, 'snippets')
    mkdirSync(snippets)
    writeFileSync(join(snippets, 'install.md'), '```bash\necho installing\n```\n')
    writeFileSync(join(dir, 'guide.md'), '# Guide\n\n## Install\n\n### Step 1: Install\n\n--8<-- "install.md"\n')
    const result = runCli(['run', join(dir, 'guide.md'), '--dry-run', '--os', 'debian:12'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Step 1/1  Install')
    expect(result.stdout).toContain('    $ echo installing\n')
  })

  it('does not load Ink, React or execa', () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'runbook-trace-')), 'imports.txt')
    writeFileSync(trace, '')
    const result = runCli(['run', 'separate-postanalytics', '--dry-run', '--os', 'ubuntu:22.04'], {
      execArgv: ['--import', resolve(repoRoot, 'test/helpers/trace-imports.mjs')],
      env: {TRACE_IMPORTS_FILE: trace},
    })
    expect(result.code).toBe(0)
    const loaded = readFileSync(trace, 'utf8').split('\n')
    // The bundle keeps each lazily loaded module a file of its own (src/build/bundle.mjs), and these libraries in node_modules.
    expect(loaded.some((url) => url.endsWith('/dist/ui/dry-run.js'))).toBe(true)
    expect(loaded.filter((url) => /node_modules\/(ink|react|react-reconciler|yoga-layout|execa)\/|\/dist\/(ui\/tui|cli\/commands\/run-exec)\.js/.test(url))).toEqual([])
  })

  it('runs the code of two files on a cached graph: the program and the core chunk (src/build/bundle.mjs)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-trace-'))
    const trace = join(dir, 'imports.txt')
    const builtins = join(dir, 'builtins.txt')
    const dryRun = () => {
      writeFileSync(trace, '')
      const result = runCli(['run', 'separate-postanalytics', '--dry-run', '--os', 'ubuntu:22.04'], {
        execArgv: ['--import', resolve(repoRoot, 'test/helpers/trace-imports.mjs'), '--import', resolve(repoRoot, 'test/helpers/trace-builtins.mjs')],
        env: {TRACE_IMPORTS_FILE: trace, TRACE_BUILTINS_FILE: builtins, XDG_CACHE_HOME: join(dir, 'cache')},
      })
      expect(result.code).toBe(0)
      return [...new Set(readFileSync(trace, 'utf8').split('\n').filter((url) => url.includes('/dist/')))].map((url) => url.replace(/.*\/dist\//, '').replace(/-[\w-]{8}\.js$/, '.js'))
    }
    // The first run parses: the loader of the parser and the graph (which run from dist/analysis.cjs, not
    // an ES module: test/cli/code-cache.test.ts), the shell parser's chunks, and nothing of a real run's
    // (its chunk once came in for one function of the answers' syntax: child processes and sockets loaded
    // for nothing), nor node:fs/promises, which only sh-syntax's Node shim wanted (node:crypto comes in:
    // the cache entry this run writes holds the files' hashes; node:vm too, which compiles the analysis
    // with its cached code). Nor Node's scanner of CommonJS exports, which an `import` of the Go
    // runtime's loader (CommonJS) ran first.
    expect(dryRun().sort()).toEqual([
      'chunks/core.js', 'chunks/effects.js', 'chunks/script.js',
      'cli/analysis-loader.js', 'cli/commands/run.js', 'cli/effect-notes.js', 'cli/main.js', 'effects/effects.js', 'effects/shell/script.js', 'ui/dry-run.js',
    ])
    const loaded = readFileSync(builtins, 'utf8').split('\n')
    expect(loaded.filter((name) => ['child_process', 'readline', 'fs/promises', 'dgram', 'internal/deps/cjs-module-lexer/lexer'].includes(name))).toEqual([])
    // Cached: main, the core, and the files that name the lazy entries the core holds.
    expect(dryRun().sort()).toEqual(['chunks/core.js', 'cli/commands/run.js', 'cli/effect-notes.js', 'cli/main.js', 'ui/dry-run.js'])
    rmSync(dir, {recursive: true, force: true})
  })
})

describe('runbook graph, plan --matrix, list', () => {
  it('lists the runbooks with their titles', () => {
    const result = runCli(['list'])
    expect(result.code).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines[0]).toBe('separate-postanalytics  Separate Postanalytics Module Installation')
    expect(lines.map((line) => line.split(' ')[0])).toEqual(['separate-postanalytics', 'tarantool'])
  })

  it('shows the graph as a tree and as JSON', () => {
    const tree = runCli(['graph', 'separate-postanalytics'])
    expect(tree.code).toBe(0)
    expect(tree.stdout).toContain('All-in-one automatic installation (--procedure all-in-one-automatic-installation)')
    expect(tree.stdout).toContain('tabs g4 arch (comment-led, in one block): "If using the x86_64 version:", "If using the ARM64 version:"')
    const json = JSON.parse(runCli(['graph', 'separate-postanalytics', '--json']).stdout)
    expect(Object.keys(json)).toEqual(['title', 'file', 'procedures', 'groups', 'context', 'diagnostics'])
    expect(json.file).toBe('runbooks/separate-postanalytics.md')
    expect(json.procedures[1].steps.map((s: {number: number}) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('shows the platform matrix with its holes', () => {
    const result = runCli(['plan', 'separate-postanalytics', '--matrix', '--procedure', 'manual'])
    expect(result.code).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toBe('Manual installation (--procedure manual-installation)')
    expect(lines.find((line) => line.startsWith('debian 11 x86_64'))).toBe('debian 11 x86_64      Debian 11.x (bullseye)        Debian                        -  Debian                        Debian                        Debian                        Debian                        -')
    expect(lines).toContain('  debian 12 x86_64: a tab in some steps, none in step 1')
  })
})
