/**
 * Every test file gets its own temp folder as TMPDIR (for itself and every
 * process it starts), removed after the file's last hook: a test that forgets
 * to clean up, or a child killed before it could, leaves nothing in /tmp. It
 * is also listed for the run's teardown (temp-parent.ts), which removes what a
 * file whose hooks never ran left.
 */
import {afterAll} from 'vitest'
import {appendFileSync, chmodSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const root = mkdtempSync(join(tmpdir(), 'runbook-test-'))
if (process.env.RB_TEST_TMP_LIST) appendFileSync(process.env.RB_TEST_TMP_LIST, `${root}\n`)
// Traversable, not listable: the tests that run a step as another user reach their own folders in it.
chmodSync(root, 0o711)
process.env.TMPDIR = root

afterAll(() => {
  rmSync(root, {recursive: true, force: true})
})
