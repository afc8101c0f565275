/** The open prompt, whichever kind it is: its rows, its keys, its component. */
import type {Prompt} from './useRunState.js'
import type {KeyHint} from './Footer.js'
import {ChoicePrompt, choiceRows} from './ChoicePrompt.js'
import {ValuePrompt, valueRows} from './ValuePrompt.js'
import {ManualPrompt, manualRows} from './ManualPrompt.js'
import {StepPrompt, stepRows} from './StepPrompt.js'
import {FailureMenu, failureRows} from './FailureMenu.js'

export function promptRows(prompt: Prompt, width: number, max: number): number {
  switch (prompt.kind) {
    case 'choose':
      return choiceRows(prompt, max)
    case 'value':
      return valueRows(prompt, width, max)
    case 'manual':
      return manualRows(prompt, width, max)
    case 'step':
      return stepRows(prompt, max)
    case 'failure':
      return failureRows(prompt, width, max)
  }
}

export function promptKeys(prompt: Prompt): KeyHint[] {
  switch (prompt.kind) {
    case 'choose':
      return [['↑↓', 'move'], ['enter', 'select']]
    case 'value':
      return [['enter', 'submit'], ['ctrl-u', 'clear']]
    case 'manual':
      return [['enter', 'done'], ['q', 'stop the run']]
    case 'step':
      return [['←→', 'move'], ['enter', 'choose']]
    case 'failure':
      return [['←→', 'move'], ['enter', 'choose']]
  }
}

export interface PromptViewProps {
  prompt: Prompt
  width: number
  rows: number
  answer(value: unknown): void
  openLog(path: string): void
}

export function PromptView({prompt, width, rows, answer, openLog}: PromptViewProps) {
  // Keyed by id: a new prompt starts from fresh state (selection, typed text).
  switch (prompt.kind) {
    case 'choose':
      return <ChoicePrompt key={prompt.id} prompt={prompt} width={width} rows={rows} onAnswer={answer} />
    case 'value':
      return <ValuePrompt key={prompt.id} prompt={prompt} width={width} rows={rows} onAnswer={answer} />
    case 'manual':
      return <ManualPrompt key={prompt.id} prompt={prompt} width={width} rows={rows} onAnswer={answer} />
    case 'step':
      return <StepPrompt key={prompt.id} prompt={prompt} width={width} rows={rows} onAnswer={answer} />
    case 'failure':
      return <FailureMenu key={prompt.id} prompt={prompt} width={width} rows={rows} onAnswer={answer} onOpenLog={() => openLog(prompt.logFile)} />
  }
}
