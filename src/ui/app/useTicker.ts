/** A counter that advances every `ms` while `active`: drives the spinner and the clocks. */
import {useEffect, useState} from 'react'

export function useTicker(ms: number, active: boolean): number {
  const [tick, setTick] = useState(0)
  useEffect(() => {
    if (ms <= 0 || !active) return
    const timer = setInterval(() => setTick((t) => t + 1), ms)
    return () => clearInterval(timer)
  }, [ms, active])
  return tick
}
