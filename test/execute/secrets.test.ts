import {describe, it, expect} from 'vitest'
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {createMasker, isSecretName} from '../../src/execute/secrets.js'
import {runPlan} from '../../src/execute/executor.js'
import {runPaths} from '../../src/execute/paths.js'
import {createPlainReporter} from '../../src/ui/plain.js'
import {allFiles, answers, makePlan, param, recorder, tempDir} from './helpers.js'
import {Writable} from 'node:stream'

describe('secret names', () => {
  it('flags credential-like names, case-insensitively, or by the placeholder', () => {
    expect(['TOKEN', 'api_token', 'SECRET_ID', 'PASSWORD', 'DB_PASS', 'api-key', 'GROUP', 'HOST'].map((n) => isSecretName(n))).toEqual([true, true, true, true, true, true, false, false])
    expect(isSecretName('LABEL', true)).toBe(true)
  })
})

describe('Masker', () => {
  it('hides values and their quoted forms', () => {
    const m = createMasker([`s3'cr"et$`])
    expect(m.mask(`a s3'cr"et$ b`)).toBe('a *** b')
    expect(m.mask(`-t 's3'\\''cr"et$'`)).toBe('-t ***')
    expect(m.mask(`"s3'cr\\"et\\$"`)).toBe('"***"')
    expect(createMasker([]).mask('x')).toBe('x')
  })
})

describe('secrets in a run', () => {
  it('never reach the state folder, and are masked in output and logs', async () => {
    const root = tempDir('rb-secret-state-')
    const work = tempDir('rb-secret-work-')
    const token = 'tok-9f8e7d6c5b4a'
    const password = `pa ss'wo"rd`
    const plan = makePlan(
      [
        {id: 'register', actions: [{script: `echo token is <TOKEN>\necho "quoted <DB_PASSWORD>"\nprintf '%s\\n' <TOKEN> > ${work}/token-file\necho group <GROUP>`, placeholders: ['TOKEN', 'DB_PASSWORD', 'GROUP']}]},
        {id: 'fail', actions: [{script: `echo <TOKEN> >&2\nexit 1`, placeholders: ['TOKEN']}]},
      ],
      {parameters: [param('TOKEN'), param('DB_PASSWORD'), param('GROUP'), {...param('LABEL'), secret: true}]},
    )
    let printed = ''
    const out = new Writable({write: (c, _e, done) => ((printed += c.toString()), done())})
    const plain = createPlainReporter(out, {color: false})
    const rec = recorder()
    const result = await runPlan({
      plan,
      values: {TOKEN: token, DB_PASSWORD: password, GROUP: 'default', LABEL: 'lbl-secret-42'},
      stateRoot: root,
      reporter: (e) => (rec.reporter(e), plain(e)),
      interaction: answers(),
      resumeCommand: (id) => `runbook resume ${id}`,
    })
    expect(result.exitCode).toBe(1)
    // The command itself got the real value.
    expect(readFileSync(join(work, 'token-file'), 'utf8')).toBe(`${token}\n`)
    for (const file of allFiles(root)) {
      const text = readFileSync(file, 'utf8')
      expect({file, leaked: [token, password, 'lbl-secret-42'].filter((s) => text.includes(s))}).toEqual({file, leaked: []})
    }
    expect(rec.lines()).toEqual(['token is ***', 'quoted ***', 'group default', '***'])
    expect(printed).toContain(`$ echo token is ***\n  echo "quoted ***"\n  printf '%s\\n' *** > ${work}/token-file\n  echo group 'default'\n`)
    expect(printed).not.toContain(token)
    const state = JSON.parse(readFileSync(runPaths(root, result.runId).state, 'utf8'))
    expect(state.parameters).toEqual([
      {name: 'TOKEN', secret: true},
      {name: 'DB_PASSWORD', secret: true},
      {name: 'GROUP', secret: false, value: 'default'},
      {name: 'LABEL', secret: true},
    ])
    const log = readFileSync(join(runPaths(root, result.runId).dir, 'logs', '01-register.log'), 'utf8')
    expect(log.split('\n').slice(1)).toEqual([`$ echo token is ***`, `echo "quoted ***"`, `printf '%s\\n' *** > ${work}/token-file`, `echo group 'default'`, 'token is ***', 'quoted ***', 'group default', '# exit 0', ''])
    expect(readdirSync(work)).toEqual(['token-file'])
    expect(existsSync(join(runPaths(root, result.runId).dir, 'lock'))).toBe(false)
  })

  it('keeps hostile parameter values from injecting anything', async () => {
    const root = tempDir('rb-hostile-state-')
    const work = tempDir('rb-hostile-work-')
    const values = [`x'; touch ${work}/pwned; echo '`, `$(touch ${work}/pwned)`, '`touch pwned`', `"; touch ${work}/pwned; "`, '\\', 'two\nlines', '*', '~', '$HOME', 'ünï ✓']
    for (const value of values) {
      const plan = makePlan(
        [{actions: [{script: `printf '%s' <GROUP> > ${work}/bare\nprintf '%s' "<GROUP>" > ${work}/dq\nprintf '%s' 'g=<GROUP>' > ${work}/sq\ncat > ${work}/hd <<EOF\n<GROUP>\nEOF`, placeholders: ['GROUP']}]}],
        {parameters: [param('GROUP')]},
      )
      const result = await runPlan({plan, values: {GROUP: value}, stateRoot: root, reporter: () => {}, interaction: answers(), resumeCommand: (id) => id})
      expect(result.exitCode).toBe(0)
      expect(['bare', 'dq', 'sq', 'hd'].map((f) => readFileSync(join(work, f), 'utf8'))).toEqual([value, value, `g=${value}`, `${value}\n`])
      expect(readdirSync(work).sort()).toEqual(['bare', 'dq', 'hd', 'sq'])
      expect(readdirSync(runPaths(root, result.runId).work)).toEqual([])
    }
  })
})
