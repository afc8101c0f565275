import {describe, it, expect} from 'vitest'
import {readFileSync, statSync, writeFileSync, chmodSync, existsSync} from 'node:fs'
import {join} from 'node:path'
import {applySettings, applySettingsToFile, isKeyValueTarget, parseSettings} from '../../src/execute/kv-file.js'
import {editTarget, editorScript} from '../../src/execute/editor.js'
import {makeAction, tempDir} from './helpers.js'

describe('KEY=VALUE files', () => {
  it('knows which targets are KEY=VALUE files', () => {
    expect(['/etc/default/wallarm-tarantool', '/etc/sysconfig/wallarm-tarantool', '/opt/app/node.env', '/srv/env.list', '/etc/nginx/nginx.conf', '/etc/default/sub/x'].map(isKeyValueTarget)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ])
  })

  it('reads settings only when every line is one (comments and blanks aside)', () => {
    expect(parseSettings('# memory\nSLAB_ALLOC_ARENA=2\n\nexport X="a b"\n')).toEqual([
      {key: 'SLAB_ALLOC_ARENA', line: 'SLAB_ALLOC_ARENA=2'},
      {key: 'X', line: 'export X="a b"'},
    ])
    expect(parseSettings('server {\n}\n')).toBeUndefined()
    expect(parseSettings('# only a comment\n')).toBeUndefined()
  })

  it('replaces the active line, else the commented one, else appends', () => {
    expect(applySettings('A=1\n#B=2\n# C=3\nB=old\n', [{key: 'B', line: 'B=new'}, {key: 'C', line: 'C=9'}, {key: 'D', line: 'D=4'}])).toBe('A=1\n#B=2\nC=9\nB=new\nD=4\n')
    expect(applySettings('', [{key: 'A', line: 'A=1'}])).toBe('A=1\n')
  })

  it('writes the file keeping its mode, after a backup; notes a new file', () => {
    const dir = tempDir()
    const target = join(dir, 'app.env')
    writeFileSync(target, 'A=1\n')
    chmodSync(target, 0o640)
    const journal = join(dir, 'journal')
    const applied = applySettingsToFile(target, [{key: 'A', line: 'A=2'}], journal)
    expect(readFileSync(target, 'utf8')).toBe('A=2\n')
    expect(statSync(target).mode & 0o777).toBe(0o640)
    expect(readFileSync(applied.backup!, 'utf8')).toBe('A=1\n')
    const fresh = applySettingsToFile(join(dir, 'new.env'), [{key: 'B', line: 'B=1'}], join(dir, 'j2'))
    expect(fresh).toEqual({target: join(dir, 'new.env'), existed: false})
    expect(JSON.parse(readFileSync(join(dir, 'j2', 'file-content.json'), 'utf8'))).toEqual({target: join(dir, 'new.env'), existed: false})
    expect(existsSync(join(dir, 'new.env'))).toBe(true)
  })
})

describe('editor', () => {
  it('opens $VISUAL, then $EDITOR, else runs the guide command', () => {
    const a = makeAction('s', 1, {kind: 'edit', script: 'sudo vim /etc/wallarm/node.yaml'})
    expect(editTarget(a, a.script)).toBe('/etc/wallarm/node.yaml')
    expect(editorScript(a, a.script, {VISUAL: 'code -w', EDITOR: 'nano'})).toBe(`code -w '/etc/wallarm/node.yaml'`)
    expect(editorScript(a, a.script, {EDITOR: 'nano'})).toBe(`nano '/etc/wallarm/node.yaml'`)
    expect(editorScript(a, a.script, {})).toBe('sudo vim /etc/wallarm/node.yaml')
    const named = makeAction('s', 2, {kind: 'edit', script: 'vi', file: '/etc/x.conf'})
    expect(editorScript(named, named.script, {EDITOR: 'nano'})).toBe(`nano '/etc/x.conf'`)
  })
})
