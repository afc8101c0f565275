/**
 * What the run's test files leave in /tmp goes when the run ends: each file's
 * temp folder (temp-root.ts) is listed in a file this setup creates, and the
 * teardown removes every folder listed. A file whose tests are all skipped
 * (the shared corpus absent, no Ansible…) runs no hooks, so it cannot remove its own.
 * The folders stay directly in the temp folder: some tests put Unix sockets
 * in them, whose paths may not exceed 108 bytes.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export default function setup(): () => void {
  const registry = mkdtempSync(join(tmpdir(), 'runbook-tests-'))
  // Read by temp-root.ts in each test process (they start after this, with this environment).
  process.env.RB_TEST_TMP_LIST = join(registry, 'folders')
  return () => {
    let listed: string[] = []
    try {
      listed = readFileSync(join(registry, 'folders'), 'utf8').split('\n').filter(Boolean)
    } catch {
      // No test file made a folder.
    }
    for (const folder of listed) rmSync(folder, {recursive: true, force: true})
    rmSync(registry, {recursive: true, force: true})
  }
}
