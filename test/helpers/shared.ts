/**
 * The team's shared material (../shared beside the repository): seed pages,
 * the corpus. Tests that need it are skipped with a visible message where it
 * is absent; the rest of the suite stands on its own.
 */
import {existsSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const sharedDir = resolve(repoRoot, '..', 'shared')
export const hasShared = existsSync(resolve(sharedDir, 'seeds'))
export const seedEn = resolve(sharedDir, 'seeds', 'separate-postanalytics.en.md')
export const seedPt = resolve(sharedDir, 'seeds', 'separate-postanalytics.pt-BR.md')
/** pymdownx base_path of the Wallarm docs: `--8<-- "../include/x"` resolves from here. */
export const wallarmDocs = resolve(sharedDir, 'corpus', 'wallarm', 'docs')
export const corpusDir = resolve(sharedDir, 'corpus')

if (!hasShared) {
  console.warn(`\n[runbook tests] ${sharedDir} is absent: tests that read the seed pages and the corpus are skipped.\n`)
}
