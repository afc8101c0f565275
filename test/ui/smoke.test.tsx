import {test} from 'vitest'
import {render} from 'ink-testing-library'
import {App} from '../../src/ui/app/App.js'
import {createRunStore} from '../../src/ui/app/store.js'
import * as f from './fixtures.js'
test('smoke', async () => {
  const tick = () => new Promise((r) => setTimeout(r, 0))
  const store = createRunStore({title: 'wallarm', clock: () => 1000, throttleMs: 0})
  const p = f.plan()
  const {lastFrame} = render(<App store={store} color={false} clock={() => 13_500} tickMs={0} size={{columns: 80, rows: 24}} />)
  store.report(f.runStart(p))
  store.report(f.stepStart(p, 0)); store.report(f.actionStart(p, 0)); store.report(f.stepEnd(p, 0, 'done', 2100))
  store.report(f.stepStart(p, 1)); store.report(f.actionStart(p, 1, 0, 'sudo apt-get install -y wallarm-node nginx'))
  for (let i = 0; i < 30; i++) store.report(f.output(p, 1, `\x1b[32mline ${i}\x1b[0m\tok`))
  await tick(); console.log(lastFrame())
  store.ask({kind: 'failure', step: '2. Install packages', error: 'exit code 100', logFile: '/var/log/x.log', canRollback: true, troubleshooting: 'Check the repository key.'}, {value: 'abort'})
  await tick(); console.log(lastFrame())
})
