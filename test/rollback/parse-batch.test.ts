/**
 * Scripts parsed in one call of the shell parser: each gets exactly the
 * commands it gets alone, or the batch is dropped and each is parsed alone.
 */
import {describe, expect, it} from 'vitest'
import {parseScript, parseScripts} from '../../src/effects/shell/script.js'

const commandsOf = async (script: string) => JSON.stringify((await parseScript(script)).commands)

describe('parseScripts', () => {
  it('hands each script its own statements, heredocs and placeholders included', async () => {
    const scripts = ['echo one; echo two | tee <FILE>', 'x=1\ncat > /etc/app.conf <<EOF\nkey=<VALUE>\nEOF\nsystemctl restart app', 'apt-get install -y é-pkg']
    const alone = await Promise.all(scripts.map(commandsOf))
    expect(await parseScripts(scripts)).toBe(3)
    expect(await Promise.all(scripts.map(commandsOf))).toEqual(alone)
    expect((await parseScript(scripts[0]!)).unmask('%%RBPH0%%')).toBe('<FILE>')
  })

  it('drops a batch whose statements would run from one script into the next, or that does not parse', async () => {
    for (const scripts of [
      ['echo a \\', 'echo b'],
      ['cat <<EOF\nx', 'EOF'],
      ['echo "a', 'b"'],
      ['true &&', 'false'],
      ['if true; then', 'echo fine'],
    ]) {
      expect(await parseScripts(scripts)).toBe(0)
    }
    expect(await parseScripts(['one-script-alone'])).toBe(0)
  })
})
