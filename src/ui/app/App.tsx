/**
 * The whole screen: header, step list, the running step with its output and
 * any prompt, footer; a summary at the end. All state comes from the store;
 * the only local state is whether the log viewer is open.
 */
import {useState} from 'react'
import {Box, Text} from 'ink'
import {useRunState, type RunState} from './useRunState.js'
import type {RunStore} from './store.js'
import {ThemeContext, themeFor, useTheme} from './theme.js'
import {useTerminalSize, type TerminalSize} from './useTerminalSize.js'
import {useTicker} from './useTicker.js'
import {useKeys} from './useKeys.js'
import {computeLayout} from './layout.js'
import {Header, headerRows} from './Header.js'
import {StepList} from './StepList.js'
import {RunningStep, commandRows} from './RunningStep.js'
import {OutputTail} from './OutputTail.js'
import {TerminalPane, waitingRows} from './TerminalPane.js'
import {NoticeLine} from './NoticeLine.js'
import {Footer, type KeyHint} from './Footer.js'
import {Summary, summaryRows} from './Summary.js'
import {PromptView, promptKeys, promptRows} from './PromptView.js'
import {LogFile} from './LogViewer.js'
import {formatClock, rule} from './text.js'

export interface AppProps {
  store: RunStore
  color?: boolean
  /** Wall clock for durations; tests pin it. */
  clock?: () => number
  /** Spinner and clock refresh interval; 0 freezes them (tests). */
  tickMs?: number
  /** Fixed size instead of the terminal's (tests). */
  size?: TerminalSize
}

export function App({store, color = true, clock = Date.now, tickMs = 125, size}: AppProps) {
  return (
    <ThemeContext.Provider value={themeFor(color)}>
      <Screen store={store} clock={clock} tickMs={tickMs} size={size} />
    </ThemeContext.Provider>
  )
}

function Screen({store, clock, tickMs, size}: Required<Pick<AppProps, 'store' | 'clock' | 'tickMs'>> & {size?: TerminalSize}) {
  const theme = useTheme()
  const state = useRunState(store)
  const {columns: width, rows} = useTerminalSize(size)
  const tick = useTicker(tickMs, !state.end && !state.paused)
  const [logPath, setLogPath] = useState<string>()
  useKeys((input, key) => {
    if (key.ctrl && input === 'c') store.interrupt()
  })

  const now = clock()
  const prompt = state.prompts[0]
  const notice = state.end ? undefined : state.notices.at(-1)
  // A manual action's "command" is the instruction its prompt shows in full.
  const showCommand = prompt?.kind !== 'manual'
  // The viewer belongs to the failure menu that opened it, and closes with it.
  const viewing = prompt?.kind === 'failure' && prompt.logFile === logPath ? logPath : undefined
  const layout = computeLayout({
    rows,
    headerRows: headerRows(state.header),
    steps: state.steps.length,
    commandRows: showCommand ? commandRows(state.current) : 0,
    noticeRows: (notice ? 1 : 0) + waitingRows(state.current?.screen),
    promptRows: (max) => (prompt ? promptRows(prompt, width, max) : 0),
    ended: state.end !== undefined,
    summaryRows: state.end ? summaryRows(state.end, width) : 0,
  })

  return (
    <Box flexDirection="column" width={width}>
      <Header title={state.title} runId={state.runId} info={state.header} width={width} />
      {viewing ? (
        <LogFile path={viewing} rows={layout.bodyRows} width={width} onClose={() => setLogPath(undefined)} />
      ) : (
        <>
          <StepList steps={state.steps} focus={focusOf(state)} rows={layout.stepRows} width={width} now={now} tick={tick} />
          {state.end ? (
            <Summary end={state.end} stopped={state.steps.find((s) => s.status === 'failed' || s.status === 'interrupted')} width={width} />
          ) : (
            (state.current || prompt || notice) && (
              <>
                {state.current ? (
                  <RunningStep current={state.current} width={width} showCommand={showCommand} />
                ) : (
                  <Text wrap="truncate-end" {...theme.rule}>
                    {rule(width)}
                  </Text>
                )}
                {state.current?.screen ? (
                  <TerminalPane screen={state.current.screen} rows={layout.tailRows} width={width} />
                ) : (
                  <OutputTail lines={state.current?.tail ?? []} rows={layout.tailRows} width={width} />
                )}
                {notice && <NoticeLine notice={notice} width={width} />}
                {prompt && (
                  <PromptView prompt={prompt} width={width} rows={layout.promptRows} answer={(value) => store.answer(prompt.id, value)} openLog={setLogPath} />
                )}
              </>
            )
          )}
        </>
      )}
      {!state.end && (
        <Footer
          progress={progressOf(state)}
          elapsed={formatClock(state.startedAt === undefined ? 0 : now - state.startedAt)}
          status={state.interrupts > 0 ? 'stopping…' : undefined}
          keys={keysOf(state, viewing !== undefined)}
          width={width}
        />
      )}
    </Box>
  )
}

/** The step to keep in view: the running one, else the one that stopped the run, else the last touched. */
export function focusOf(state: RunState): number {
  const running = state.steps.findIndex((s) => s.status === 'running')
  if (running >= 0) return running
  if (state.end) {
    const stopped = state.steps.findIndex((s) => s.status === 'failed' || s.status === 'interrupted')
    if (stopped >= 0) return stopped
  }
  return state.current?.index ?? 0
}

/** `3/8`: the running step's position, else how many steps are behind us. */
export function progressOf(state: RunState): string | undefined {
  if (state.steps.length === 0) return undefined
  const running = state.steps.findIndex((s) => s.status === 'running')
  const n = running >= 0 ? running + 1 : state.steps.filter((s) => s.status !== 'pending').length
  return `${n}/${state.steps.length}`
}

function keysOf(state: RunState, viewingLog: boolean): KeyHint[] {
  const prompt = state.prompts[0]
  const keys: KeyHint[] = viewingLog
    ? [['↑↓ pgup pgdn', 'scroll'], ['q', 'close']]
    : prompt
      ? promptKeys(prompt)
      : []
  // A step on a terminal takes the keys typed; ctrl-] lends it the whole screen.
  if (!prompt && !viewingLog && state.current?.screen && state.steps[state.current.index]?.status === 'running') keys.push(['ctrl-]', 'whole terminal'])
  keys.push(['ctrl-c', state.interrupts > 0 ? 'abort now' : 'stop'])
  return keys
}
