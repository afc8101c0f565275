/**
 * One output pipe of the shared shell, cut into steps. After each step the
 * shell writes a marker (random per shell, so no output can forge it); bytes
 * before it belong to the step, bytes after it to whoever listens next. A
 * marker split across two chunks is held back until it is whole.
 *
 * Read in bursts once the pipe is large: a program writing through stdio
 * writes 4 KiB at a time, and a reader that takes each write as it comes
 * wakes (and wakes the writer) a quarter of a million times per GiB, which
 * cost more CPU than everything done with the bytes. Once the shell has
 * made the pipe a megabyte (shell-host.ts), a stream that brought
 * BURST_BYTES since its last rest stops reading for REST_MS after the
 * reads of this turn of the event loop: the writer goes on into the pipe,
 * and the next turn takes what gathered, 64 KiB a read. A megabyte holds
 * more than a millisecond of any flood measured (the pipe never fills, so
 * the step never waits on us), and output slower than BURST_BYTES between
 * rests is read as it comes.
 */
import type {Readable} from 'node:stream'

/** A pipe of at least this size can hold a flood for REST_MS. */
const BURST_PIPE_MIN = 512 * 1024
const BURST_BYTES = 64 * 1024
const REST_MS = 1

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
  private bursts = false
  /** Bytes read since the last rest; a rest is due (or on) once it is `undefined`. */
  private sinceRest: number | undefined = 0

  constructor(
    private readonly stream: Readable,
    private readonly marker: Buffer,
  ) {
    stream.on('data', (data: Buffer) => {
      this.push(data)
      if (this.bursts) this.count(data.length)
    })
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

  /** The pipe holds `pipeBytes` now: a flood is read in bursts from here on (see the top of this file). */
  readInBursts(pipeBytes: number): void {
    this.bursts = pipeBytes >= BURST_PIPE_MIN
  }

  /** Drains and drops whatever still comes, without keeping the process alive. */
  abandon(): void {
    this.bursts = false
    this.detach()
    this.stream.removeAllListeners('data')
    this.stream.resume()
    ;(this.stream as Readable & {unref?: () => void}).unref?.()
  }

  private count(bytes: number): void {
    if (this.sinceRest === undefined) return
    this.sinceRest += bytes
    if (this.sinceRest < BURST_BYTES) return
    this.sinceRest = undefined
    // After this turn's reads: pausing inside one would stop the turn at 64 KiB.
    setImmediate(() => {
      if (!this.bursts) {
        this.sinceRest = 0
        return
      }
      this.stream.pause()
      // Not unref'd: a pipe that is not being read does not keep the process up by itself.
      setTimeout(() => {
        this.sinceRest = 0
        if (this.bursts) this.stream.resume()
      }, REST_MS)
    })
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
