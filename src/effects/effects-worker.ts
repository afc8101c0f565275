/**
 * The worker behind `inferAhead` (ahead.ts): loads the shell parser and the
 * effect rules and runs them once on typical commands while the main thread
 * parses the page, then infers the effects of the scripts it is sent.
 */
import {parentPort} from 'node:worker_threads'
import {inferEffects} from './effects.js'
import {parseScripts} from './shell/script.js'
import type {AheadReply} from './ahead.js'

// Commands of the kinds install pages hold: packages, services, files written through a heredoc.
const WARM_UP = [
  'apt-get update\napt-get install -y curl gnupg\nsystemctl enable --now nginx',
  "cat > /etc/example.conf <<'EOF'\nkey = value\nEOF\nsed -i 's/a/b/' /etc/example.conf\nmkdir -p /opt/example && cp example /opt/example/",
]

const ready = (async () => {
  await parseScripts(WARM_UP)
  for (const script of WARM_UP) await inferEffects(script)
})().catch(() => undefined)

parentPort!.on('message', async ({id, scripts, env}: {id: number; scripts: string[]; env: {HOME?: string; USER?: string}}) => {
  let reply: AheadReply
  try {
    await ready
    await parseScripts(scripts)
    const effects = []
    for (const script of scripts) effects.push(await inferEffects(script, {env}))
    reply = {id, effects}
  } catch (error) {
    reply = {id, failed: String(error)}
  }
  parentPort!.postMessage(reply)
})
