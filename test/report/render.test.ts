/**
 * The HTML pages the engine writes, opened in a real browser (Debian's
 * Chromium, driven by playwright-core): the run report and the platform
 * matrix load with no console error and no request but the page itself, and
 * render to a PNG.
 */
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {repoRoot} from '../helpers/shared.js'

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync)
if (!chromium) console.warn('report rendering tests: Chromium is absent (apt-get install chromium): skipped.')

const temp = mkdtempSync(join(tmpdir(), 'rb-render-'))
afterAll(() => rmSync(temp, {recursive: true, force: true}))

type Browser = Awaited<ReturnType<typeof import('playwright-core')['chromium']['launch']>>
let browser: Browser | undefined
afterAll(async () => browser?.close())

/** Opens `file` in headless Chromium (started once); returns console errors, requests and a screenshot. */
async function open(file: string): Promise<{errors: string[]; requests: string[]; png: Buffer; text: string}> {
  if (!browser) {
    const {chromium: driver} = await import('playwright-core')
    // No background networking: this machine's closed network would refuse it, loudly.
    browser = await driver.launch({
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  }
  const page = await browser.newPage({viewport: {width: 1100, height: 900}})
  try {
    const errors: string[] = []
    const requests: string[] = []
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('request', (request) => requests.push(request.url()))
    await page.goto(pathToFileURL(file).href, {waitUntil: 'load'})
    const png = await page.screenshot({fullPage: true})
    return {errors, requests, png, text: await page.innerText('body')}
  } finally {
    await page.close()
  }
}

function pngSize(png: Buffer): {width: number; height: number} {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  return {width: png.readUInt32BE(16), height: png.readUInt32BE(20)}
}

describe.skipIf(!chromium)('HTML pages in a real browser', () => {
  const reportFile = join(temp, 'report.html')

  beforeAll(() => {
    const work = join(temp, 'work')
    const state = join(temp, 'state')
    mkdirSync(work)
    const page = resolve(repoRoot, 'test/fixtures/runbooks/report-evidence.md')
    const flags = ['--no-tui', '--state-dir', state, '--set', `TEST_DIR=${work}`]
    expect(runCli(['run', page, ...flags], {env: {RUNBOOK_API_TOKEN: 'hidden-9f2e'}, input: ''}).code).toBe(1)
    writeFileSync(join(work, 'flag'), '')
    expect(runCli(['run', page, ...flags, '--resume'], {env: {RUNBOOK_API_TOKEN: 'hidden-9f2e'}, input: ''}).code).toBe(0)
    const runId = readdirSync(join(state, 'runs'))[0]!
    expect(runCli(['rollback', runId, '--yes', '--state-dir', state], {input: ''}).code).toBe(0)
    expect(runCli(['report', runId, '--state-dir', state, '-o', reportFile]).code).toBe(0)
  })

  it('the run report loads offline with no console error and renders', async () => {
    const {errors, requests, png, text} = await open(reportFile)
    expect(errors).toEqual([])
    expect(requests).toEqual([pathToFileURL(reportFile).href])
    const {width, height} = pngSize(png)
    expect(width).toBe(1100)
    expect(height).toBeGreaterThan(600)
    expect(text).toContain('Evidence for a change ticket')
    expect(text).toContain('2. Wait for the flag')
    expect(text).not.toContain('hidden-9f2e')
    expect(readFileSync(reportFile, 'utf8')).not.toContain('hidden-9f2e')
  })

  it('the platform matrix of the reference runbook loads and renders', async () => {
    const file = join(temp, 'matrix.html')
    const result = runCli(['plan', 'separate-postanalytics', '--matrix', '--format', 'html'])
    expect(result.code).toBe(0)
    writeFileSync(file, result.stdout)
    const {errors, requests, png, text} = await open(file)
    expect(errors).toEqual([])
    expect(requests).toEqual([pathToFileURL(file).href])
    expect(pngSize(png).width).toBe(1100)
    expect(text).toContain('Manual installation')
  })
})

describe('plan --matrix --format html', () => {
  it('marks holes, ambiguous picks and steps without platform tabs', async () => {
    const {renderMatrixHtml} = await import('../../src/ui/matrix-html.js')
    const page = renderMatrixHtml('Guide <x>', [
      {
        procedure: {id: 'install', title: 'Install'},
        steps: [{number: 1, title: 'Add repo'}, {number: 2, title: 'Start'}],
        rows: [
          {platform: 'debian 12 x86_64', cells: ['Debian', '✗ none'], holes: ['step 2']},
          {platform: 'ubuntu 22.04 x86_64', cells: ['✗ ambiguous', '-'], holes: []},
        ],
      },
    ])
    expect(page).toContain('<title>Guide &lt;x&gt;: platforms × steps</title>')
    expect(page).toContain('<tr class="has-holes"><th>debian 12 x86_64</th><td class="ok">Debian</td><td class="hole">✗ none</td></tr>')
    expect(page).toContain('<tr><th>ubuntu 22.04 x86_64</th><td class="ambiguous">✗ ambiguous</td><td class="none">-</td></tr>')
    expect(page).toContain('<li><b>debian 12 x86_64</b>: a tab in some steps, none in step 2</li>')
  })
})
