/**
 * One output stream of a step, taken chunk by chunk: the bytes (masked) go to
 * the step log as they came, and the lines they hold to the reporter as they
 * complete. Masking works on the stream, before any cut into lines, so that a
 * secret split across chunks or across a 64 KiB line cut is caught all the
 * same; the log keeps the step's bytes, UTF-8 or not. The stream may be a pipe
 * of the step's own shell or a stretch of the shared shell's pipe between two
 * markers; the pump does not care which.
 */
import {LineSplitter} from './lines.js'
import type {StepLog} from './step-log.js'
import type {Masker} from './secrets.js'
import type {StreamMasker} from './stream-mask.js'

export type StreamName = 'stdout' | 'stderr'

export interface PumpOptions {
  masker: Masker
  log?: StepLog
  onLine?: (stream: StreamName, line: string) => void
}

export class LinePump {
  private readonly splitter = new LineSplitter()
  private readonly masking: StreamMasker | undefined
  private ended = false

  constructor(
    private readonly name: StreamName,
    private readonly opts: PumpOptions,
  ) {
    this.masking = opts.masker.stream()
  }

  take(data: Buffer): void {
    if (this.ended || data.length === 0) return
    this.out(this.masking ? this.masking.push(data) : [data])
  }

  /** The stream ended: what the masker held and a last line without a newline go out too. */
  end(): void {
    if (this.ended) return
    this.ended = true
    if (this.masking) this.out(this.masking.end())
    const onLine = this.opts.onLine
    for (const line of this.splitter.end()) onLine?.(this.name, line.text)
  }

  private out(parts: Buffer[]): void {
    if (parts.length === 0) return
    this.opts.log?.writeBytes(parts)
    if (!this.opts.onLine) return
    for (const part of parts) this.splitter.each(part, this.line)
  }

  private readonly line = (text: string): void => {
    this.opts.onLine!(this.name, text)
  }
}
