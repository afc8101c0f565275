/** Declared answers: the line syntax, and where a page declares them (directive, comment), in any language. */
import {describe, expect, it} from 'vitest'
import {parseAnswerLine, patternRegex} from '../../src/graph/answers.js'
import {buildGraph} from '../../src/graph/index.js'
import {parseText} from '../../src/parse/index.js'

describe('PATTERN=VALUE', () => {
  it('splits at the first bare =, keeps = in the value, \\= in the pattern', () => {
    expect(parseAnswerLine('API token = abc=123==')).toEqual({answer: {pattern: 'API token', value: 'abc=123==', line: 0}})
    expect(parseAnswerLine('Use a\\=b? =yes')).toEqual({answer: {pattern: 'Use a=b?', value: 'yes', line: 0}})
    expect(parseAnswerLine('   ')).toBeUndefined()
    expect(parseAnswerLine('# a comment')).toBeUndefined()
    expect(parseAnswerLine('no equals')).toEqual({error: `expected PATTERN=VALUE (text the prompt shows, '=', what to type), got "no equals"`})
    expect(parseAnswerLine('/([/=x')).toMatchObject({error: expect.stringContaining('is not a valid regular expression')})
  })

  it('text patterns match any case, literally; /regex/ patterns as written', () => {
    expect(patternRegex('Region (us/eu)').test('Cloud REGION (us/eu): ')).toBe(true)
    expect(patternRegex('a.b').test('axb')).toBe(false)
    expect(patternRegex('/^senha:/g').test('Senha: ')).toBe(true)
  })
})

describe('answers in a page', () => {
  const page = (body: string) => buildGraph(parseText(body, '/docs/p.md'))

  it(':::answers fences and <!-- answers --> comments, each line with its own source line; placeholders found (pt-BR)', () => {
    const graph = page(
      [
        '# Instalação',
        '',
        '## Passo 1: Execute o instalador',
        '',
        '```bash',
        'sh instalador.sh',
        '```',
        '',
        ':::answers',
        '```text',
        'Região=eu',
        'Token da API=<TOKEN>',
        '```',
        ':::',
        '',
        '<!-- answers',
        'Continuar? [s/N]=s',
        '-->',
      ].join('\n'),
    )
    const step = graph.procedures[0]!.steps[0]!
    expect(step.answers?.map((a) => [a.pattern, a.value, a.placeholders.map((p) => [p.name, p.secret]), a.source.line])).toEqual([
      ['Região', 'eu', [], 11],
      ['Token da API', '<TOKEN>', [['TOKEN', true]], 12],
      ['Continuar? [s/N]', 's', [], 17],
    ])
  })
})
