/**
 * Smoke pass: every shell block of the shared corpus of real vendor pages
 * goes through effect inference without throwing, and each effect describes.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {describeEffect, describeUndo, inferEffects} from '../../src/execute/rollback/index.js'
import {scanFences} from './helpers/fences.js'
import {corpusDir, hasShared} from '../helpers/shared.js'
import {parseScript, parseScripts} from '../../src/effects/shell/script.js'

const CORPUS = corpusDir

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : []
  })
}

function corpusScripts(): string[] {
  const files = markdownFiles(CORPUS)
  expect(files.length).toBeGreaterThan(2000)
  const scripts = new Set<string>()
  for (const file of files) for (const f of scanFences(readFileSync(file, 'utf8'))) scripts.add(f.text)
  return [...scripts]
}

describe.skipIf(!hasShared)('effects over the corpus (../shared)', () => {
  it('infers effects for every bash block of the corpus without throwing', {timeout: 600_000}, async () => {
    const scripts = corpusScripts()
    let effects = 0
    for (const script of scripts) {
      for (const e of await inferEffects(script)) {
        effects++
        expect(describeEffect(e)).not.toBe('')
        expect(describeUndo(e)).not.toBe('')
      }
    }
    expect(scripts.length).toBeGreaterThan(1000)
    expect(effects).toBeGreaterThan(0)
  })

  it('parses scripts in batches into exactly what each gives alone', {timeout: 600_000}, async () => {
    // Alone first: nothing is parsed ahead yet.
    const scripts = corpusScripts()
    const alone = new Map<string, string>()
    for (const script of scripts) alone.set(script, JSON.stringify((await parseScript(script).catch(() => null))?.commands ?? null))
    let batched = 0
    for (let i = 0; i < scripts.length; i += 20) batched += await parseScripts(scripts.slice(i, i + 20))
    // Most batches hold only valid, self-contained scripts; the others fall back to one call each.
    expect(batched).toBeGreaterThan(scripts.length / 2)
    const differ = []
    for (const script of scripts) {
      const now = JSON.stringify((await parseScript(script).catch(() => null))?.commands ?? null)
      if (now !== alone.get(script)) differ.push(script)
    }
    expect(differ).toEqual([])
  })
})
