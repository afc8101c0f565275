/**
 * Every page of ../shared/corpus dry-runs on at least one platform it names
 * (pages with nothing to run say so with a usage error, never a crash). A page
 * with a step made only of an include the corpus lacks is refused with exit 2,
 * naming the include: checked to be really missing.
 */
import {existsSync, readdirSync, statSync} from 'node:fs'
import {dirname, join, relative} from 'node:path'
import {describe, expect, it} from 'vitest'
import {RunbookError} from '../../src/errors.js'
import {buildGraph} from '../../src/graph/index.js'
import {parseFile} from '../../src/parse/index.js'
import {platformsNamedBy} from '../../src/resolve/matrix.js'
import {buildPlan} from '../../src/resolve/plan.js'
import {platformFromOsFlag} from '../../src/resolve/platform.js'
import {corpusDir, hasShared} from '../helpers/shared.js'

const basePaths: Record<string, string[]> = {
  wallarm: ['wallarm/docs'],
  'percona-pbm-docs': ['percona-pbm-docs/snippets'],
  'GetPageSpeed-nginx-extras-docs': ['GetPageSpeed-nginx-extras-docs/includes'],
  'bunkerity-bunkerweb': [],
}

function pages(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? pages(path) : name.endsWith('.md') ? [path] : []
  })
}

describe.skipIf(!hasShared)('dry-run of every corpus page', () => {
  it('plans each page with steps on a platform it names, without an exception', {timeout: 600_000}, async () => {
    const cache = new Map<string, string | null>()
    const failures: string[] = []
    let planned = 0
    let withoutSteps = 0
    let missingIncludes = 0
    for (const [tree, bases] of Object.entries(basePaths)) {
      for (const file of pages(join(corpusDir, tree))) {
        const graph = buildGraph(parseFile(file, {includePaths: bases.map((base) => join(corpusDir, base)), cache}))
        if (graph.procedures.length === 0) {
          withoutSteps++
          continue
        }
        const candidates = [...platformsNamedBy(graph), platformFromOsFlag('debian:12', 'x86_64', 'test')]
        let ok = false
        const reasons: string[] = []
        for (const platform of candidates) {
          try {
            await buildPlan(graph, {platform, choose: [], dryRun: true, values: {}})
            ok = true
            break
          } catch (error) {
            if (!(error instanceof RunbookError)) throw new Error(`${relative(corpusDir, file)} on ${platform.id} ${platform.versionId}: ${(error as Error).stack}`)
            reasons.push((error as Error).message)
          }
        }
        const missing = reasons[0]?.match(/is only the include "([^"]+)", and that file was not found/)?.[1]
        const reallyMissing = missing !== undefined && [dirname(file), ...bases.map((base) => join(corpusDir, base))].every((dir) => !existsSync(join(dir, missing)))
        if (ok) planned++
        // The first platform tried is the one the page names first; others may be refused for their tab instead.
        else if (reallyMissing && reasons.every((reason) => reason === reasons[0] || !reason.includes('is only the include'))) missingIncludes++
        else failures.push(`${relative(corpusDir, file)}: ${reasons[0]}`)
      }
    }
    expect(failures).toEqual([])
    // Upstream pages whose step is only `--8<-- "../include/…"` of a file absent from that commit.
    expect(missingIncludes).toBe(38)
    expect(planned).toBeGreaterThan(1000)
    expect(withoutSteps).toBeGreaterThan(0)
  })
})
