/**
 * Every block gets the role the page gives it, in English and in Portuguese:
 * only commands run; conditions and offers wait for --with; file content,
 * transcripts and program output are shown, never run.
 */
import {resolve} from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildGraph} from '../../src/graph/index.js'
import {parseFile} from '../../src/parse/index.js'
import {buildPlan} from '../../src/resolve/plan.js'
import {detectPlatform} from '../../src/resolve/platform.js'
import {repoRoot} from '../helpers/shared.js'

const page = (lang: string) => buildGraph(parseFile(resolve(repoRoot, `test/fixtures/roles/${lang}.md`)))
const roles = (lang: string) => page(lang).procedures[0].steps.map((step) => step.actions.map((action) => [action.role, action.kind, action.script.split('\n')[0]]))

describe.each(['en', 'pt-BR'])('roles of a hand-written page (%s)', (lang) => {
  it('gives each block its role', () => {
    expect(roles(lang)).toEqual([
      [['command', 'exec', 'sudo apt-get install -y demo']],
      [
        ['command', 'edit', 'sudo vim /etc/demo/demo.conf'],
        ['file-content', 'file-content', 'DEMO_HOST=0.0.0.0'],
        ['conditional', 'exec', 'sudo demo-ctl set-port 9090'],
      ],
      [['optional', 'exec', 'demo-ctl status']],
      [
        ['command', 'exec', 'systemctl start demo'],
        ['output', 'file-content', '-- Logs begin at Tue 2024-01-22 09:31:34 JST. --'],
        ['example', 'check', 'systemctl status demo'],
      ],
    ])
  })

  it('keeps the page words of a condition and a readable slug', () => {
    const conditional = page(lang).procedures[0].steps[1].actions[2]
    expect(conditional.condition).toEqual(
      lang === 'en'
        ? {slug: 'if-you-need-to-change-the-port-of-the-service', text: 'If you need to change the port of the service'}
        : {slug: 'se-voce-precisar-alterar-a-porta-do-servico', text: 'Se você precisar alterar a porta do serviço'},
    )
  })

  it('plans only the commands, and a condition only with --with', async () => {
    const graph = page(lang)
    const platform = await detectPlatform({os: 'debian:12', arch: 'x86_64'})
    const runs = async (withs: string[]) =>
      (await buildPlan(graph, {platform, choose: [], dryRun: true, values: {}, with: withs})).steps.map((step) => step.actions.filter((a) => a.kind !== 'file-content').map((a) => a.script))
    expect(await runs([])).toEqual([['sudo apt-get install -y demo'], ['sudo vim /etc/demo/demo.conf'], [], ['systemctl start demo']])
    const all = await runs(['all'])
    expect(all[1]).toEqual(['sudo vim /etc/demo/demo.conf', 'sudo demo-ctl set-port 9090'])
    expect(all[2]).toEqual(['demo-ctl status'])
    // Output and transcripts never run, whatever is included.
    expect(all[3]).toEqual(['systemctl start demo'])
    const plan = await buildPlan(graph, {platform, choose: [], dryRun: true, values: {}})
    expect(plan.conditions.map((c) => [c.role, c.included])).toEqual([['conditional', false], ['optional', false]])
    expect(plan.steps[3].skipped.map((s) => s.role)).toEqual(['output', 'example'])
  })

  it('refuses a --with that names no condition, listing the ones there are', async () => {
    const platform = await detectPlatform({os: 'debian:12', arch: 'x86_64'})
    await expect(buildPlan(page(lang), {platform, choose: [], dryRun: true, values: {}, with: ['nothing-like-it']})).rejects.toThrow(/--with nothing-like-it: no condition of this procedure/)
  })
})
