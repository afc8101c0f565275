/**
 * One output stream of a step, taken chunk by chunk: the bytes (masked) go to
 * the step log as they came, and the lines they complete to the reporter as
 * one block per chunk, still bytes (lines.ts). Masking works on the stream, before any cut
 * into lines, so that a secret split across chunks or across a 64 KiB line
 * cut is caught all the same; the log keeps the step's bytes, UTF-8 or not.
 * The stream may be a pipe of the step's own shell or a stretch of the shared
 * shell's pipe between two markers; the pump does not care which.
 */
import {BlockSplitter, type OutputBlock} from './lines.js'
import type {StepLog} from './step-log.js'
import type {Masker} from './secrets.js'
import type {StreamMasker} from './stream-mask.js'
import {outputPassed} from './young-generation.js'

export type StreamName = 'stdout' | 'stderr'

/** Receives a block of whole lines, secrets masked. */
export type OutputSink = (stream: StreamName, block: OutputBlock) => void

export interface PumpOptions {
  masker: Masker
  log?: StepLog
  onOutput?: OutputSink
}

export class OutputPump {
  private readonly splitter = new BlockSplitter()
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
    outputPassed(data.length)
    this.out(this.masking ? this.masking.push(data) : [data])
  }

  /** The stream ended: what the masker held and a last line without a newline go out too. */
  end(): void {
    if (this.ended) return
    this.ended = true
    if (this.masking) this.out(this.masking.end())
    const last = this.splitter.end()
    if (last !== undefined) this.opts.onOutput?.(this.name, last)
  }

  private out(parts: Buffer[]): void {
    if (parts.length === 0) return
    this.opts.log?.writeBytes(parts)
    if (!this.opts.onOutput) return
    const block = this.splitter.push(parts.length === 1 ? parts[0]! : Buffer.concat(parts))
    if (block !== undefined) this.opts.onOutput(this.name, block)
  }
}
