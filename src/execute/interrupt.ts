/**
 * Ctrl-C while a step runs. Steps run in their own process group, so the
 * terminal's SIGINT reaches only the runner; it passes the stop on: SIGTERM to
 * the group, SIGKILL 3 s later or at a second Ctrl-C.
 */

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export const KILL_AFTER_MS = 3000

export const INTERRUPTED = Symbol('interrupted')

export class Interrupts {
  /** How many stop signals arrived. */
  count = 0
  /** The signal that stopped the run. */
  signal?: NodeJS.Signals
  private child?: {pid: number; group: boolean}
  private killTimer?: NodeJS.Timeout
  private readonly handler = (signal: NodeJS.Signals) => this.onSignal(signal)
  private listeners: Array<() => void> = []

  constructor(private readonly killAfterMs = KILL_AFTER_MS) {}

  get interrupted(): boolean {
    return this.count > 0
  }

  install(): void {
    for (const s of SIGNALS) process.on(s, this.handler)
  }

  uninstall(): void {
    for (const s of SIGNALS) process.off(s, this.handler)
    this.clearTimer()
  }

  /** Called on each stop signal. */
  onInterrupt(listener: () => void): void {
    this.listeners.push(listener)
  }

  /** Told of each step process as it starts (the executor records its group in the state). */
  onChild?: (pid: number, group: boolean) => void

  /** `promise`, or `interrupted` when a stop signal comes first (a prompt has no child to kill). */
  race<T>(promise: Promise<T>): Promise<T | typeof INTERRUPTED> {
    if (this.interrupted) return Promise.resolve(INTERRUPTED)
    return Promise.race([promise, new Promise<typeof INTERRUPTED>((resolve) => this.onInterrupt(() => resolve(INTERRUPTED)))])
  }

  /** The step now running; `group` when it leads its own process group. */
  setChild(pid: number, group: boolean): void {
    this.child = {pid, group}
    this.onChild?.(pid, group)
    if (this.interrupted) this.kill('SIGTERM')
  }

  clearChild(): void {
    this.child = undefined
    this.clearTimer()
  }

  /** How long the group gets between SIGTERM and SIGKILL. */
  get graceMs(): number {
    return this.killAfterMs
  }

  /** After the step's shell exited: SIGKILL what is left of its group. */
  killGroup(pid: number): void {
    signalGroup(pid, 'SIGKILL')
  }

  private onSignal(signal: NodeJS.Signals): void {
    this.count++
    this.signal ??= signal
    for (const l of this.listeners) l()
    if (!this.child) return
    if (this.count === 1) {
      this.kill('SIGTERM')
      this.killTimer = setTimeout(() => this.kill('SIGKILL'), this.killAfterMs)
      this.killTimer.unref()
    } else {
      this.kill('SIGKILL')
    }
  }

  private kill(signal: NodeJS.Signals): void {
    const child = this.child
    if (!child) return
    if (child.group) signalGroup(child.pid, signal)
    else {
      try {
        process.kill(child.pid, signal)
      } catch {
        // already gone
      }
    }
  }

  private clearTimer(): void {
    if (this.killTimer) clearTimeout(this.killTimer)
    this.killTimer = undefined
  }
}

/** Signals a whole process group; a group already gone is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}

/** True while any process of the group is alive. */
export function groupAlive(pid: number): boolean {
  return signalGroup(pid, 0 as unknown as NodeJS.Signals)
}
