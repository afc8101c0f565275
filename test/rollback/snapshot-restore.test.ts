/**
 * File snapshots through the hooks and back through rollback, on real files:
 * content, modes (setuid too), owners, symlinks, new and deleted files and
 * directories, whole trees. Owners other than root need root to set.
 */
import {chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {RunbookError} from '../../src/errors.js'
import {planRollback, restoreSnapshot, runRollback, snapshotPath} from '../../src/execute/rollback/index.js'
import {listing} from './helpers/listing.js'
import {runSteps} from './helpers/steps.js'

const isRoot = process.getuid?.() === 0
const temp = mkdtempSync(join(tmpdir(), 'rb-snap-'))
afterAll(() => rmSync(temp, {recursive: true, force: true}))

function seed(base: string): void {
  mkdirSync(join(base, 'tree', 'a'), {recursive: true})
  mkdirSync(join(base, 'tree', 'e'))
  writeFileSync(join(base, 'conf.txt'), 'v1\n')
  chmodSync(join(base, 'conf.txt'), 0o640)
  writeFileSync(join(base, 'setuid.bin'), '#!/bin/sh\n')
  writeFileSync(join(base, 'victim.txt'), 'never write through links\n')
  writeFileSync(join(base, 'plain.txt'), 'plain\n')
  writeFileSync(join(base, 'gone.txt'), 'deleted by the step\n')
  writeFileSync(join(base, 'tree', 'a', 'b.txt'), 'b\n')
  symlinkSync('../../victim.txt', join(base, 'tree', 'a', 'c'))
  symlinkSync('conf.txt', join(base, 'link'))
  chmodSync(join(base, 'tree'), 0o750)
  if (isRoot) {
    chownSync(join(base, 'conf.txt'), 1234, 1235)
    lchownSync(join(base, 'link'), 1234, 1235)
    chownSync(join(base, 'tree', 'a'), 4321, 4321)
    chownSync(join(base, 'setuid.bin'), 0, 0)
  }
  chmodSync(join(base, 'setuid.bin'), 0o4755)
  for (const f of ['conf.txt', 'plain.txt', 'gone.txt']) utimesSync(join(base, f), new Date(1_600_000_000_000), new Date(1_600_000_000_000))
}

describe('file snapshots through hooks and rollback', () => {
  it('puts back content, modes, owners, links, trees, new and deleted paths exactly', async () => {
    const base = join(temp, 'machine')
    mkdirSync(base)
    seed(base)
    const before = listing(base)
    const victim = readFileSync(join(base, 'victim.txt'), 'utf8')
    const root = join(temp, 'state')
    const statuses = await runSteps(root, 'run-files', [
      {id: 'write', title: 'Write files', script: [
        `echo v2 > ${base}/conf.txt`, `chmod 600 ${base}/conf.txt`, `chown 0:0 ${base}/conf.txt`,
        `chmod 755 ${base}/setuid.bin`, `ln -sfn victim.txt ${base}/link`,
        `echo TOKEN-abc123 > /dev/null`,
      ].join('\n')},
      {id: 'reshape', title: 'Reshape', script: [
        `rm -rf ${base}/tree`, `mkdir -p ${base}/new/deep/dir`, `echo new > ${base}/newfile`, `rm ${base}/gone.txt`,
        `ln -sf ${base}/victim.txt ${base}/plain.txt`,
      ].join('\n')},
      {id: 'into-tree', title: 'Write into a new tree', script: `mkdir -p ${base}/tree/a && echo x > ${base}/tree/a/extra.txt && cp -r ${base}/new ${base}/tree/`},
    ], base)
    expect(statuses).toEqual(['done', 'done', 'done'])
    expect(listing(base)).not.toEqual(before)

    const plan = await planRollback(join(root, 'runs', 'run-files'))
    expect(plan.blocked).toBeUndefined()
    expect(plan.steps.map((s) => s.stepId)).toEqual(['into-tree', 'reshape', 'write'])
    const result = await runRollback(plan, {yes: true})
    expect(result).toEqual({exitCode: 0, status: 'done'})
    expect(listing(base)).toEqual(before)
    expect(readFileSync(join(base, 'victim.txt'), 'utf8')).toBe(victim)
    if (isRoot) expect(statSync(join(base, 'setuid.bin')).mode & 0o7777).toBe(0o4755)

    // The journal keeps file contents (0600) but no command line.
    const journal = join(root, 'runs', 'run-files', 'journal')
    const all = (dir: string): string[] => readdirSync(dir, {withFileTypes: true}).flatMap((d) => (d.isDirectory() ? all(join(dir, d.name)) : [join(dir, d.name)]))
    for (const f of all(journal)) expect(readFileSync(f, 'utf8')).not.toContain('TOKEN-abc123')
    for (const f of all(journal).filter((f) => f.includes('/blobs/'))) expect(statSync(f).mode & 0o777).toBe(0o600)
    expect(statSync(join(journal, 'write', 'rollback')).mode & 0o777).toBe(0o700)
  })

  it('refuses to restore through a directory that a symlink now redirects', async () => {
    const dir = join(temp, 'swap')
    const elsewhere = join(temp, 'elsewhere')
    mkdirSync(join(dir, 'etc'), {recursive: true})
    mkdirSync(elsewhere)
    writeFileSync(join(dir, 'etc', 'app.conf'), 'v1\n')
    const snap = await snapshotPath(join(dir, 'etc', 'app.conf'), join(temp, 'swap-blobs'), false)
    rmSync(join(dir, 'etc'), {recursive: true})
    symlinkSync(elsewhere, join(dir, 'etc'))
    await expect(restoreSnapshot(snap, join(temp, 'swap-blobs'))).rejects.toThrow(RunbookError)
    await expect(restoreSnapshot(snap, join(temp, 'swap-blobs'))).rejects.toThrow(`Refusing to restore ${join(dir, 'etc', 'app.conf')}: its directory ${join(dir, 'etc')} now resolves to ${elsewhere}`)
    expect(readdirSync(elsewhere)).toEqual([])
  })

  it('records a missing path by its topmost missing ancestor', async () => {
    const dir = join(temp, 'deep')
    mkdirSync(dir)
    const snap = await snapshotPath(join(dir, 'a', 'b', 'c.txt'), join(temp, 'deep-blobs'), false)
    expect(snap.root).toBe(join(dir, 'a'))
    expect(snap.entries).toEqual([{path: join(dir, 'a'), type: 'absent'}])
    mkdirSync(join(dir, 'a', 'b'), {recursive: true})
    writeFileSync(join(dir, 'a', 'b', 'c.txt'), 'x')
    await restoreSnapshot(snap, join(temp, 'deep-blobs'))
    expect(readdirSync(dir)).toEqual([])
  })
})
