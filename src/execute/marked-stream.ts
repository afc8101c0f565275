/**
 * One output pipe of the shared shell, cut into steps. After each step the
 * shell writes a marker (random per shell, so no output can forge it); bytes
 * before it belong to the step, bytes after it to whoever listens next. A
 * marker split across two chunks is held back until it is whole.
 */
import type {Readable} from 'node:stream'

export interface ByteSink {
  take(data: Buffer): void
}

export class MarkedStream {
  private sink: ByteSink | undefined
  private carry: Buffer | undefined
  private onMarker: (() => void) | undefined
  /** Bytes that arrived while no step listened (a background process of an earlier step). */
  stray = false
  /** Resolves when the pipe closed: no process holds its other end any more. */
  readonly closed: Promise<void>

  constructor(
    private readonly stream: Readable,
    private readonly marker: Buffer,
  ) {
    stream.on('data', (data: Buffer) => this.push(data))
    this.closed = new Promise((resolve) => {
      stream.once('close', resolve)
      stream.once('error', () => resolve())
    })
  }

  /** Sends the pipe's bytes to `sink` and calls `onMarker` at the next marker. */
  attach(sink: ByteSink, onMarker: () => void): void {
    this.sink = sink
    this.onMarker = onMarker
  }

  /** Stops sending bytes to the step (they count as stray from here on). */
  detach(): void {
    this.sink = undefined
    this.onMarker = undefined
  }

  /** Drains and drops whatever still comes, without keeping the process alive. */
  abandon(): void {
    this.detach()
    this.stream.removeAllListeners('data')
    this.stream.resume()
    ;(this.stream as Readable & {unref?: () => void}).unref?.()
  }

  private push(data: Buffer): void {
    let buf = this.carry ? Buffer.concat([this.carry, data]) : data
    this.carry = undefined
    for (;;) {
      const at = buf.indexOf(this.marker)
      if (at === -1) break
      this.deliver(buf.subarray(0, at))
      const done = this.onMarker
      this.onMarker = undefined
      done?.()
      buf = buf.subarray(at + this.marker.length)
    }
    const keep = this.markerStart(buf)
    this.deliver(keep === 0 ? buf : buf.subarray(0, buf.length - keep))
    if (keep > 0) this.carry = Buffer.from(buf.subarray(buf.length - keep))
  }

  /** How many bytes at the end of `buf` could begin a marker. */
  private markerStart(buf: Buffer): number {
    const first = this.marker[0]!
    for (let i = Math.max(0, buf.length - this.marker.length + 1); i < buf.length; i++) {
      if (buf[i] !== first) continue
      const tail = buf.subarray(i)
      if (this.marker.subarray(0, tail.length).equals(tail)) return buf.length - i
    }
    return 0
  }

  private deliver(bytes: Buffer): void {
    if (bytes.length === 0) return
    if (this.sink) this.sink.take(bytes)
    else this.stray = true
  }
}
