/**
 * The done-when of the lint: `runbook lint ../shared/corpus --format sarif`
 * over the 2,490 real pages gives SARIF that the official 2.1.0 schema
 * accepts, every result pointing at a real line of a real file.
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {RULES} from '../../src/lint/catalog.js'
import {runCli} from '../helpers/cli.js'
import {validateSarif} from '../helpers/sarif.js'
import {corpusDir, hasShared, repoRoot} from '../helpers/shared.js'

describe.skipIf(!hasShared)('runbook lint over ../shared/corpus', () => {
  it('writes schema-valid SARIF 2.1.0 whose every result is a real place under a known rule', () => {
    const result = runCli(['lint', corpusDir, '--format', 'sarif', '--fail-on', 'none'], {timeout: 540_000, maxBuffer: 512 * 1024 * 1024})
    expect(result.code).toBe(0)
    expect(validateSarif(result.stdout)).toEqual([])
    const run = JSON.parse(result.stdout).runs[0]
    expect(run.results.length).toBeGreaterThan(100)
    const lines = new Map<string, number>()
    for (const item of run.results) {
      expect(RULES.has(item.ruleId)).toBe(true)
      const {artifactLocation, region} = item.locations[0].physicalLocation
      const file = resolve(repoRoot, decodeURIComponent(artifactLocation.uri))
      if (!lines.has(file)) lines.set(file, readFileSync(file, 'utf8').split(/\r\n|\r|\n/).length)
      expect(region.startLine).toBeGreaterThanOrEqual(1)
      expect(region.startLine).toBeLessThanOrEqual(lines.get(file)!)
    }
    // pymdownx.snippets with restrict_base_path: false (the Wallarm tree) allows includes outside docs/.
    expect(run.results.filter((item: {ruleId: string; locations: Array<{physicalLocation: {artifactLocation: {uri: string}}}>}) => item.ruleId === 'includes/outside-base' && item.locations[0].physicalLocation.artifactLocation.uri.includes('/wallarm/'))).toEqual([])
  }, 600_000)
})
