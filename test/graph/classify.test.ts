/**
 * What a fence is for, on blocks copied from the seeds and the corpus (the
 * comment before each names where it comes from).
 */
import {describe, expect, it} from 'vitest'
import {classifyBlock, commandWord, normaliseLang} from '../../src/graph/classify.js'

const afterEdit = {kind: 'edit', file: '/etc/default/wallarm-tarantool'}

describe('classifyBlock', () => {
  it('reads KEY=VALUE lines right after an editor as the file content (seed manual step 4, `HOST`)', () => {
    const value = "# address and port for bind\nHOST='0.0.0.0'\nPORT=3313"
    expect(classifyBlock('bash', value, afterEdit)).toEqual({kind: 'file-content', script: value, interactive: false, sudo: false})
    // The same lines with no editor before them are shell assignments.
    expect(classifyBlock('bash', value).kind).toBe('exec')
  })

  it('reads the unlabeled SLAB_ALLOC_ARENA line after the editor as file content (seed all-in-one step 4)', () => {
    expect(classifyBlock('', 'SLAB_ALLOC_ARENA=2.0', {kind: 'edit', file: '/opt/wallarm/env.list'})).toEqual({kind: 'file-content', script: 'SLAB_ALLOC_ARENA=2.0', interactive: false, sudo: false})
    // ...and the next KEY=VALUE block after that content too.
    expect(classifyBlock('', 'SLAB_ALLOC_ARENA=2.0', {kind: 'file-content'}).kind).toBe('file-content')
  })

  it('reads node.yaml fenced as bash as file content (seed manual step 4)', () => {
    const value = "hostname: <name of postanalytics node>\nuuid: <UUID of postanalytics node>\nsecret: <secret key of postanalytics node>\ntarantool:\n    host: '<IP address of Tarantool>'\n    port: 3313"
    expect(classifyBlock('bash', value)).toEqual({kind: 'file-content', script: value, interactive: false, sudo: false})
  })

  it('reads the unlabeled nginx upstream block as file content (seed step 7)', () => {
    const value = 'upstream wallarm_tarantool {\n    server <ip1>:3313 max_fails=0 fail_timeout=0 max_conns=1;\n    server <ip2>:3313 max_fails=0 fail_timeout=0 max_conns=1;\n    \n    keepalive 2;\n    }\n\n    # omitted\n\nwallarm_tarantool_upstream wallarm_tarantool;'
    expect(classifyBlock('', value).kind).toBe('file-content')
    // Labelled nginx (GetPageSpeed module pages): any non-shell language is file content.
    expect(classifyBlock('nginx', 'load_module modules/ngx_http_brotli_filter_module.so;').kind).toBe('file-content')
  })

  it('runs an unlabeled command block (seed all-in-one step 4)', () => {
    expect(classifyBlock('', 'sudo systemctl restart wallarm.service')).toEqual({kind: 'exec', script: 'sudo systemctl restart wallarm.service', interactive: false, sudo: true})
  })

  it('reads looking commands as checks (seed step 8)', () => {
    expect(classifyBlock('bash', 'curl http://localhost/etc/passwd')).toEqual({kind: 'check', script: 'curl http://localhost/etc/passwd', interactive: false, sudo: false})
    expect(classifyBlock('bash', 'sudo systemctl status wallarm-tarantool')).toMatchObject({kind: 'check', sudo: true})
    expect(classifyBlock('bash', 'sudo cat /opt/wallarm/var/log/wallarm/tarantool.log')).toMatchObject({kind: 'check', sudo: true})
    expect(classifyBlock('bash', 'curl http://127.0.0.8/wallarm-status').kind).toBe('check')
    expect(classifyBlock('bash', '# run from the server with the postanalytics module\napt list wallarm-node-tarantool').kind).toBe('check')
    expect(classifyBlock('bash', 'yum list wallarm-node-tarantool').kind).toBe('check')
    expect(classifyBlock('bash', 'sudo systemctl --no-pager status nginx').kind).toBe('check')
  })

  it('runs commands that change something (seed all-in-one step 1, manual step 1)', () => {
    expect(classifyBlock('bash', 'curl -O https://meganode.wallarm.com/4.8/wallarm-4.8.8.x86_64-glibc.sh')).toEqual({kind: 'exec', script: 'curl -O https://meganode.wallarm.com/4.8/wallarm-4.8.8.x86_64-glibc.sh', interactive: false, sudo: false})
    const repo = "sudo apt -y install dirmngr\ncurl -fsSL https://repo.wallarm.com/wallarm.gpg | sudo apt-key add -\nsh -c \"echo 'deb https://repo.wallarm.com/debian/wallarm-node buster/4.8/' | sudo tee /etc/apt/sources.list.d/wallarm.list\"\nsudo apt update"
    expect(classifyBlock('bash', repo)).toEqual({kind: 'exec', script: repo, interactive: false, sudo: true})
    expect(classifyBlock('bash', 'curl -fsSL https://repo.wallarm.com/wallarm.gpg | sudo apt-key add -')).toMatchObject({kind: 'exec', sudo: true})
    expect(classifyBlock('bash', 'sudo systemctl restart nginx').kind).toBe('exec')
    expect(classifyBlock('bash', 'echo hello > /etc/motd').kind).toBe('exec')
  })

  it('never takes a heredoc body for program output, whatever its lines look like', () => {
    // Lua comments (`-- `), quoted mail (`> `), an ellipsis, a syslog-style line: data the command reads.
    for (const body of ['-- Managed by runbook\nbox.cfg{}', '> quoted line', '...', 'Jan 22 15:59:14 host app[1]: started']) {
      for (const [open, close] of [["<<'LUA'", 'LUA'], ['<<EOF', 'EOF'], ['<<- "END"', 'END']]) {
        const script = `sudo tee /etc/app.conf > /dev/null ${open}\n${body}\n${close}\necho written`
        const classified = classifyBlock('bash', script)
        expect(classified.output).toBeUndefined()
        expect(classified.script).toBe(script)
      }
    }
    // After the heredoc closes, output lines are output again.
    expect(classifyBlock('bash', "cat <<'EOF'\n-- kept\nEOF\n-- Logs begin at Mon").output).toEqual({text: '-- Logs begin at Mon', line: 3})
  })

  it('keeps the commands of a `$ ` transcript, drops the output and shows it as an example; a bare `$ ` command runs (GetPageSpeed echo module)', () => {
    const transcript = {role: 'example', reason: 'a transcript: commands after "$ " shown with what they print'}
    expect(classifyBlock('bash', "\n $ curl 'http://localhost/echo'\n hello\n world")).toEqual({kind: 'check', script: "curl 'http://localhost/echo'", interactive: false, sudo: false, shown: transcript})
    expect(classifyBlock('bash', "   $ curl -I 'http://localhost/echo'\n   HTTP/1.1 200 OK\n   Server: nginx/0.8.20\n   Date: Sat, 17 Oct 2009 03:40:19 GMT\n   Content-Type: text/plain")).toMatchObject({kind: 'check', script: "curl -I 'http://localhost/echo'", shown: transcript})
    expect(classifyBlock('', '$ make && sudo make install')).toEqual({kind: 'exec', script: 'make && sudo make install', interactive: false, sudo: true})
    // A continued command keeps its continuation lines.
    expect(classifyBlock('console', '$ sudo dnf install \\\n    nginx\nComplete!').script).toBe('sudo dnf install \\\n    nginx')
  })

  it('splits off what a command prints after it, but never the body of a here-document, whatever its lines look like', () => {
    const printed = 'journalctl -u pbm-agent.service\n-- Logs begin at Tue 2024-01-22 09:31:34 JST. --\nJan 22 15:59:14 : Started pbm-agent.'
    expect(classifyBlock('bash', printed)).toEqual({
      kind: 'check', script: 'journalctl -u pbm-agent.service', interactive: false, sudo: false,
      output: {text: '-- Logs begin at Tue 2024-01-22 09:31:34 JST. --\nJan 22 15:59:14 : Started pbm-agent.', line: 1},
    })
    // A Lua comment (`-- `), a quoted mail line (`> `), `...` and a syslog-like date in a body are the file's text.
    for (const [opener, closer] of [["<<'LUA'", 'LUA'], ['<<LUA', 'LUA'], ['<< "LUA"', 'LUA'], ['<<-LUA', '\tLUA']]) {
      const script = `sudo tee /etc/tarantool/instances.enabled/runbook.lua > /dev/null ${opener}\n-- Managed by hand\n> quoted\n...\nJan 22 15:59:14 x\nbox.cfg{listen = 3313}\n${closer}`
      expect(classifyBlock('bash', script)).toEqual({kind: 'exec', script, interactive: false, sudo: true})
    }
    // After the body ends, printed lines are output again; a here-string (`<<<`) opens no body.
    expect(classifyBlock('bash', "cat <<EOF\n-- body\nEOF\ntail /var/log/x.log\n...").output).toEqual({text: '...', line: 4})
    expect(classifyBlock('bash', "grep -c x <<< 'y'\n-- Logs begin at Tue --").output).toEqual({text: '-- Logs begin at Tue --', line: 1})
  })

  it('keeps program output and text as context, never run (percona describe-backup)', () => {
    expect(classifyBlock('text', 'name: "2022-08-17T10:49:03Z"\ntype: logical').kind).toBe('context')
    expect(classifyBlock('{.text .no-copy}', 'pbm describe-backup 2025-06-05T16:57:35Z\nname: "2025-06-05T16:57:35Z"').kind).toBe('context')
    expect(classifyBlock('', 'HTTP/1.1 200 OK\nServer: nginx').kind).toBe('context')
    expect(classifyBlock('bash', '\n\n').kind).toBe('context')
  })

  it('opens an editor on a file: edit, interactive, with the file (seed manual step 4)', () => {
    expect(classifyBlock(' bash', 'sudo vim /etc/default/wallarm-tarantool')).toEqual({
      kind: 'edit',
      script: 'sudo vim /etc/default/wallarm-tarantool',
      file: '/etc/default/wallarm-tarantool',
      interactive: true,
      sudo: true,
    })
    expect(classifyBlock('bash', 'sudo nano /etc/nginx/conf.d/default.conf')).toMatchObject({kind: 'edit', file: '/etc/nginx/conf.d/default.conf'})
  })

  it('reads the label of a fence as the language, whatever its spelling', () => {
    expect(['bash', ' bash', '{.bash .wrapped-code}', 'bash title="install.sh"', 'Bash', '', null, undefined].map(normaliseLang)).toEqual(['bash', 'bash', 'bash', 'bash', 'bash', '', '', ''])
    expect(commandWord('sudo env WALLARM_LABELS=group=x sh wallarm.sh postanalytics')).toBe('sh')
    expect(commandWord('sudo -u nginx /usr/sbin/nginx -t')).toBe('nginx')
    // The value of `-u` is no command (percona restore-external, wallarm collectd-nagios).
    expect(commandWord('sudo -u mongod -s pbm restore-finish <restore_name> -c </path/to/pbm-config.yaml> --mongodb-uri=MONGODB_URI')).toBe('pbm')
    expect(commandWord('sudo -u nagios sudo /usr/bin/collectd-nagios -s /var/run/wallarm-collectd-unixsock -n curl_json-wallarm_nginx/gauge-abnormal -H node.example.local')).toBe('collectd-nagios')
    expect(classifyBlock('', 'sudo -u mongod -s pbm restore-finish <restore_name> -c </path/to/pbm-config.yaml> --mongodb-uri=MONGODB_URI')).toMatchObject({kind: 'exec', sudo: true})
  })
})

