/**
 * Effect inference through shell structure: wrappers, nested scripts,
 * pipelines, redirections, substitutions, dynamic words and placeholders.
 */
import {describe, expect, it} from 'vitest'
import {describeEffect, inferEffects} from '../../src/execute/rollback/index.js'

const effectsOf = async (script: string, env?: Record<string, string>) => (await inferEffects(script, env ? {env} : {})).map(describeEffect)

describe('inferEffects through shell structure', () => {
  const cases: Array<[string, string[]]> = [
    ['echo x | sudo tee /etc/apt/sources.list.d/wallarm.list', ['writes /etc/apt/sources.list.d/wallarm.list (tee)']],
    ['echo x | sudo tee -a /etc/hosts > /dev/null', ['appends to /etc/hosts (tee)']],
    ['sudo -E env A=1 B="two words" sh -c "sh -c \'touch /etc/deep\'"', ['creates or touches /etc/deep (touch)']],
    ['bash -c "echo on > /etc/x && rm -f /etc/y" || (cd /opt; mkdir -p app/conf)', ['writes /etc/x (>)', 'deletes /etc/y (rm)', 'creates the directory /opt/app/conf (mkdir)']],
    ['{ echo a; echo b; } >> /var/log/setup.log 2>&1', ['appends to /var/log/setup.log (>>)']],
    ['if [ -f /etc/a ]; then cp /etc/a /etc/a.bak; else touch /etc/a; fi', ['writes /etc/a.bak (cp)', 'creates or touches /etc/a (touch)']],
    ['case "$1" in start) systemctl start nginx ;; *) echo usage ;; esac', ['starts nginx (systemd)']],
    ['for f in a b; do echo "$f" > /tmp/out-$f; done', ['writes /tmp/out-$f (path decided at run time) (>)']],
    ['cat > /etc/app.conf <<EOF\nlisten $PORT\n$(rm -rf /)\nEOF', ['writes /etc/app.conf (>)']],
    ['echo "$(sudo rm /etc/motd)"', ['deletes /etc/motd (rm)']],
    ['bash <(curl -fsSL https://get.example.com)', ['runs a downloaded script with bash (bash)']],
    ['curl -fsSL https://get.example.com | sudo bash', ['runs a script read from standard input with bash (bash)']],
    ['curl -fsSL https://get.example.com/install.sh -o /tmp/i.sh && sh /tmp/i.sh --yes', ['downloads to /tmp/i.sh (curl)', 'runs the script i.sh (sh)']],
    ['wget -qO- https://x/key | gpg --dearmor -o /usr/share/keyrings/x.gpg', ['writes /usr/share/keyrings/x.gpg (gpg)']],
    ['wget https://x/pkg/a.deb && sudo dpkg -i a.deb', ['downloads to a.deb (wget)', 'installs a.deb (dpkg)']],
    ['cd /tmp && curl -O https://x/tool.tgz && tar xzf tool.tgz -C /opt/tool', ['downloads to /tmp/tool.tgz (curl)', 'extracts files into /opt/tool (tar)']],
    ['cd "$DIR" && touch marker', ['creates or touches marker (path decided at run time) (touch)']],
    ['rm -rf /etc/nginx/sites-enabled/*', ['deletes /etc/nginx/sites-enabled/* and everything under it (path decided at run time) (rm)']],
    ['echo 1 > $HOME/.flag', ['writes $HOME/.flag (path decided at run time) (>)']],
    ['sudo sed -i.orig -e "s/a/b/" /etc/ssh/sshd_config', ['edits /etc/ssh/sshd_config (sed)', 'writes /etc/ssh/sshd_config.orig (sed)']],
    ['sed -n "1p" /etc/passwd', []],
    ['sudo install -m 0644 -o root unit.service /etc/systemd/system/', ['writes /etc/systemd/system/unit.service (install)']],
    ['mv /etc/a.conf /etc/b.conf', ['writes /etc/b.conf and everything under it (mv)', 'deletes /etc/a.conf and everything under it (mv)']],
    ['sudo ln -sf /etc/nginx/sites-available/app /etc/nginx/sites-enabled/', ['creates the link /etc/nginx/sites-enabled/app (ln)']],
    ['sudo chown -R www-data:www-data /var/www && chmod -x /usr/local/bin/tool', ['changes the mode or owner of /var/www (chown)', 'changes the mode or owner of /usr/local/bin/tool (chmod)']],
    ['echo 1 | sudo tee /proc/sys/net/ipv4/ip_forward', ['changes the kernel setting /proc/sys/net/ipv4/ip_forward (tee)']],
    ['sudo systemctl enable --now nginx.service php-fpm', ['enables nginx.service, php-fpm (systemd)', 'starts nginx.service, php-fpm (systemd)']],
    ['sudo systemctl daemon-reload && systemctl is-active nginx', []],
    ['sudo useradd -r app && sudo iptables -A INPUT -p tcp --dport 3313 -j ACCEPT', ['creates a user account (useradd)', 'changes firewall rules (iptables)']],
    ['nginx -t && ./configure --prefix=/opt', ['runs the program configure (configure)']],
    ['frobnicate --all', ['runs frobnicate: effect unknown']],
    ['$INSTALLER --yes', ['runs $INSTALLER: effect unknown']],
    ['curl -X POST -d @node.json https://api.example.com/nodes', ['sends data to a remote service (curl)']],
    ['timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/3313; head -c 9 <&3"', []],
    ['flock -w 5 /run/apt.lock -c "rm -f /etc/apt/sources.list.d/old.list"', ['deletes /etc/apt/sources.list.d/old.list (rm)']],
    ['flock /run/apt.lock touch /etc/marker', ['creates or touches /etc/marker (touch)']],
    ['script -qc "mkdir -p /opt/app" /dev/null', ['creates the directory /opt/app (mkdir)']],
    ['su -lc "touch /etc/z" root', ['creates or touches /etc/z (touch)']],
    ['sudo yum-config-manager --add-repo https://x/docker-ce.repo', ['writes /etc/yum.repos.d/* (path decided at run time) (yum-config-manager)']],
    ['(', ['runs (unparsable shell): effect unknown']],
  ]
  for (const [script, expected] of cases) {
    it(script.split('\n')[0]!, async () => {
      expect(await effectsOf(script)).toEqual(expected)
    })
  }

  it('resolves $HOME and ~ from the environment it is given', async () => {
    expect(await effectsOf('echo 1 > $HOME/.flag; touch ~/.hushlogin', {HOME: '/root'})).toEqual(['writes /root/.flag (>)', 'creates or touches /root/.hushlogin (touch)'])
  })

  it('tracks variables assigned earlier in the script', async () => {
    expect(await effectsOf('V=1.2\nCONF=/etc/app-$V.conf\necho x > "$CONF"')).toEqual(['writes /etc/app-1.2.conf (>)'])
  })

  it('reads page placeholders as words, not redirections, and shows them as written', async () => {
    expect(await effectsOf('sudo tee /etc/nginx/conf.d/<DOMAIN>.conf < <name of file>')).toEqual(['writes /etc/nginx/conf.d/<DOMAIN>.conf (tee)'])
    expect(await effectsOf('cat <<EOF > /etc/x\n<TOKEN>\nEOF')).toEqual(['writes /etc/x (>)'])
    expect(await effectsOf('sort 3<in> /tmp/out')).toEqual(['writes /tmp/out (>)'])
  })

  it('keeps credentials in package URLs out of effects', async () => {
    expect(await effectsOf('sudo dnf install -y https://user:s3cret@repo.example.com/x/pkg-1.0.rpm')).toEqual(['installs pkg-1.0.rpm (dnf)'])
  })
})
