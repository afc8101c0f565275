/**
 * One folder for the whole run, holding each test file's own temp folder
 * (temp-root.ts), removed when the run ends: a file whose tests are all
 * skipped (no ../shared, no Ansible…) runs no hooks, so its own folder would
 * stay behind otherwise.
 */
import {chmodSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export default function setup(): () => void {
  const parent = mkdtempSync(join(tmpdir(), 'runbook-tests-'))
  // Traversable, not listable: the tests that run a step as another user reach their own folders in it.
  chmodSync(parent, 0o711)
  // Read by temp-root.ts in each test process (they start after this, with this environment).
  process.env.RB_TEST_TMP_PARENT = parent
  return () => rmSync(parent, {recursive: true, force: true})
}
