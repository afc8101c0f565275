/**
 * Package managers: what a command installs or removes. Which packages really
 * changed is measured around the step (snapshot-packages.ts); these effects say
 * that a step touches packages at all, and name them for display.
 */
import type {PackageEffect, PackageManager} from '../effect-types.js'
import type {Arg} from '../shell/words.js'
import {fileEffect, isUrl, urlFileName, type Ctx, type Handler} from './context.js'
import {getopt, has} from './getopt.js'

/** A name for display and the journal: a URL keeps its file name only (it may carry credentials). */
function label(arg: Arg): string {
  if (arg.value === null) return arg.raw
  return isUrl(arg.value) ? urlFileName(arg.value) ?? arg.value : arg.value
}

function pkg(ctx: Ctx, op: PackageEffect['op'], manager: PackageManager, args: Arg[], via: string): void {
  ctx.add({kind: 'package', op, manager, packages: args.map(label), via})
}

const APT_READ_ONLY = new Set(['list', 'show', 'search', 'policy', 'depends', 'rdepends', 'showpkg', 'showsrc', 'changelog', 'download', 'source', 'check', 'moo', 'clean', 'autoclean', 'help', 'madison', 'pkgnames', 'stats', 'dump', 'showhold'])

const apt: Handler = (args, ctx, name) => {
  const o = getopt(args, {short: 'otca', long: ['option', 'target-release', 'config-file', 'host-architecture'], stopAtOperand: true})
  const [sub, ...rest] = o.operands
  const words = getopt(rest, {short: 'otca', long: ['option', 'target-release', 'config-file']}).operands
  const command = sub?.value ?? ''
  if (command === 'install' || command === 'reinstall') pkg(ctx, 'install', 'apt', words, name)
  else if (['remove', 'purge', 'autoremove', 'autopurge'].includes(command)) pkg(ctx, 'remove', 'apt', words, name)
  else if (command === 'update') pkg(ctx, 'refresh', 'apt', [], name)
  else if (['upgrade', 'dist-upgrade', 'full-upgrade'].includes(command)) pkg(ctx, 'upgrade', 'apt', words, name)
  else if (command === 'edit-sources') fileEffect(ctx, 'edit', {value: '/etc/apt/sources.list', raw: '', prefix: '', procSubst: false}, name)
  else if (!APT_READ_ONLY.has(command)) ctx.add({kind: 'unknown', via: name})
}

const dpkg: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'DGRBO', long: ['admindir', 'root', 'instdir', 'force', 'log', 'status-fd', 'path-include', 'path-exclude']})
  if (has(o, 'i', 'install')) pkg(ctx, 'install', 'dpkg', o.operands, 'dpkg')
  else if (has(o, 'r', 'P', 'remove', 'purge')) pkg(ctx, 'remove', 'dpkg', o.operands, 'dpkg')
  else if (!has(o, 'l', 'L', 's', 'S', 'p', 'c', 'I', 'list', 'listfiles', 'status', 'search', 'print-avail', 'contents', 'info', 'print-architecture', 'print-foreign-architectures', 'get-selections', 'compare-versions', 'version', 'help', 'audit', 'verify', 'V')) {
    ctx.add({kind: 'unknown', via: 'dpkg'})
  }
}

const YUM_READ_ONLY = new Set(['list', 'info', 'search', 'provides', 'whatprovides', 'repolist', 'repoinfo', 'history', 'deplist', 'repoquery', 'check', 'check-update', 'help', 'clean', 'updateinfo', 'version', 'module-list', 'grouplist'])

const yum: Handler = (args, ctx, name) => {
  const manager: PackageManager = name === 'yum' ? 'yum' : 'dnf'
  const spec = {short: 'cdexR', long: ['config', 'debuglevel', 'errorlevel', 'exclude', 'enablerepo', 'disablerepo', 'setopt', 'releasever', 'installroot', 'repo', 'repoid', 'downloaddir', 'destdir', 'color']}
  const o = getopt(args, {...spec, stopAtOperand: true})
  const [sub, ...rest] = o.operands
  const words = getopt(rest, spec).operands
  const command = sub?.value ?? ''
  if (['install', 'localinstall', 'reinstall', 'in', 'groupinstall'].includes(command)) pkg(ctx, 'install', manager, words, name)
  else if (['remove', 'erase', 'rm', 'autoremove', 'groupremove'].includes(command)) pkg(ctx, 'remove', manager, words, name)
  else if (command === 'makecache') pkg(ctx, 'refresh', manager, [], name)
  else if (['update', 'upgrade', 'up', 'distro-sync', 'downgrade', 'upgrade-minimal', 'update-minimal'].includes(command)) pkg(ctx, 'upgrade', manager, words, name)
  else if (command === 'group' && ['install', 'remove'].includes(words[0]?.value ?? '')) pkg(ctx, words[0]!.value === 'install' ? 'install' : 'remove', manager, words.slice(1), name)
  else if (command === 'config-manager' || command === 'copr') repoFiles(ctx, name)
  else if (!YUM_READ_ONLY.has(command)) ctx.add({kind: 'irreversible', via: name, reason: `changes ${name} settings (${command || 'no command'})`})
}

/** `dnf config-manager --add-repo URL`: a repo file named by the remote side. */
function repoFiles(ctx: Ctx, via: string): void {
  fileEffect(ctx, 'write', {value: null, raw: '/etc/yum.repos.d/*', prefix: '/etc/yum.repos.d/', procSubst: false}, via)
}

const rpm: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'D', long: ['define', 'root', 'dbpath', 'qf', 'queryformat', 'eval', 'nodeps', 'excludedocs', 'prefix', 'relocate']})
  if (has(o, 'i', 'U', 'F', 'install', 'upgrade', 'freshen', 'reinstall')) pkg(ctx, 'install', 'rpm', o.operands, 'rpm')
  else if (has(o, 'e', 'erase')) pkg(ctx, 'remove', 'rpm', o.operands, 'rpm')
  // An imported key shows up in the rpm database as a gpg-pubkey package.
  else if (has(o, 'import')) pkg(ctx, 'install', 'rpm', [], 'rpm')
  else if (!has(o, 'q', 'V', 'query', 'verify', 'checksig', 'K', 'version', 'eval', 'E', 'showrc', 'help')) ctx.add({kind: 'unknown', via: 'rpm'})
}

const configManager: Handler = (_args, ctx, name) => repoFiles(ctx, name)

export const packageCommands: Record<string, Handler> = {
  apt, 'apt-get': apt, aptitude: apt, dpkg, yum, dnf: yum, microdnf: yum, tdnf: yum, rpm,
  'yum-config-manager': configManager, 'dnf-config-manager': configManager,
}
