/**
 * Smoke pass: every shell block of the shared corpus of real vendor pages
 * goes through effect inference without throwing, and each effect describes.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import {describeEffect, describeUndo, inferEffects} from '../../src/execute/rollback/index.js'
import {scanFences} from './helpers/fences.js'

const CORPUS = '/work/shared/corpus'

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : []
  })
}

it('infers effects for every bash block of the corpus without throwing', {timeout: 600_000}, async () => {
  const files = markdownFiles(CORPUS)
  expect(files.length).toBeGreaterThan(2000)
  const scripts = new Set<string>()
  for (const file of files) for (const f of scanFences(readFileSync(file, 'utf8'))) scripts.add(f.text)
  let effects = 0
  for (const script of scripts) {
    for (const e of await inferEffects(script)) {
      effects++
      expect(describeEffect(e)).not.toBe('')
      expect(describeUndo(e)).not.toBe('')
    }
  }
  expect(scripts.size).toBeGreaterThan(1000)
  expect(effects).toBeGreaterThan(0)
})
