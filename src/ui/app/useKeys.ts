/**
 * `useInput` that stays quiet when stdin cannot go raw (a pipe): Ink throws
 * there, and a prompt cannot be answered anyway.
 */
import {useInput, useStdin, type Key} from 'ink'

export function useKeys(handler: (input: string, key: Key) => void, active = true): void {
  const {isRawModeSupported} = useStdin()
  useInput(handler, {isActive: active && isRawModeSupported})
}
