/**
 * A page can support a platform in its prose and still hand it a binary that
 * cannot run there: a tarball built for x86_64 on an ARM64 machine, a
 * `-glibc` installer on a musl system (Alpine). The tabs say nothing; the file
 * name does. Such a plan is refused like a platform with no tab (exit 2).
 */
import {UsageError} from '../errors.js'
import {displayPath} from '../graph/text.js'
import {describePlatform} from './platform.js'
import type {Plan} from './types.js'

const X86 = /[-_.](?:x86_64|amd64|x64)(?=[-_.]|$)/m
const ARM = /[-_.](?:aarch64|arm64)(?=[-_.]|$)/m
const GLIBC = /[-_.]glibc(?=[-_.]|$)/m
const MUSL_IDS = new Set(['alpine', 'postmarketos', 'chimera', 'void-musl'])

export function checkBinariesFit(plan: Plan): void {
  const arm = plan.platform.arch === 'aarch64'
  const musl = MUSL_IDS.has(plan.platform.id)
  if (!arm && !musl) return
  for (const step of plan.steps) {
    for (const action of step.actions) {
      if (action.host.where !== 'local' || (action.kind !== 'exec' && action.kind !== 'check')) continue
      const script = action.template
      const why = arm && X86.test(script) && !ARM.test(script) ? 'is built for x86_64' : musl && GLIBC.test(script) ? 'needs glibc, and this system uses musl' : undefined
      if (!why) continue
      throw new UsageError(
        `step ${step.number} "${step.title}" (${displayPath(action.source.file)}:${action.source.line}) fetches or runs a binary that ${why}; the page offers none for this platform: ${describePlatform(plan.platform)}. ` +
          `To plan for another machine, pass --os ID:VERSION, --arch, or --os-release FILE.`,
      )
    }
  }
}
