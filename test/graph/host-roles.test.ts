/**
 * Role names: one stable word per host a page names, the same in every
 * language, so `--host ROLE=…` and an inventory keep working across
 * translations of a page.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {parseFile} from '../../src/parse/index.js'
import {buildGraph} from '../../src/graph/index.js'
import {roleName} from '../../src/graph/host-roles.js'
import {titleWords} from '../../src/graph/hosts.js'
import {hasShared, seedEn, seedPt, wallarmDocs} from '../helpers/shared.js'

const dir = mkdtempSync(join(tmpdir(), 'runbook-roles-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function rolesOf(file: string): Map<number, string[]> {
  const graph = buildGraph(parseFile(file, {includePaths: [wallarmDocs]}))
  const out = new Map<number, string[]>()
  for (const step of graph.procedures[graph.procedures.length - 1]!.steps) out.set(step.number, [...new Set(step.actions.map((a) => a.host.role!))].sort())
  return out
}

function page(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('roleName', () => {
  it('takes the first distinctive word, cut at its hyphen, without accents', () => {
    expect(roleName(['nginx-wallarm'], new Set())).toEqual('nginx')
    expect(roleName(['old'], new Set())).toEqual('old')
    expect(roleName(['postanalytics', 'banco'], titleWords('Postanalytics'))).toEqual('banco')
    expect(roleName(['módulo-antigo'], new Set())).toEqual('modulo')
  })
})

describe('roles of a page', () => {
  it('names the other machine by its module, in English and Portuguese alike', () => {
    const en = page('upgrade.en.md', `# Upgrade the filtering node

## Step 1: Install the new packages

\`\`\`bash
apt-get install -y new-node
\`\`\`

## Step 2: Remove the old node

On the machine with the old module, stop it:

\`\`\`bash
systemctl stop old-node
\`\`\`
`)
    const pt = page('upgrade.pt-BR.md', `# Atualize o nó de filtragem

## Passo 1: Instale os novos pacotes

\`\`\`bash
apt-get install -y new-node
\`\`\`

## Passo 2: Remova o nó antigo

Na máquina com o old module, pare-o:

\`\`\`bash
systemctl stop old-node
\`\`\`
`)
    expect([...rolesOf(en)]).toEqual([[1, ['local']], [2, ['old']]])
    expect([...rolesOf(pt)]).toEqual([[1, ['local']], [2, ['old']]])
  })

  it('gives "a separate server" the one host the page names, else `other`', () => {
    const one = page('one.md', `# Set up the database

## Step 1: Install the web front end on a separate server

\`\`\`bash
apt-get install -y front
\`\`\`

## Step 2: Connect

On the machine with the front-end module, point it here:

\`\`\`bash
echo connect
\`\`\`
`)
    const none = page('none.md', `# Set up the database

## Step 1: Install the cache on a separate server

\`\`\`bash
apt-get install -y cache
\`\`\`
`)
    expect([...rolesOf(one)]).toEqual([[1, ['front']], [2, ['front']]])
    expect([...rolesOf(none)]).toEqual([[1, ['other']]])
  })
})

describe.skipIf(!hasShared)('roles of the reference page', () => {
  it('are `local` and `nginx` in English and in Portuguese, step by step', () => {
    const en = rolesOf(seedEn)
    const pt = rolesOf(seedPt)
    expect(en.get(7)).toEqual(['nginx'])
    expect(en.get(6)).toEqual(['local', 'nginx'])
    expect(en.get(8)).toEqual(['local', 'nginx'])
    expect(pt.get(7)).toEqual(['nginx'])
    expect(pt.get(8)).toEqual(['local', 'nginx'])
    const all = (m: Map<number, string[]>) => [...new Set([...m.values()].flat())].sort()
    expect(all(en)).toEqual(['local', 'nginx'])
    expect(all(pt)).toEqual(['local', 'nginx'])
  })
})
