import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, test, vi} from 'vitest'
import {render} from 'ink-testing-library'
import {LogFile, LogViewer} from '../../src/ui/app/LogViewer.js'
import {formatBytes, readLogTail} from '../../src/ui/app/logTail.js'
import {expectFrame, frame, KEY, plain, press} from './helpers.js'

const lines = Array.from({length: 30}, (_, i) => `line ${i + 1}`)

describe('LogViewer', () => {
  test('opens at the end, where the failure is', () => {
    const {lastFrame} = render(plain(<LogViewer title="/runs/x/03.log" lines={lines} rows={5} width={50} onClose={() => {}} />))
    expect(lastFrame()).toBe(frame(['Log lines 27–30 of 30 · /runs/x/03.log', 'line 27', 'line 28', 'line 29', 'line 30']))
  })

  test('↑↓ a line, PgUp/PgDn a page, Home/End, clamped at both ends', async () => {
    const {lastFrame, stdin} = render(plain(<LogViewer title="/runs/x/03.log" lines={lines} rows={5} width={50} onClose={() => {}} />))
    await press(stdin, KEY.up)
    await expectFrame(lastFrame, frame(['Log lines 26–29 of 30 · /runs/x/03.log', 'line 26', 'line 27', 'line 28', 'line 29']))
    await press(stdin, KEY.pageUp, KEY.pageUp)
    await expectFrame(lastFrame, frame(['Log lines 18–21 of 30 · /runs/x/03.log', 'line 18', 'line 19', 'line 20', 'line 21']))
    await press(stdin, KEY.home, KEY.up)
    await expectFrame(lastFrame, frame(['Log lines 1–4 of 30 · /runs/x/03.log', 'line 1', 'line 2', 'line 3', 'line 4']))
    await press(stdin, KEY.pageDown, KEY.down)
    await expectFrame(lastFrame, frame(['Log lines 6–9 of 30 · /runs/x/03.log', 'line 6', 'line 7', 'line 8', 'line 9']))
    await press(stdin, KEY.end, KEY.down)
    await expectFrame(lastFrame, frame(['Log lines 27–30 of 30 · /runs/x/03.log', 'line 27', 'line 28', 'line 29', 'line 30']))
  })

  test('q closes; long lines and paths are cut to the width', async () => {
    const onClose = vi.fn()
    const long = ['x'.repeat(100)]
    const {lastFrame, stdin} = render(plain(<LogViewer title="/var/lib/runbook/runs/20240501-abc/03-configure-nginx.log" lines={long} rows={5} width={40} onClose={onClose} />))
    expect(lastFrame()).toBe(frame(['Log lines 1–1 of 1 · …onfigure-nginx.log', 'x'.repeat(39) + '…']))
    await press(stdin, 'q')
    expect(onClose).toHaveBeenCalledTimes(1)
  })
})

describe('LogFile', () => {
  test('reads the file, sanitised, and shows its end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-log-'))
    const file = join(dir, '03.log')
    writeFileSync(file, 'first\n\u001B[31mred\u001B[0m\nlast\n')
    const {lastFrame} = render(plain(<LogFile path={file} rows={3} width={200} onClose={() => {}} />))
    await expectFrame(lastFrame, frame([`Log lines 2–3 of 3 · ${file}`, 'red', 'last']))
  })

  test('a missing file says why', async () => {
    const {lastFrame} = render(plain(<LogFile path="/nonexistent/03.log" rows={3} width={200} onClose={() => {}} />))
    await expectFrame(lastFrame, frame(['Log lines 1–1 of 1 · /nonexistent/03.log', "ENOENT: no such file or directory, open '/nonexistent/03.log'"]))
  })
})

describe('readLogTail', () => {
  test('a big file: only its last bytes, from the first whole line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-log-'))
    const file = join(dir, 'big.log')
    writeFileSync(file, Array.from({length: 100_000}, (_, i) => `line ${i}`).join('\n') + '\n')
    const tail = await readLogTail(file, 1000)
    expect(tail.partial).toBe(true)
    expect(tail.size).toBe(1_088_890)
    expect(tail.lines.at(-1)).toBe('line 99999')
    expect(tail.lines[0]).toMatch(/^line 99\d\d\d$/)
    expect(tail.lines.join('\n').length).toBeLessThan(1000)
  })

  test('a small file: all of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-log-'))
    const file = join(dir, 'small.log')
    writeFileSync(file, 'a\nb')
    expect(await readLogTail(file)).toEqual({lines: ['a', 'b'], size: 3, partial: false})
  })

  test('formatBytes', () => {
    expect([512, 2048, 1_572_864, 3 * 2 ** 30].map(formatBytes)).toEqual(['512 B', '2.0 KiB', '1.5 MiB', '3.0 GiB'])
  })
})
