/** A spinner whose frame comes from a tick counter, so tests pick the frame. */
import {Text} from 'ink'
import {useTheme} from './theme.js'

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export function Spinner({tick}: {tick: number}) {
  const theme = useTheme()
  return <Text {...theme.running}>{SPINNER_FRAMES[tick % SPINNER_FRAMES.length]}</Text>
}
