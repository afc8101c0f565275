/**
 * A real Debian package asks about its changed config file: dpkg with
 * --force-confask, on a package built here with one conffile, installed in a
 * private dpkg root (--root: its own database and lock, nothing of the
 * machine touched). Without a terminal, unanswered: stopped at dpkg's
 * question, named; with --answer: dpkg takes it and installs the new file.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {repoRoot} from './helpers.js'

const main = join(repoRoot, 'dist', 'cli', 'main.js')
const hasDpkg = spawnSync('dpkg-deb', ['--version']).status === 0 && spawnSync('dpkg', ['--version']).status === 0
if (!hasDpkg) console.warn('[runbook tests] dpkg and dpkg-deb are absent (not Debian): the config-file prompt tests are skipped.')

const CONF = 'etc/runbook-pty-test.conf'
const PROMPT = '*** runbook-pty-test.conf (Y/I/N/O/D/Z) [default=N] ?'

describe.skipIf(!hasDpkg)('dpkg asks about a changed config file', () => {
  let dir: string
  let page: string

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rb-pty-dpkg-'))
    for (const version of ['1', '2']) {
      const tree = join(dir, `p${version}`)
      mkdirSync(join(tree, 'DEBIAN'), {recursive: true})
      mkdirSync(join(tree, 'etc'))
      writeFileSync(join(tree, CONF), `setting=${version}\n`)
      writeFileSync(join(tree, 'DEBIAN/control'), `Package: runbook-pty-test\nVersion: ${version}\nArchitecture: all\nMaintainer: runbook tests <tests@example.invalid>\nDescription: a package with one config file\n`)
      writeFileSync(join(tree, 'DEBIAN/conffiles'), `/${CONF}\n`)
      const built = spawnSync('dpkg-deb', ['--root-owner-group', '--build', tree, join(dir, `v${version}.deb`)], {encoding: 'utf8'})
      expect(built.status, built.stderr).toBe(0)
    }
    page = join(dir, 'upgrade.md')
    writeFileSync(page, '# Upgrade\n\n## Step 1: Install the new version\n\n```bash\ndpkg --root="$PTY_DPKG_ROOT" --force-not-root --log=/dev/null --force-confask -i "$PTY_DPKG_DEB"\n```\n')
  })

  afterAll(() => {
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  /** A private dpkg root with version 1 installed and its config file changed by hand. */
  function machine(): string {
    const root = mkdtempSync(join(dir, 'root-'))
    mkdirSync(join(root, 'var/lib/dpkg/info'), {recursive: true})
    mkdirSync(join(root, 'var/lib/dpkg/updates'))
    writeFileSync(join(root, 'var/lib/dpkg/status'), '')
    writeFileSync(join(root, 'var/lib/dpkg/available'), '')
    const installed = spawnSync('dpkg', [`--root=${root}`, '--force-not-root', '--log=/dev/null', '-i', join(dir, 'v1.deb')], {encoding: 'utf8'})
    expect(installed.status, installed.stderr).toBe(0)
    writeFileSync(join(root, CONF), 'setting=mine\n')
    return root
  }

  function run(root: string, ...flags: string[]) {
    const state = mkdtempSync(join(dir, 'state-'))
    const r = spawnSync(process.execPath, [main, 'run', page, '--state-dir', state, ...flags], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {...process.env, NO_COLOR: '1', PTY_DPKG_ROOT: root, PTY_DPKG_DEB: join(dir, 'v2.deb')},
    })
    const runDir = join(state, 'runs', readdirSync(join(state, 'runs'))[0]!)
    return {code: r.status, stdout: r.stdout, stderr: r.stderr, log: readFileSync(join(runDir, 'logs/01-install-the-new-version.log'), 'utf8')}
  }

  it('unanswered, without a terminal: stopped at the question, which the error names; the file stays as it was', () => {
    const root = machine()
    const result = run(root)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`Step 1 (Install the new version) asked ${JSON.stringify(PROMPT)} and stopped to wait for an answer, but there is no terminal to ask on`)
    expect(result.log).toContain(' ==> Package distributor has shipped an updated version.\n')
    expect(readFileSync(join(root, CONF), 'utf8')).toBe('setting=mine\n')
  })

  it("answered with --answer: dpkg installs the distributor's version", () => {
    const root = machine()
    const result = run(root, '--answer', '(Y/I/N/O/D/Z)=Y')
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.log).toContain(`# answered ${JSON.stringify(PROMPT)} (--answer: (Y/I/N/O/D/Z))\n`)
    expect(result.log).toContain(`${PROMPT} Y\n`)
    expect(readFileSync(join(root, CONF), 'utf8')).toBe('setting=2\n')
    expect(existsSync(join(root, CONF + '.dpkg-old'))).toBe(true)
  })
})
