/**
 * SHA-256 for the engine's identities (plan hashes, cache checks), with
 * node:crypto loaded on first use. Loading it costs about 8 ms, a twentieth
 * of a dry-run whose graph is cached, and such a run needs no hash at all
 * (graph-cache.ts checks files by their metadata first; a plan's hashes are
 * computed when read). `require`, not `import`: the module is loaded
 * synchronously, and an ESM import of it would also run its lazy getters
 * (web crypto).
 */
import {createRequire} from 'node:module'

type NodeCrypto = typeof import('node:crypto')

let crypto: NodeCrypto | undefined

export function sha256Hex(data: string | Uint8Array): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto
  return crypto.createHash('sha256').update(data).digest('hex')
}
