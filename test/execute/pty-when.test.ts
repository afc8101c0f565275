/**
 * The rule that sends a command to a pseudo-terminal (pty/when.ts), by
 * family: what asks, what is told not to, what never asks. The 200-trivial-
 * steps benchmark relies on plain commands staying in the run's shell.
 */
import {describe, expect, it} from 'vitest'
import {promptReason, terminalUse} from '../../src/execute/pty/when.js'

describe('promptReason', () => {
  it('scripts run from a file, and programs that ask unless told not to', () => {
    expect(
      [
        'sh wallarm-4.8.8.x86_64-glibc.sh postanalytics',
        'sudo env WALLARM_LABELS=group=x sh installer.sh filtering',
        './install.sh',
        '/opt/vendor/setup.run --target /opt',
        'sudo apt-get install nginx',
        'apt remove --purge nginx',
        'yum install httpd',
        'sudo dnf upgrade',
        'read -r -p "Name: " name',
        'sudo dpkg -i vendor.deb',
        'dpkg --force-confask -i vendor.deb',
        'dpkg-reconfigure tzdata',
        'certbot --nginx -d example.com',
        'mysql_secure_installation',
        'passwd deploy',
        'ufw enable',
        'openssl req -new -key k.pem -out r.csr',
      ].map((s) => [s, promptReason(s) !== undefined]),
    ).toEqual(
      [
        ['sh wallarm-4.8.8.x86_64-glibc.sh postanalytics', true],
        ['sudo env WALLARM_LABELS=group=x sh installer.sh filtering', true],
        ['./install.sh', true],
        ['/opt/vendor/setup.run --target /opt', true],
        ['sudo apt-get install nginx', true],
        ['apt remove --purge nginx', true],
        ['yum install httpd', true],
        ['sudo dnf upgrade', true],
        ['read -r -p "Name: " name', true],
        ['sudo dpkg -i vendor.deb', true],
        ['dpkg --force-confask -i vendor.deb', true],
        ['dpkg-reconfigure tzdata', true],
        ['certbot --nginx -d example.com', true],
        ['mysql_secure_installation', true],
        ['passwd deploy', true],
        ['ufw enable', true],
        ['openssl req -new -key k.pem -out r.csr', true],
      ],
    )
  })

  it('told not to ask, or never asking: stays in the run shell', () => {
    for (const script of [
      'true',
      'echo "preparing"',
      'sudo apt-get install -y nginx',
      'apt-get -qq install nginx',
      'sudo apt-get update',
      'yum -y install httpd',
      'dnf install --assumeyes httpd',
      'dpkg -l | grep nginx',
      'dpkg --force-confold -i vendor.deb',
      'dpkg-reconfigure -f noninteractive tzdata',
      'certbot -n --nginx',
      'bash -c "echo hi"',
      'curl -fsSL https://example.com/install | sudo bash',
      'ufw allow 22/tcp',
      'openssl req -new -subj /CN=x -key k.pem',
      'systemctl restart nginx',
      '# sh installer.sh, in a comment',
    ]) {
      expect(promptReason(script), script).toBeUndefined()
    }
  })

  it('one rule for the executor and the dry-run: interactive actions, prompting commands, declared answers', () => {
    expect(terminalUse({kind: 'exec', interactive: false, script: 'true'}, 0)).toEqual({pty: false, unattendedEnv: {}})
    expect(terminalUse({kind: 'exec', interactive: false, script: 'true'}, 2)).toEqual({pty: true, reason: 'the page declares answers for this step', unattendedEnv: {}})
    expect(terminalUse({kind: 'exec', interactive: true, script: 'less /var/log/syslog'}, 0).pty).toBe(true)
    expect(terminalUse({kind: 'exec', interactive: false, script: 'sudo apt-get install -y nginx'}, 0)).toEqual({pty: false, unattendedEnv: {DEBIAN_FRONTEND: 'noninteractive'}})
    expect(terminalUse({kind: 'exec', interactive: false, script: 'apt install nginx'}, 0)).toEqual({pty: true, reason: 'apt asks unless told not to', unattendedEnv: {DEBIAN_FRONTEND: 'noninteractive'}})
    expect(terminalUse({kind: 'file-content', interactive: false, script: 'read x'}, 1).pty).toBe(false)
  })
})
