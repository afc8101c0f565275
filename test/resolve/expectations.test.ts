/**
 * The hand-labelled expectation set of ../shared/expectations, scored by its
 * own compare.py against the built CLI: the exact score reached, so that a
 * regression fails. Needs ../shared, python3 and a build (npm test builds first).
 */
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {hasShared, repoRoot, sharedDir} from '../helpers/shared.js'

const python = ['/usr/bin/python3', '/usr/local/bin/python3'].find((path) => existsSync(path))
if (hasShared && !python) console.warn('\n[runbook tests] python3 is absent: the expectation score is not checked.\n')

describe.skipIf(!hasShared || !python)('expectation set (../shared/expectations, scored by compare.py)', () => {
  it('plans every case exactly: 52/52, nothing extra, missing or on the wrong host', () => {
    const out = execFileSync(python!, [resolve(sharedDir, 'expectations/compare.py'), '--run'], {cwd: repoRoot, encoding: 'utf8', timeout: 240_000})
    const last = out.trim().split('\n').pop()
    expect(last).toMatch(/^exact 52\/52\s+missing 0\s+extra 0 \(\+\d+ not counted\)\s+wrong-host 0 /)
  }, 250_000)
})
