#!/usr/bin/env node
// Renders an HTML file the engine wrote (a run report, a matrix) to a PNG with
// Debian's Chromium, for the pictures in docs/:  node test/report/screenshot.mjs IN.html OUT.png [WIDTH]
import {chromium} from 'playwright-core'
import {pathToFileURL} from 'node:url'
import {resolve} from 'node:path'

const [input, output, width = '1100'] = process.argv.slice(2)
if (!input || !output) {
  process.stderr.write('usage: node test/report/screenshot.mjs IN.html OUT.png [WIDTH]\n')
  process.exit(2)
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
try {
  const page = await browser.newPage({viewport: {width: Number(width), height: 800}})
  await page.goto(pathToFileURL(resolve(input)).href, {waitUntil: 'load'})
  // Open every folded log so the picture shows what a reviewer would expand.
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')))
  await page.screenshot({path: output, fullPage: true})
} finally {
  await browser.close()
}
