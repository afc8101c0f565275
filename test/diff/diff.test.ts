/**
 * `runbook diff`: two translations aligned by structure. The reference pages
 * must report exactly their three real differences and nothing on the steps
 * that match; a self-contained pair covers every kind of drift.
 */
import {relative} from 'node:path'
import {describe, expect, it} from 'vitest'
import {diffGraphs} from '../../src/diff/index.js'
import {buildGraph} from '../../src/graph/index.js'
import {parseFile} from '../../src/parse/index.js'
import {runCli} from '../helpers/cli.js'
import {hasShared, repoRoot, seedEn, seedPt, wallarmDocs} from '../helpers/shared.js'

const en = 'test/fixtures/diff/install.en.md'
const pt = 'test/fixtures/diff/install.pt-BR.md'

describe.skipIf(!hasShared)('runbook diff on the reference pages (seeds from ../shared)', () => {
  it('reports exactly: no "Allocate resources" step in pt-BR, 4.8.0 where English installs 4.8.8, another log file', () => {
    const a = relative(repoRoot, seedEn)
    const b = relative(repoRoot, seedPt)
    const result = runCli(['diff', a, b, '--include-path', wallarmDocs])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(
      [
        `A: ${a} — Separate Postanalytics Module Installation`,
        `B: ${b} — Instalação do Módulo Postanalytics Separado`,
        'matched: "All-in-one automatic installation" ↔ "Instalação automática all-in-one" (steps 1, 2, 3, 5↔4, 6↔5, 7↔6)',
        'matched: "Manual installation" ↔ "Instalação manual" (steps 1, 2, 3, 4, 5, 6, 7, 8)',
        '',
        '3 differences:',
        `- step only in A: step 4 "Allocate resources for the postanalytics module" of "All-in-one automatic installation" (${a}:105)`,
        `- version differs: A 4.8.8, B 4.8.0 — 10 commands in "All-in-one automatic installation" ↔ "Instalação automática all-in-one" steps 1, 3, 5 ↔ 1, 3, 4 (first: ${a}:56 ↔ ${b}:56)`,
        `- path differs: A /opt/wallarm/var/log/wallarm/tarantool.log, B /var/log/wallarm/tarantool.log — 1 command in "All-in-one automatic installation" ↔ "Instalação automática all-in-one" steps 7 ↔ 6 (first: ${a}:222 ↔ ${b}:200)`,
        '',
      ].join('\n'),
    )
  })

  it('is symmetric: swapping the pages swaps the sides and nothing else', () => {
    const load = (file: string) => buildGraph(parseFile(file, {includePaths: [wallarmDocs]}))
    const forward = diffGraphs(load(seedEn), load(seedPt))
    const backward = diffGraphs(load(seedPt), load(seedEn))
    expect(backward.drift.map((drift) => drift.kind)).toEqual(forward.drift.map((drift) => drift.kind))
    const change = (report: typeof forward, what: string) => report.drift.find((drift) => drift.kind === 'changed' && drift.what === what) as {a: string; b: string; places: unknown[]}
    expect([change(backward, 'version').a, change(backward, 'version').b, change(backward, 'version').places.length]).toEqual(['4.8.0', '4.8.8', 10])
    expect(backward.drift[0]).toMatchObject({kind: 'step-missing', missingIn: 'a', title: 'Allocate resources for the postanalytics module'})
  })
})

describe('runbook diff on a self-contained pair', () => {
  it('finds a tab, a step, a version, a renamed placeholder, a number and a flag; translated comments, choice tabs and worded placeholders are no drift', () => {
    const result = runCli(['diff', en, pt, '--json'])
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout)
    expect(report.matched).toEqual([{a: 'Install Demo', b: 'Instale o Demo', steps: [[1, 1], [2, 2], [3, 3], [5, 4]]}])
    const where = (place: {file: string; line: number}) => `${place.file}:${place.line}`
    expect(
      report.drift.map((drift: Record<string, any>) =>
        drift.kind === 'changed' ? `${drift.what}: ${drift.a || '-'} → ${drift.b || '-'} ×${drift.places.length} at ${where(drift.places[0].a)}` : `${drift.kind} in ${drift.missingIn}: ${drift.label ?? drift.title} at ${where(drift.at)}`,
      ),
    ).toEqual([
      `tab-missing in b: CentOS 7.x at ${en}:5`,
      `step-missing in b: Tune the memory at ${en}:39`,
      `version: 2.1.0 → 2.0.3 ×1 at ${en}:23`,
      `placeholder: <TOKEN> → <API_TOKEN> ×2 at ${en}:31`,
      `number: 8080 → 8081 ×1 at ${en}:47`,
      `flag: - → --max-time 5 ×1 at ${en}:47`,
    ])
  })

  it('exits 0 with "no drift" for a page against itself, 2 for bad usage', () => {
    const same = runCli(['diff', pt, pt])
    expect([same.code, same.stdout.trimEnd().split('\n').at(-1)]).toEqual([0, 'no drift'])
    const one = runCli(['diff', en])
    expect([one.code, one.stderr.trim()]).toEqual([2, "runbook: runbook diff takes exactly two pages (got 1). usage: runbook diff <page-a> <page-b> [--json] [--include-path DIR]..."])
    const missing = runCli(['diff', en, 'test/fixtures/diff/nope.md'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('test/fixtures/diff/nope.md: no such file')
  })
})
