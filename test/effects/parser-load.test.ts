/**
 * A shell parser that cannot be loaded (a broken install) fails as itself:
 * neither a script nor a batch of scripts reports it as a syntax error in the
 * page (effects.ts treats a ShellSyntaxError as a script it cannot read and
 * goes on without its effects).
 */
import {afterEach, describe, expect, it, vi} from 'vitest'

const broken = new Error("Cannot find module '/x/node_modules/sh-syntax/lib/browser.js'")

describe('the shell parser failing to load', () => {
  afterEach(() => {
    vi.doUnmock('../../src/effects/shell/sh-parser.js')
    vi.resetModules()
  })

  it('rejects with its own error, from parseScript and parseScripts alike', async () => {
    vi.resetModules()
    vi.doMock('../../src/effects/shell/sh-parser.js', () => ({shellParser: () => Promise.reject(broken)}))
    const {parseScript, parseScripts, ShellSyntaxError} = await import('../../src/effects/shell/script.js')
    const single = await parseScript('echo one').catch((error: unknown) => error)
    expect(single).toBe(broken)
    expect(single).not.toBeInstanceOf(ShellSyntaxError)
    await expect(parseScripts(['echo one', 'echo two'])).rejects.toBe(broken)
  })

  it('still reports a real syntax error as one', async () => {
    const {parseScript, ShellSyntaxError} = await import('../../src/effects/shell/script.js')
    await expect(parseScript('if true; then')).rejects.toBeInstanceOf(ShellSyntaxError)
  })
})
