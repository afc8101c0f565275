/**
 * The reference page, verbatim, in English and Brazilian Portuguese: the whole
 * step graph, stated exactly (the summaries under test/fixtures/graph were
 * checked by hand against the pages).
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildGraph} from '../../src/graph/index.js'
import type {Graph} from '../../src/graph/types.js'
import {parseFile} from '../../src/parse/index.js'
import {hasShared, repoRoot, seedEn, seedPt, wallarmDocs} from '../helpers/shared.js'
import {summarizeSteps} from '../helpers/summary.js'

const expected = (lang: string) => JSON.parse(readFileSync(resolve(repoRoot, `test/fixtures/graph/separate-postanalytics.${lang}.summary.json`), 'utf8'))
const load = (file: string): Graph => buildGraph(parseFile(file, {includePaths: [wallarmDocs]}))

describe.skipIf(!hasShared)('reference page (seeds from ../shared)', () => {
  const en = hasShared ? load(seedEn) : (undefined as unknown as Graph)
  const pt = hasShared ? load(seedPt) : (undefined as unknown as Graph)

  it('finds the two procedures by structure, in both languages', () => {
    expect(en.title).toBe('Separate Postanalytics Module Installation')
    expect(en.procedures.map((p) => [p.id, p.title, p.steps.length])).toEqual([
      ['all-in-one-automatic-installation', 'All-in-one automatic installation', 7],
      ['manual-installation', 'Manual installation', 8],
    ])
    expect(pt.title).toBe('Instalação do Módulo Postanalytics Separado')
    // The translation predates the English "Allocate resources" step.
    expect(pt.procedures.map((p) => [p.id, p.title, p.steps.length])).toEqual([
      ['instalacao-automatica-all-in-one', 'Instalação automática all-in-one', 6],
      ['instalacao-manual', 'Instalação manual', 8],
    ])
  })

  it('gives the exact English graph', () => {
    expect([summarizeSteps(en, 0), summarizeSteps(en, 1)]).toEqual(expected('en'))
  })

  it('gives the exact Portuguese graph', () => {
    expect([summarizeSteps(pt, 0), summarizeSteps(pt, 1)]).toEqual(expected('pt-BR'))
  })

  it('reads the same manual procedure from both languages: kinds, dimensions, hosts, placeholders count', () => {
    const shape = (g: Graph) =>
      g.procedures[1].steps.map((step) => ({
        number: step.number,
        groups: step.groups.map((id) => [g.groups[id].dimension, g.groups[id].labels.length]),
        actions: step.actions.map((a) => [a.kind, a.when.length, a.host.where, a.placeholders.length, a.sudo, a.file ?? null]),
      }))
    expect(shape(pt)).toEqual(shape(en))
  })

  it('keeps every position pointing at the original file and line', () => {
    const step3 = en.procedures[1].steps[2]
    expect(step3.source).toEqual({file: seedEn, line: 331})
    const [tokenTab, , register] = step3.actions
    expect(tokenTab.source).toEqual({file: resolve(wallarmDocs, '../include/waf/installation/get-api-or-node-token.md'), line: 3})
    expect(register.source).toEqual({file: seedEn, line: 347})
    expect(register.script).toBe("sudo /usr/share/wallarm-common/register-node -t <TOKEN> --labels 'group=<GROUP>' -H us1.api.wallarm.com --no-sync --no-sync-acl")
  })

  it('splits the two-architecture block into arch variants with the exact commands', () => {
    const step3 = en.procedures[0].steps[2]
    const group = en.groups[step3.groups[1]]
    expect(group).toMatchObject({dimension: 'arch', inline: true, labels: ['If using the x86_64 version:', 'If using the ARM64 version:']})
    expect(step3.actions.slice(0, 2).map((a) => [a.script, a.source.line, a.block])).toEqual([
      ["# If using the x86_64 version:\nsudo env WALLARM_LABELS='group=<GROUP>' sh wallarm-4.8.8.x86_64-glibc.sh postanalytics", 87, step3.actions[0].block],
      ["# If using the ARM64 version:\nsudo env WALLARM_LABELS='group=<GROUP>' sh wallarm-4.8.8.aarch64-glibc.sh postanalytics", 90, step3.actions[0].block],
    ])
  })

  it('splits the compatibility block by host and says why', () => {
    const [other, local] = en.procedures[1].steps[5].actions
    expect(other.host).toEqual({where: 'other', reason: 'run from the server with primary NGINX-Wallarm module', role: 'nginx'})
    expect(local.host).toEqual({where: 'local', reason: 'run from the server with the postanalytics module', role: 'local'})
    expect(local.script).toBe('# run from the server with the postanalytics module\napt list wallarm-node-tarantool')
  })

  it('records the sentence that sends a step to another server', () => {
    const connect = en.procedures[0].steps[5]
    expect(connect.actions[0].host).toEqual({where: 'other', reason: 'On the machine with the NGINX-Wallarm module, in the NGINX configuration file, specify the postanalytics module server address:', role: 'nginx'})
    const ptConnect = pt.procedures[0].steps[4]
    expect(ptConnect.actions[0].host.where).toBe('other')
    expect(ptConnect.actions[0].host.reason).toMatch(/^Na máquina com o módulo NGINX-Wallarm/)
  })

  it('marks credentials as secret placeholders, in both languages', () => {
    const node = (g: Graph) => g.procedures[1].steps[3].actions.at(-1)!.placeholders
    expect(node(en)).toEqual([
      {name: 'NAME_OF_POSTANALYTICS_NODE', raw: '<name of postanalytics node>', secret: false},
      {name: 'UUID_OF_POSTANALYTICS_NODE', raw: '<UUID of postanalytics node>', secret: false},
      {name: 'SECRET_KEY_OF_POSTANALYTICS_NODE', raw: '<secret key of postanalytics node>', secret: true},
      {name: 'IP_ADDRESS_OF_TARANTOOL', raw: '<IP address of Tarantool>', secret: false},
    ])
    expect(node(pt).map((p) => [p.name, p.secret])).toEqual([
      ['NOME_DO_NO_DE_POS_ANALISE', false],
      ['UUID_DO_NO_DE_POS_ANALISE', false],
      ['CHAVE_SECRETA_DO_NO_DE_POS_ANALISE', true],
      ['ENDERECO_IP_DO_TARANTOOL', false],
    ])
  })

  it('keeps the fences outside steps as context and reports nothing alarming', () => {
    expect(en.diagnostics).toEqual([])
    expect(pt.diagnostics).toEqual([])
    expect(en.context).toEqual([])
  })
})