describe('shell test commands start with a bracket, like config', () => {
  it('reads `[ … ]` and `[[ … ]]` lines as commands, and arrays and ini sections still as content', () => {
    const commands = [
      '[[ -f /etc/wallarm/node.yaml ]] && echo present',
      '[ -d /opt/wallarm ] || mkdir -p /opt/wallarm',
      '[[ $(id -u) -eq 0 ]] || exit 1',
      '[ "$ID" = debian ] && apt-get update',
      '[[ $VERSION == 4.* ]]',
      '[ ! -e /tmp/x ]; echo $?',
      '[[ -n "$TOKEN" ]] || { echo "no token"; exit 1; }',
    ]
    for (const value of commands) expect({value, kind: classifyBlock('bash', value).kind}).toEqual({value, kind: value.includes('mkdir') || value.includes('apt-get') || value.includes('exit') ? 'exec' : expect.stringMatching(/^(exec|check)$/)})
    expect(classifyBlock('bash', '[[ -f /etc/x ]] && echo yes\n[ -d /opt ] && echo dir').kind).not.toBe('file-content')
    expect(classifyBlock('', '[1, 2, 3]').kind).toBe('file-content')
    expect(classifyBlock('', '{"a": [1]}').kind).toBe('file-content')
    expect(classifyBlock('', '[main]\nenabled = 1\ngpgcheck = 0').kind).toBe('file-content')
    expect(classifyBlock('', '[wallarm-node]\nname=Wallarm\nbaseurl=https://repo.example/el8').kind).toBe('file-content')
  })
})
