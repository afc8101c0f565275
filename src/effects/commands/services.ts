/**
 * Service managers: which units a command starts, stops, enables or disables.
 */
import type {ServiceManager, ServiceOp} from '../effect-types.js'
import type {Arg} from '../shell/words.js'
import type {Ctx, Handler} from './context.js'
import {getopt, has} from './getopt.js'

function svc(ctx: Ctx, op: ServiceOp, manager: ServiceManager, units: Arg[], via: string): void {
  ctx.add({kind: 'service', op, manager, units: units.map((u) => u.value ?? u.raw), via})
}

const SYSTEMCTL_OPS: Record<string, ServiceOp> = {
  start: 'start', stop: 'stop', kill: 'stop', restart: 'restart', 'try-restart': 'restart', condrestart: 'restart',
  'reload-or-restart': 'restart', 'try-reload-or-restart': 'restart', 'force-reload': 'restart', reload: 'reload',
  enable: 'enable', reenable: 'enable', preset: 'enable', disable: 'disable', mask: 'mask', unmask: 'unmask',
}
const SYSTEMCTL_READ_ONLY = new Set(['status', 'show', 'cat', 'help', 'is-active', 'is-enabled', 'is-failed', 'is-system-running', 'list-units', 'list-unit-files', 'list-timers', 'list-sockets', 'list-dependencies', 'list-jobs', 'get-default', 'show-environment', 'daemon-reload', 'daemon-reexec'])

const systemctl: Handler = (args, ctx) => {
  const o = getopt(args, {short: 'tpHMnos', long: ['type', 'state', 'property', 'host', 'machine', 'lines', 'output', 'kill-who', 'signal', 'root', 'job-mode', 'what', 'timestamp']})
  const [sub, ...units] = o.operands
  const command = sub?.value ?? ''
  const op = SYSTEMCTL_OPS[command]
  if (op) {
    svc(ctx, op, 'systemd', units, 'systemctl')
    if (has(o, 'now') && (op === 'enable' || op === 'disable' || op === 'mask')) svc(ctx, op === 'enable' ? 'start' : 'stop', 'systemd', units, 'systemctl')
  } else if (command === 'edit' || command === 'set-property' || command === 'revert') {
    ctx.add({kind: 'irreversible', via: 'systemctl', reason: `changes unit settings (systemctl ${command})`})
  } else if (!SYSTEMCTL_READ_ONLY.has(command)) {
    ctx.add({kind: 'irreversible', via: 'systemctl', reason: `changes the system state (systemctl ${command || 'no command'})`})
  }
}

const SYSV_OPS: Record<string, ServiceOp> = {start: 'start', stop: 'stop', restart: 'restart', 'force-reload': 'restart', 'try-restart': 'restart', condrestart: 'restart', reload: 'reload'}

/** `service NAME ACTION`, `invoke-rc.d NAME ACTION`, `/etc/init.d/NAME ACTION`. */
const sysv: Handler = (args, ctx, name) => {
  const initd = name !== 'service' && name !== 'invoke-rc.d'
  const ops = getopt(args, {}).operands
  const [unit, action] = initd ? [{value: name, raw: name, prefix: name, procSubst: false}, ops[0]] : ops
  if (!unit || !action) return
  const op = SYSV_OPS[action.value ?? '']
  if (op) svc(ctx, op, 'sysv', [unit], initd ? '/etc/init.d' : name)
  else if (!['status', '--status-all'].includes(action.value ?? '')) ctx.add({kind: 'unknown', via: name})
}

const tarantoolctl: Handler = (args, ctx) => {
  const [sub, instance] = getopt(args, {}).operands
  const op = SYSV_OPS[sub?.value ?? '']
  if (op && instance) svc(ctx, op, 'tarantoolctl', [instance], 'tarantoolctl')
  else if (!['status', 'check', 'enter', 'connect', 'eval', 'cat', 'play', 'logrotate'].includes(sub?.value ?? '')) ctx.add({kind: 'unknown', via: 'tarantoolctl'})
}

export const serviceCommands: Record<string, Handler> = {systemctl, service: sysv, 'invoke-rc.d': sysv, tarantoolctl}

/** `/etc/init.d/nginx restart` is dispatched by path. */
export const initScript: Handler = sysv
