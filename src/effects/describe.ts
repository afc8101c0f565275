/**
 * One line per effect for `runbook graph` and the dry-run. Pure and
 * synchronous: callers infer effects first, then describe them.
 */
import type {Effect, FileOp, ServiceOp} from './effect-types.js'

const FILE_VERBS: Record<FileOp, string> = {
  write: 'writes', append: 'appends to', edit: 'edits', 'create-dir': 'creates the directory', touch: 'creates or touches',
  delete: 'deletes', metadata: 'changes the mode or owner of', link: 'creates the link', download: 'downloads to',
  keyring: 'adds keys to', extract: 'extracts files into',
}

const SERVICE_VERBS: Record<ServiceOp, string> = {
  enable: 'enables', disable: 'disables', start: 'starts', stop: 'stops', restart: 'restarts', reload: 'reloads', mask: 'masks', unmask: 'unmasks',
}

export function describeEffect(e: Effect): string {
  switch (e.kind) {
    case 'file': {
      const tree = e.recursive && (e.op === 'delete' || e.op === 'write') ? ' and everything under it' : ''
      const runtime = e.dynamic ? ' (path decided at run time)' : ''
      return `${FILE_VERBS[e.op]} ${e.path}${tree}${runtime} (${e.via})`
    }
    case 'package': {
      const list = e.packages.join(', ')
      if (e.op === 'refresh') return `refreshes the package lists (${e.via})`
      if (e.op === 'upgrade') return `upgrades ${list || 'all packages'} (${e.via})`
      if (e.op === 'install' && !list) return `imports a package signing key (${e.via})`
      return `${e.op === 'install' ? 'installs' : 'removes'} ${list} (${e.via})`
    }
    case 'service':
      return `${SERVICE_VERBS[e.op]} ${e.units.join(', ')} (${e.manager})`
    case 'irreversible':
      return `${e.reason} (${e.via})`
    case 'unknown':
      return `runs ${e.via}: effect unknown`
  }
}
