/**
 * Ink decides once, as it loads, whether it runs in CI (and then draws only
 * its last frame). The app loads it with CI and CONTINUOUS_INTEGRATION hidden
 * and puts them back for the steps. A fresh Node process, since the decision
 * is made once per process.
 */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'
import {expect, test} from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const INK_ENV = join(ROOT, 'dist/ui/ink-env.js')

test('loading the app with CI set: Ink is not in its CI mode, and the variables are back for the steps', () => {
  if (!existsSync(INK_ENV)) spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], {cwd: ROOT})
  const script = `
    const {loadTui} = await import(${JSON.stringify(pathToFileURL(INK_ENV).href)})
    await loadTui()
    const inCi = (await import('is-in-ci')).default
    console.log(JSON.stringify({inCi, CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION}))`
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {cwd: ROOT, encoding: 'utf8', env: {...process.env, CI: 'true', CONTINUOUS_INTEGRATION: '1'}})
  expect(child.stderr).toBe('')
  expect(JSON.parse(child.stdout)).toEqual({inCi: false, CI: 'true', CONTINUOUS_INTEGRATION: '1'})
})
