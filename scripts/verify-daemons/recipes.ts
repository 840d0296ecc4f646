/**
 * What a daemon needs beyond its foreground words to start in the sandbox: a minimal
 * configuration on loopback in the run's temp dir (@TMP@), the system user its package's
 * postinst would create, the directories its tmpfiles.d would create. Keyed by entry id.
 * A recipe never adds flags that change whether the daemon forks: only the entry's
 * foreground words do that.
 */
export interface Recipe {
  /** command_args (configuration file, loopback address, temp paths). */
  args?: string;
  /** Shell run inside the sandbox before start (after SETUP_PRELUDE). */
  setup?: string;
  /** command_user. */
  user?: string;
  /** The binary's path inside the sandbox when not the one apt-file found. */
  binary?: string;
  /** The Debian package, when several ship the binary. */
  pkg?: string;
  /** Why this daemon is not run here. */
  skip?: string;
  /**
   * What the daemon needs that the test machine lacks (a device, a peer): if it dies,
   * the report says so instead of holding it against the entry.
   */
  needs?: string;
  /** More Debian packages to unpack with it (e.g. a plugin it cannot start without). */
  extraPackages?: string[];
  /**
   * How long to watch it before the kill, when the usual wait (--wait, 3 s) is shorter than
   * something the daemon does on its own after starting (an idle timeout that ends it).
   */
  waitMs?: number;
}

/** A throw-away Kerberos realm (EXAMPLE.ORG, database in the temp dir, KDC on port 8888). */
const KDC_SETUP = `mkdir -p /etc/krb5kdc; printf '[realms]\nEXAMPLE.ORG = {\n  database_name = @TMP@/principal\n  key_stash_file = @TMP@/stash\n  kdc_ports = 8888\n  kdc_tcp_ports = 8888\n  acl_file = /etc/krb5kdc/kadm5.acl\n}\n' > /etc/krb5kdc/kdc.conf
printf '[libdefaults]\n  default_realm = EXAMPLE.ORG\n' > /etc/krb5.conf
kdb5_util create -s -P verify -r EXAMPLE.ORG > /dev/null`;

/**
 * Shell helpers for recipes: `sysuser NAME [HOME]` adds a system user+group (as postinst
 * would), with a locked /etc/shadow entry as adduser --system makes: supervise-daemon's
 * command_user goes through PAM, whose account check fails for a user shadow does not know
 * ("pam error: Authentication failure", no child at all). Not part of a result's --reuse key: after changing them, bump VERIFIER_VERSION in
 * main.ts or run the affected ids with --fresh.
 */
export const SETUP_PRELUDE = `sysuser() {
  grep -q "^$1:" /etc/group || echo "$1:x:$(( 60000 + $(wc -l < /etc/group) )):" >> /etc/group
  gid=$(grep "^$1:" /etc/group | cut -d: -f3)
  grep -q "^$1:" /etc/passwd || echo "$1:x:$gid:$gid:$1:\${2:-/nonexistent}:/usr/sbin/nologin" >> /etc/passwd
  grep -q "^$1:" /etc/shadow || echo "$1:!:$(( $(date +%s) / 86400 ))::::::" >> /etc/shadow
}
# A system bus for daemons that register on D-Bus (the host's dbus-daemon; started before
# the daemon, so the verifier does not count it as escaped).
systembus() {
  mkdir -p /run/dbus && dbus-daemon --system --fork --nopidfile
}
# A veth pair v0 (10.9.0.1/24) <-> v1 (10.9.0.2/24) inside the private network namespace,
# for daemons that need a real interface. It returns once duplicate address detection has
# finished (about 2 s): until then the IPv6 link-local addresses are "tentative" and a bind()
# to them fails with EADDRNOTAVAIL, which a daemon binding every address of v0 (gerbera's
# libupnp) reports as a taken port, on every respawn; an interface up since boot has no such state.
veth() {
  ip link add v0 type veth peer name v1 && ip addr add 10.9.0.1/24 dev v0 && ip addr add 10.9.0.2/24 dev v1 &&
    ip link set v0 up && ip link set v1 up || return 1
  for _ in $(seq 50); do [ -z "$(ip -6 addr show tentative)" ] && return 0; sleep 0.1; done
  echo "veth: IPv6 addresses still tentative after 5 s" >&2; return 1
}
`;

const HOST_WIDE = (what: string) =>
  `not run: it would ${what} of the test machine itself (the sandbox shares the host's kernel, /proc, /sys and /dev)`;

/** Debian's rpcbind drops to the user _rpc (its postinst adds it, tmpfiles.d makes /run/rpcbind). */
const RPCBIND_USER = 'sysuser _rpc /run/rpcbind; mkdir -p /run/rpcbind && chown _rpc /run/rpcbind';
/** For an RPC daemon that registers with rpcbind: rpcbind (it forks) started before it. */
const WITH_RPCBIND: Recipe = { extraPackages: ['rpcbind'], setup: `${RPCBIND_USER}; rpcbind` };

export const RECIPES: Record<string, Recipe> = {
  // --- not run: they act on the host kernel or hardware, which no namespace here isolates
  watchdog: { skip: HOST_WIDE('open /dev/watchdog and reboot the machine when it stops feeding it') },
  wdmd: { skip: HOST_WIDE('open /dev/watchdog (reboot when not fed)') },
  auditd: { skip: HOST_WIDE('change the kernel audit configuration') },
  bootlogd: { skip: HOST_WIDE('redirect the console') },
  cachefilesd: { skip: HOST_WIDE('bind the kernel cachefiles cache') },
  irqbalance: { skip: HOST_WIDE('move the IRQ affinities') },
  thermald: { skip: HOST_WIDE('change the CPU power and thermal settings') },
  tuned: { skip: HOST_WIDE('change sysctl and power settings') },
  fancontrol: { skip: HOST_WIDE('drive the fans (hwmon pwm)') },
  multipathd: { skip: HOST_WIDE('claim block devices through device-mapper') },
  smartd: { skip: HOST_WIDE('probe the disks') },
  xenwatchdogd: { skip: HOST_WIDE('arm a watchdog') },
  rngd: { skip: HOST_WIDE("feed the kernel's entropy pool") },

  // --- a minimal configuration

  innd: {
    skip: "Debian's /usr/sbin/innd is INN 1.7 (package inn); INN 2 (inn2) needs its news spool, history and active files set up first (not attempted)",
  },
  // --- third round: entries added to the knowledge base meanwhile
  atd: { setup: 'sysuser daemon; mkdir -p /var/spool/cron/atjobs /var/spool/cron/atspool' },
  atftpd: { args: '--daemon --bind-address 127.0.0.1 --port 6969 --user nobody --group nogroup @TMP@' },
  'bacula-dir': { needs: 'a Bacula configuration and catalog (made at install)' },
  'bacula-fd': { needs: 'a Bacula configuration (made at install)' },
  'bacula-sd': { needs: 'a Bacula configuration (made at install)' },
  bird: {
    args: '-c @TMP@/bird.conf -s @TMP@/bird.ctl',
    setup: `printf 'router id 10.9.0.1;\nprotocol device {\n}\n' > @TMP@/bird.conf`,
  },
  clamd: { needs: 'a ClamAV signature database (fetched by freshclam)' },
  freshclam: { args: '-d', needs: 'network access to the ClamAV mirrors' },
  connmand: { setup: 'systembus' },
  etcd: {
    args: '--data-dir @TMP@/etcd --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380',
  },
  fetchmail: {
    // daemon mode comes from the rc file (set daemon), as in the init scripts' fetchmailrc
    args: '-f @TMP@/fetchmailrc',
    setup: `printf 'set daemon 300\npoll 127.0.0.1 protocol pop3 user x password y\n' > @TMP@/fetchmailrc; chmod 600 @TMP@/fetchmailrc`,
  },
  haproxy: {
    args: '-f @TMP@/haproxy.cfg',
    setup: `printf 'global\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 5s\n  timeout server 5s\nfrontend f\n  bind 127.0.0.1:8081\n' > @TMP@/haproxy.cfg`,
  },
  i2pd: { args: '--datadir=@TMP@' },
  irexec: { needs: 'a running lircd' },
  lircmd: { needs: 'a running lircd' },
  krb5kdc: { setup: KDC_SETUP },
  kadmind: { setup: KDC_SETUP + '; touch /etc/krb5kdc/kadm5.acl' },
  kpropd: { needs: 'a host keytab and a primary KDC' },
  lighttpd: {
    args: '-f @TMP@/lighttpd.conf',
    setup: `printf 'server.document-root = "@TMP@"\nserver.port = 8082\nserver.bind = "127.0.0.1"\n' > @TMP@/lighttpd.conf`,
  },
  mcollectived: { needs: 'a middleware broker (ActiveMQ/RabbitMQ)' },
  memcached: { args: '-l 127.0.0.1 -p 11211 -u nobody' },
  mfscgiserv: { args: '-H 127.0.0.1 -P 9425' },
  mosquitto: {
    args: '-c @TMP@/mosquitto.conf',
    setup: `sysuser mosquitto; printf 'listener 1883 127.0.0.1\n' > @TMP@/mosquitto.conf`,
  },
  nscd: { setup: 'mkdir -p /run/nscd /var/cache/nscd' },
  // util-linux's uuidd binds /run/uuidd/request; the package's tmpfiles.d makes the directory.
  uuidd: { setup: 'mkdir -p /run/uuidd' },
  nsd: {
    args: '-c @TMP@/nsd.conf',
    setup: `sysuser nsd; chmod 777 @TMP@; printf 'server:\n  ip-address: 127.0.0.1\n  port: 5354\n  zonelistfile: "@TMP@/zone.list"\n  xfrdfile: "@TMP@/xfrd.state"\n  database: ""\nremote-control:\n  control-enable: no\n' > @TMP@/nsd.conf`,
  },
  opendkim: {
    args: '-x @TMP@/opendkim.conf',
    setup: `sysuser opendkim; printf 'Socket inet:8891@127.0.0.1\nUserID opendkim\nMode v\n' > @TMP@/opendkim.conf`,
  },
  'pure-ftpd': { args: '-S 127.0.0.1,2122' },
  rarpd: { args: 'v0', setup: 'veth; touch /etc/ethers' },
  'redis-sentinel': {
    args: '@TMP@/sentinel.conf',
    setup: `printf 'port 26379\nbind 127.0.0.1\ndir @TMP@\nsentinel monitor m 127.0.0.1 6379 1\n' > @TMP@/sentinel.conf`,
  },
  'rpc.statd': { needs: 'a running rpcbind' },
  rsyslogd: {
    args: '-f @TMP@/rsyslog.conf',
    setup: `printf 'module(load="imtcp")\ninput(type="imtcp" port="5515" address="127.0.0.1")\n*.* @TMP@/messages\n' > @TMP@/rsyslog.conf`,
  },
  squid: {
    args: '-f @TMP@/squid.conf',
    // The sandbox shares the host's /dev: a private /dev/shm, where the kid makes its shared memory.
    setup: `mount -t tmpfs -o mode=1777 tmpfs /dev/shm; sysuser proxy; chmod 777 @TMP@; printf 'http_port 127.0.0.1:3128\ncache_log @TMP@/cache.log\naccess_log none\n' > @TMP@/squid.conf`,
  },
  turnserver: { args: '--listening-ip=127.0.0.1 --listening-port=3478 --no-cli --log-file=stdout' },
  unbound: {
    args: '-c @TMP@/unbound.conf',
    setup: `printf 'server:\n  interface: 127.0.0.1\n  port: 5355\n  username: ""\n  chroot: ""\n  do-ip6: no\n' > @TMP@/unbound.conf`,
  },
  xdm: { needs: 'an X server' },
  xenconsoled: { needs: 'a Xen hypervisor' },
  xl2tpd: {
    args: '-c @TMP@/xl2tpd.conf -C @TMP@/l2tp-control',
    setup: `printf '[global]\nlisten-addr = 127.0.0.1\nport = 1701\n' > @TMP@/xl2tpd.conf`,
  },
  zebra: {
    skip: 'Debian has no Quagga: FRR keeps its zebra in /usr/lib/frr, and /usr/sbin/bgpd is OpenBGPD, another program',
  },
  // The kb cupsd entry gives -F itself; the rule relies on the stock -f (rule:cupsd below).
  'kb:cupsd': {
    args: '-c @TMP@/cupsd.conf',
    setup: `sysuser lp; sysuser lpadmin; printf 'Listen 127.0.0.1:6631\nErrorLog stderr\nAccessLog stderr\nPageLog stderr\n' > @TMP@/cupsd.conf`,
  },
  'calibre-server': {
    args: '--listen-on 127.0.0.1 --port 8085 @TMP@',
    needs: 'a calibre library (made with calibredb)',
  },
  conmand: { needs: 'a console to manage (conman.conf with a serial device)' },
  // --- fifth round: batches b4, b5
  'bmc-watchdog': { skip: HOST_WIDE('arm the BMC watchdog (a reset when it is not fed)') },
  haveged: { skip: HOST_WIDE("feed the kernel's entropy pool") },
  'hd-idle': { skip: HOST_WIDE('spin down the disks') },
  htpdate: { skip: HOST_WIDE('set the clock') },
  argus: { args: '-i v0 -w @TMP@/argus.out', setup: 'veth' },
  'cf-execd': { needs: 'a CFEngine policy (bootstrapped hub)' },
  'cf-serverd': { needs: 'a CFEngine policy (bootstrapped hub)' },
  'cf-monitord': { needs: 'a CFEngine policy (bootstrapped hub)' },
  conserver: { needs: 'consoles to manage (conserver.cf)' },
  errbot: { needs: 'an errbot config.py with a chat backend' },
  firewalld: { setup: 'systembus' },
  fort: { needs: 'RPKI trust anchors (TALs) and network access' },
  gssproxy: { setup: 'mkdir -p /var/lib/gssproxy/clients /run/gssproxy' },
  inspircd: { needs: 'an inspircd.conf (the package ships only examples)' },
  ipmiseld: { needs: 'an IPMI BMC' },
  ipmidetectd: { needs: 'an IPMI BMC' },
  knockd: {
    args: '-i v0 -c @TMP@/knockd.conf',
    setup: `veth; printf '[options]\n  logfile = @TMP@/knockd.log\n' > @TMP@/knockd.conf`,
  },
  lldpd: { setup: 'veth; sysuser _lldpd; mkdir -p /run/lldpd' },
  netserver: { args: '-L 127.0.0.1 -p 12865' },
  oddjobd: { setup: 'systembus' },
  ofonod: { setup: 'systembus' },
  'ovsdb-server': {
    args: '@TMP@/conf.db --remote=punix:@TMP@/db.sock',
    // its control socket goes in /run/openvswitch, which ovs-ctl (the package's init) makes
    setup: 'mkdir -p /run/openvswitch; ovsdb-tool create @TMP@/conf.db /usr/share/openvswitch/vswitch.ovsschema',
    // the schema is shipped by openvswitch-switch, not by openvswitch-common (ovsdb-server's package)
    extraPackages: ['openvswitch-switch'],
  },
  // Debian's rpcbind drops to the user _rpc (its postinst adds it; tmpfiles.d makes
  // /run/rpcbind): without it rpcbind logs "cannot get uid of '_rpc'" to syslog only and exits 1.
  rpcbind: { setup: RPCBIND_USER },
  varnishd: { args: '-a 127.0.0.1:6081 -b 127.0.0.1:8080 -n @TMP@/varnish' },
  varnishlog: { needs: 'a running varnishd' },
  varnishncsa: { needs: 'a running varnishd' },
  'atheme-services': { needs: 'an atheme.conf and an IRC server to link to' },
  clamsmtpd: { needs: 'a clamd to scan with and a clamsmtpd.conf' },
  hostapd: { needs: 'a wireless interface' },
  // The key its postinst makes; @TMP@ open to all because supervise-daemon opens
  // output_log/error_log there after switching to command_user.
  munged: {
    setup:
      'chmod 777 @TMP@; sysuser munge; mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge && dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null && chown -R munge /etc/munge /run/munge /var/lib/munge /var/log/munge && chmod 0700 /etc/munge && chmod 0400 /etc/munge/munge.key',
    user: 'munge',
  },
  ndppd: { needs: 'an ndppd.conf naming a proxy interface' },
  ngircd: {
    args: '-f @TMP@/ngircd.conf',
    setup: `printf '[Global]\n  Name = irc.example.org\n  Listen = 127.0.0.1\n  Ports = 6667\n[Options]\n  PAM = no\n' > @TMP@/ngircd.conf`,
  },
  'rpc.gssd': { needs: 'rpc_pipefs mounted (an NFS client)' },
  'rpc.svcgssd': { needs: 'an NFS server (nfsd)' },
  spampd: { needs: 'spamassassin rules (sa-update)' },
  sslh: { args: '--listen 127.0.0.1:4433 --ssh 127.0.0.1:22 --user nobody' },
  'sslh-select': { args: '--listen 127.0.0.1:4433 --ssh 127.0.0.1:22 --user nobody', pkg: 'sslh' },
  // --- fourth round
  pynslcd: {
    setup: `sysuser nslcd; mkdir -p /run/nslcd && chown nslcd /run/nslcd; printf 'uid nslcd\ngid nslcd\nuri ldap://127.0.0.1:3890/\nbase dc=example,dc=org\n' > /etc/nslcd.conf; chmod 640 /etc/nslcd.conf`,
  },
  rspamd: {
    args: '-u _rspamd -g _rspamd',
    setup:
      'sysuser _rspamd; mkdir -p /var/lib/rspamd /var/log/rspamd /run/rspamd && chown _rspamd /var/lib/rspamd /var/log/rspamd /run/rspamd',
  },
  sagan: { setup: 'sysuser sagan', needs: 'a log FIFO fed by syslog' },
  sanlock: { args: 'daemon -w 0', needs: 'permission to raise RLIMIT_MEMLOCK' },
  slurmdbd: { needs: 'a slurmdbd.conf with a storage backend (database)' },
  smokeping: { needs: 'a sendmail binary and a configured probe target list' },
  sogod: { user: 'sogo', setup: 'sysuser sogo', needs: 'a SOGo configuration (database, LDAP)' },
  'spice-vdagentd': { setup: 'mkdir -p /run/spice-vdagentd', needs: 'a SPICE virtio port' },
  taskd: { args: 'server --data @TMP@', needs: 'a taskd data directory with TLS certificates (taskd init + pki)' },
  tcsd: { setup: 'sysuser tss', needs: 'a TPM 1.2' },
  vnstatd: { setup: 'veth; sysuser vnstat; mkdir -p /var/lib/vnstat && chown vnstat /var/lib/vnstat' },
  'notary-server': { needs: 'a notary configuration with TLS certificates and a trust service' },
  'notary-signer': { needs: 'a notary configuration with TLS certificates and a database' },
  // -l stdout: its log on stdout (it printed nothing and exited 1 without it)
  freeradius: {
    args: '-l stdout',
    setup: 'sysuser freerad',
    needs: 'the sites-enabled and mods-enabled links its postinst makes (no listener without them)',
  },
  lircd: { setup: 'mkdir -p /run/lirc', needs: 'an IR receiver' },
  amuled: {
    args: '--config-dir=@TMP@',
    // amuled refuses to start unless external connections are on (ECPassword: md5 of "x")
    setup: `printf '[ExternalConnect]\nAcceptExternalConnections=1\nECPassword=9dd4e461268c8034f5c8564e155c67a6\nECAddress=127.0.0.1\n' > @TMP@/amule.conf`,
  },
  clsync: { args: '--mode=simple --watch-dir=@TMP@ --sync-handler=/bin/true --label=verify' },
  // --- second round: what the first run showed missing
  dhcpd: {
    args: '-cf @TMP@/dhcpd.conf -lf @TMP@/dhcpd.leases v0',
    setup: `veth; touch @TMP@/dhcpd.leases; printf 'subnet 10.9.0.0 netmask 255.255.255.0 {\n}\n' > @TMP@/dhcpd.conf`,
  },
  dhcrelay: { args: '-4 -i v0 10.9.0.2', setup: 'veth' },
  ddclient: {
    args: '-file @TMP@/ddclient.conf -cache @TMP@/ddclient.cache',
    setup: `printf 'daemon=300\nuse=ip, ip=127.0.0.1\n' > @TMP@/ddclient.conf; chmod 600 @TMP@/ddclient.conf`,
  },
  garbd: { args: '--address gcomm://127.0.0.1:4567 --group verify', needs: 'a Galera cluster to join' },
  gmetad: { setup: 'sysuser ganglia; mkdir -p /var/lib/ganglia/rrds && chown ganglia /var/lib/ganglia/rrds' },
  gmond: { setup: 'sysuser ganglia', needs: 'a multicast-capable interface (the default gmond.conf)' },
  espeakup: { needs: 'the kernel speakup soft synthesizer (/dev/softsynth)' },
  bumblebeed: { needs: 'an NVIDIA Optimus GPU' },
  gpm: { needs: 'a mouse device' },
  hdapsd: { needs: 'an HDAPS accelerometer (ThinkPad)' },
  inputlircd: { needs: 'an input device (its argument)' },
  pommed: { needs: 'Apple laptop hardware' },
  'spice-webdavd': { needs: 'a SPICE virtio port', args: '-p 9843' },
  'tpm2-abrmd': { setup: 'systembus', needs: 'a TPM 2.0 device' },
  razerd: { needs: 'a Razer device' },
  lcd4linux: { needs: 'an LCD display' },
  lcdd: { needs: 'an LCD display (or a terminal for the curses driver)' },
  lcdexec: { needs: 'an LCDd server' },
  lcdproc: { needs: 'an LCDd server' },
  vmtoolsd: { needs: 'a VMware guest' },
  srp_daemon: { needs: 'an InfiniBand HCA' },
  pacemakerd: { needs: 'a running corosync' },
  lvmlockd: { needs: 'a lock manager (sanlock or dlm)' },
  mcstransd: { needs: 'SELinux' },
  restorecond: { needs: 'SELinux' },
  burp: { needs: "the server's certificates (made by burp_ca at install)" },
  'amavis-mc': { needs: 'amavis-services (amavisd-new with its configuration)' },
  // The Gentoo dbus script's command_args (the rule adds only the foreground words).
  dbus: { args: '--system', setup: 'mkdir -p /run/dbus' },
  // The rule's foreground is empty because the stock command_args already hold -f.
  'rule:cupsd': {
    args: '-f -c @TMP@/cupsd.conf',
    // cupsd.conf comes from the postinst (a copy of cupsd.conf.default); lp is its group
    setup: `sysuser lp; sysuser lpadmin; printf 'Listen 127.0.0.1:6631\nErrorLog stderr\nAccessLog stderr\nPageLog stderr\n' > @TMP@/cupsd.conf`,
  },
  'avahi-daemon': { setup: 'sysuser avahi; systembus' },
  bluetooth: { setup: 'systembus', needs: 'a Bluetooth adapter (and a system bus that answers it)' },
  iwd: { setup: 'systembus', needs: 'the kernel crypto modules iwd lists (MD4, DES, CMAC, ... through AF_ALG)' },
  boltd: { setup: 'systembus' },

  // --- servers: loopback only, state in the run's temp dir
  nginx: {
    args: '-c @TMP@/nginx.conf',
    setup: `printf 'error_log @TMP@/error.log;\nevents {}\nhttp { access_log off; server { listen 127.0.0.1:8080; root @TMP@; } }\n' > @TMP@/nginx.conf`,
  },
  'redis-server': {
    args: '@TMP@/redis.conf',
    setup: `printf 'bind 127.0.0.1\nport 6390\ndir @TMP@\nlogfile ""\n' > @TMP@/redis.conf`,
  },
  vsftpd: {},
  chronyd: {
    // -x: never touch the host's clock; no servers, no command port
    args: '-x -f @TMP@/chrony.conf',
    setup: `sysuser _chrony; printf 'cmdport 0\n' > @TMP@/chrony.conf`,
  },
  ntpd: {
    // no servers and no kernel discipline: the host's clock is never adjusted
    args: '-c @TMP@/ntp.conf',
    setup: `sysuser ntpsec; printf 'disable kernel\ndriftfile @TMP@/drift\n' > @TMP@/ntp.conf`,
  },
  'syslog-ng': {
    // not the package's syslog-ng.conf: it would read /proc/kmsg (the host's kernel log)
    args: '-f @TMP@/syslog-ng.conf --persist-file=@TMP@/persist --control=@TMP@/ctl',
    setup: `printf '@version: 3.38\nsource s { network(ip("127.0.0.1") port(5514) transport("tcp")); };\ndestination d { file("@TMP@/messages"); };\nlog { source(s); destination(d); };\n' > @TMP@/syslog-ng.conf`,
  },
  mpd: {
    args: '@TMP@/mpd.conf',
    setup: `mkdir -p @TMP@/music; printf 'music_directory "@TMP@/music"\ndb_file "@TMP@/db"\nstate_file "@TMP@/state"\nbind_to_address "127.0.0.1"\nport "6601"\naudio_output {\n type "null"\n name "null"\n}\n' > @TMP@/mpd.conf`,
  },
  // libupnp needs a multicast-capable interface: loopback is not one
  gerbera: { args: '--home @TMP@ -e v0 --port 49152', setup: 'veth' },
  'vixie-cron': {
    skip: "Debian's /usr/sbin/cron is Debian's cron 3.0pl1 (package cron), not Gentoo's vixie-cron 4.1 (ISC Cron V4.1): there -f is the foreground and -n puts the FQDN in mail subjects, where ISC Cron 4.1's -n is the foreground, so the rule's -n cannot be checked with it",
  },
  exim: {
    args: '-C @TMP@/exim.conf -oX 2525',
    setup: `sysuser Debian-exim; chmod 1777 @TMP@; mkdir -p @TMP@/spool && chmod 777 @TMP@/spool
printf 'spool_directory = @TMP@/spool\nlocal_interfaces = 127.0.0.1\nexim_user = Debian-exim\nexim_group = Debian-exim\nlog_file_path = @TMP@/%%slog\nbegin acl\nbegin routers\nbegin transports\n' > @TMP@/exim.conf`,
  },
  keepalived: {
    args: '-f @TMP@/keepalived.conf -l',
    setup: `printf 'global_defs {\n  router_id verify\n}\n' > @TMP@/keepalived.conf`,
  },
  dovecot: {
    extraPackages: ['dovecot-imapd'],
    args: '-c @TMP@/dovecot.conf',
    setup: `sysuser dovecot; sysuser dovenull
printf 'listen = 127.0.0.1\nprotocols = imap\nssl = no\nbase_dir = /run/dovecot\nstate_dir = @TMP@/state\nlog_path = /dev/stderr\nmail_location = maildir:@TMP@/mail/%%u\npassdb {\n  driver = static\n  args = password=x\n}\nuserdb {\n  driver = static\n  args = uid=nobody gid=nogroup home=@TMP@/mail/%%u\n}\nservice imap-login {\n  inet_listener imap {\n    port = 1143\n  }\n}\n' > @TMP@/dovecot.conf`,
  },
  proftpd: {
    args: '-c @TMP@/proftpd.conf',
    setup: `printf 'ServerType standalone\nDefaultAddress 127.0.0.1\nPort 2121\nUseIPv6 off\nUser nobody\nGroup nogroup\nScoreboardFile @TMP@/scoreboard\nDelayTable none\nWtmpLog off\n' > @TMP@/proftpd.conf`,
  },
  rsync: {
    // the init scripts' command_args: rsync --daemon with its config
    args: '--daemon --config=@TMP@/rsyncd.conf --address=127.0.0.1 --port=8873',
    setup: `printf 'use chroot = no\n[tmp]\npath = @TMP@\n' > @TMP@/rsyncd.conf`,
  },
  rrdcached: { args: '-l 127.0.0.1:42217 -b @TMP@ -B -j @TMP@' },
  svnserve: { args: '--daemon --listen-host 127.0.0.1 --listen-port 3690 -r @TMP@' },
  xinetd: { args: '-f @TMP@/xinetd.conf', setup: `printf 'defaults\n{\n}\n' > @TMP@/xinetd.conf` },
  tinyproxy: {
    args: '-c @TMP@/tinyproxy.conf',
    setup: `printf 'Port 8888\nListen 127.0.0.1\nUser nobody\nGroup nogroup\nTimeout 600\n' > @TMP@/tinyproxy.conf`,
  },
  'transmission-daemon': { args: '-g @TMP@ --rpc-bind-address 127.0.0.1 -p 9091 -P 51413' },
  named: {
    args: '-c @TMP@/named.conf -u bind',
    setup: `sysuser bind; mkdir -p /run/named /var/cache/bind && chown bind /run/named @TMP@ /var/cache/bind
printf 'options {\n  directory "@TMP@";\n  listen-on port 5353 { 127.0.0.1; };\n  listen-on-v6 { none; };\n};\n' > @TMP@/named.conf`,
  },
  snmpd: {
    args: '-C -c @TMP@/snmpd.conf -Lo udp:127.0.0.1:1161',
    setup: `printf 'rocommunity public 127.0.0.1\n' > @TMP@/snmpd.conf`,
  },
  snmptrapd: {
    args: '-C -c @TMP@/snmptrapd.conf -Lo udp:127.0.0.1:1162',
    setup: `printf 'disableAuthorization yes\n' > @TMP@/snmptrapd.conf`,
  },
  pdns_server: {
    extraPackages: ['pdns-backend-bind'],
    args: '--config-dir=@TMP@ --socket-dir=@TMP@ --guardian=no --local-address=127.0.0.1 --local-port=5300 --launch=bind --bind-config=@TMP@/named.conf --setuid=nobody --setgid=nogroup',
    setup: `: > @TMP@/pdns.conf; printf 'options { directory "@TMP@"; };\n' > @TMP@/named.conf; chmod 755 @TMP@`,
  },
  supervisord: {
    args: '-c @TMP@/supervisord.conf',
    setup: `printf '[supervisord]\nlogfile=@TMP@/supervisord.log\nuser=root\n' > @TMP@/supervisord.conf`,
  },
  uptimed: { setup: 'sysuser daemon; mkdir -p /var/spool/uptimed && chmod 777 /var/spool/uptimed' },
  gunicorn: {
    args: '--bind 127.0.0.1:8000 --chdir @TMP@ app:app',
    setup: `printf 'def app(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n' > @TMP@/app.py`,
  },
  epmd: { args: '-address 127.0.0.1' },
  git: { args: 'daemon --base-path=@TMP@ --listen=127.0.0.1 --port=9418' },
  icecast: {
    user: 'nobody:nogroup',
    args: '-c @TMP@/icecast.xml',
    setup: `chmod 777 @TMP@; printf '<icecast>\n<limits><sources>1</sources></limits>\n<authentication><source-password>x</source-password><admin-password>x</admin-password></authentication>\n<listen-socket><port>8000</port><bind-address>127.0.0.1</bind-address></listen-socket>\n<paths><logdir>@TMP@</logdir><webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot></paths>\n<logging><errorlog>-</errorlog></logging>\n</icecast>\n' > @TMP@/icecast.xml`,
  },
  iscsid: {
    needs: 'the iscsi_tcp kernel module (NETLINK_ISCSI)',
    setup: `mkdir -p /etc/iscsi; echo 'InitiatorName=iqn.2026-01.org.example:verify' > /etc/iscsi/initiatorname.iscsi; [ -f /etc/iscsi/iscsid.conf ] || : > /etc/iscsi/iscsid.conf`,
  },
  nslcd: {
    setup: `sysuser nslcd; mkdir -p /run/nslcd && chown nslcd /run/nslcd; printf 'uid nslcd\ngid nslcd\nuri ldap://127.0.0.1:3890/\nbase dc=example,dc=org\n' > /etc/nslcd.conf; chmod 640 /etc/nslcd.conf`,
  },
  slapd: {
    args: '-h ldap://127.0.0.1:3890/ -f @TMP@/slapd.conf',
    setup: `printf 'include /etc/ldap/schema/core.schema\nmodulepath /usr/lib/ldap\nmoduleload back_ldif\ndatabase ldif\nsuffix "dc=example,dc=org"\ndirectory @TMP@\n' > @TMP@/slapd.conf`,
  },
  zabbix_agentd: {
    args: '-c @TMP@/zabbix_agentd.conf',
    setup: `sysuser zabbix; printf 'ListenIP=127.0.0.1\nListenPort=10050\nServer=127.0.0.1\nLogType=console\n' > @TMP@/zabbix_agentd.conf`,
  },
  monit: {
    args: '-c @TMP@/monitrc',
    setup: `printf 'set daemon 30\nset logfile @TMP@/monit.log\nset idfile @TMP@/id\nset statefile @TMP@/state\n' > @TMP@/monitrc; chmod 600 @TMP@/monitrc`,
  },
  puppet: {
    // the init script's command_args: the agent, here with its state in the temp dir and no server
    args: 'agent --confdir=@TMP@/etc --vardir=@TMP@/var --logdir=@TMP@/log --rundir=@TMP@/run --server=127.0.0.1',
  },
  'rabbitmq-server': {
    needs: "su to the rabbitmq user through PAM (Debian's /usr/sbin/rabbitmq-server is a wrapper script)",
    setup: `sysuser rabbitmq /var/lib/rabbitmq; mkdir -p /var/lib/rabbitmq /var/log/rabbitmq && chown rabbitmq /var/lib/rabbitmq /var/log/rabbitmq`,
  },
  monitorix: { args: '-c /etc/monitorix/monitorix.conf' },
  'qemu-ga': { args: '-m unix-listen -p @TMP@/qga.sock' },
  openvpn: { args: '--dev null --local 127.0.0.1 --lport 11940 --proto udp --ping 10 --verb 3' },
  postsrsd: {
    args: '-d example.org -s @TMP@/secret -l 127.0.0.1 -u nobody',
    setup: 'head -c 32 /dev/urandom | base64 > @TMP@/secret',
  },
  prometheus: {
    args: '--config.file=@TMP@/prometheus.yml --storage.tsdb.path=@TMP@/data --web.listen-address=127.0.0.1:9090',
    setup: `printf 'global:\n  scrape_interval: 60s\n' > @TMP@/prometheus.yml`,
  },
  searchd: {
    args: '--config @TMP@/sphinx.conf',
    setup: `printf 'index rt {\n  type = rt\n  path = @TMP@/rt\n  rt_field = title\n  rt_attr_uint = gid\n}\nsearchd {\n  listen = 127.0.0.1:9312\n  log = @TMP@/searchd.log\n  query_log = @TMP@/query.log\n  pid_file = @TMP@/searchd.pid\n  binlog_path = @TMP@\n}\n' > @TMP@/sphinx.conf`,
  },
  sniproxy: {
    args: '-c @TMP@/sniproxy.conf',
    setup: `printf 'user nobody\nlistener 127.0.0.1:8443 {\n  protocol tls\n}\ntable {\n}\n' > @TMP@/sniproxy.conf`,
  },
  stdiscosrv: { args: '--listen=127.0.0.1:8443 --db-dir=@TMP@/db', setup: 'cd @TMP@' },
  strelaysrv: { args: '-listen=127.0.0.1:22067 -pools= -keys=@TMP@ -status-srv=' },
  svscan: { args: '@TMP@' },
  syncthing: { args: '--home=@TMP@ --no-browser --gui-address=127.0.0.1:8384 --no-restart' },
  'deluge-web': { args: '-c @TMP@ -i 127.0.0.1 -p 8112' },
  deluged: { args: '-c @TMP@ -i 127.0.0.1 -p 58846' },
  v2ray: {
    args: '-config @TMP@/config.json',
    setup: `printf '{"inbounds":[{"port":10808,"listen":"127.0.0.1","protocol":"socks"}],"outbounds":[{"protocol":"freedom"}]}\n' > @TMP@/config.json`,
  },
  'carbon-c-relay': {
    args: '-f @TMP@/relay.conf -p 2003',
    setup: `printf 'cluster c forward 127.0.0.1:2004;\nmatch * send to c;\n' > @TMP@/relay.conf`,
  },
  smtpd: {
    setup:
      'sysuser opensmtpd; sysuser opensmtpq; mkdir -p -m 0711 /var/spool/smtpd; chmod 0711 /var/spool/smtpd; touch /etc/aliases',
  },
  radvd: {
    args: '-C @TMP@/radvd.conf',
    setup: `veth; printf 'interface v0 {\n  AdvSendAdvert on;\n  prefix 2001:db8:1::/64 {};\n};\n' > @TMP@/radvd.conf`,
  },
  igmpproxy: {
    args: '@TMP@/igmpproxy.conf',
    setup: `veth; printf 'phyint v0 upstream ratelimit 0 threshold 1\nphyint v1 downstream ratelimit 0 threshold 1\n' > @TMP@/igmpproxy.conf`,
  },
  arpwatch: { args: '-i v0 -f @TMP@/arp.dat', setup: 'veth; touch @TMP@/arp.dat; chmod 777 @TMP@ @TMP@/arp.dat' },
  wpa_supplicant: {
    args: '-i v0 -D wired -c @TMP@/wpa.conf',
    setup: `veth; printf 'ctrl_interface=@TMP@/wpa\nap_scan=0\n' > @TMP@/wpa.conf`,
  },
  dhcpcd: { args: 'v0', setup: 'veth' },
  // The rule is for the standalone service: dhcpcd on all interfaces (its manager mode, pid file /run/dhcpcd/pid).
  'rule:dhcpcd': { setup: 'veth' },
  ucarp: { args: '-i v0 -s 10.9.0.1 -v 1 -p secret -a 10.9.0.100 -u /bin/true -d /bin/true', setup: 'veth' },
  networkmanager: { setup: 'systembus' },
  ratbagd: { setup: 'systembus' },
  aptly: {
    args: '-config=@TMP@/aptly.conf api serve -listen=127.0.0.1:8080',
    setup: `printf '{"rootDir": "@TMP@/aptly"}\n' > @TMP@/aptly.conf`,
  },
  znc: {
    args: '--datadir=@TMP@ --allow-root',
    setup: `mkdir -p @TMP@/configs; printf 'Version = 1.8.2\n<Listener l>\n  Port = 6697\n  Host = 127.0.0.1\n  SSL = false\n</Listener>\n<User admin>\n  Pass = plain#x\n  Admin = true\n</User>\n' > @TMP@/configs/znc.conf`,
  },
  nzbget: {
    args: '-c @TMP@/nzbget.conf',
    setup: `printf 'MainDir=@TMP@\nControlIP=127.0.0.1\nControlPort=6789\n' > @TMP@/nzbget.conf`,
  },
  'icecc-scheduler': {},
  iceccd: {},
  kcm: {},
  pcscd: {},
  incrond: { setup: 'mkdir -p /var/spool/incron /etc/incron.d' },
  collectd: {
    args: '-C @TMP@/collectd.conf',
    setup: `printf 'BaseDir "@TMP@"\nPIDFile "@TMP@/collectd.pid"\nInterval 10\n' > @TMP@/collectd.conf`,
  },
  containerd: {
    args: '--config @TMP@/config.toml --address @TMP@/containerd.sock --root @TMP@/root --state @TMP@/state',
    setup: `printf 'version = 2\n' > @TMP@/config.toml`,
  },
  openconnect: { skip: 'a VPN client: it needs a VPN server to connect to' },
  vpnc: { skip: 'a VPN client: it needs a VPN server to connect to' },
  sshd: {
    args: '-f @TMP@/sshd_config',
    setup: `sysuser sshd /run/sshd; mkdir -p -m 0755 /run/sshd
ssh-keygen -q -t ed25519 -N '' -f @TMP@/host_key
printf 'ListenAddress 127.0.0.1\nPort 2222\nHostKey @TMP@/host_key\nUsePAM no\n' > @TMP@/sshd_config`,
  },

  // --- from the triage of the run of 2026-11-26 (docs/verified-daemons-fixes.md): what the
  // package's postinst or the init script's command_args would have given. Mode and listen
  // words are the ones Gentoo's scripts pass beside the entry's foreground words.
  'amavisd-milter': {
    setup:
      'sysuser amavis; mkdir -p -m 0750 /var/lib/amavis/tmp /run/amavis; chown amavis /var/lib/amavis/tmp /run/amavis',
  },
  comsatd: { args: '-d' },
  imap4d: { args: '-d' },
  h2o: {
    args: '-c @TMP@/h2o.conf',
    setup: `sysuser debian-h2o; printf 'user: debian-h2o\npid-file: @TMP@/h2o.pid\nlisten:\n  host: 127.0.0.1\n  port: 8080\nhosts:\n  default:\n    paths:\n      /:\n        file.dir: @TMP@\n' > @TMP@/h2o.conf`,
  },
  mdadm: { args: '--monitor --scan --syslog', needs: 'an md RAID array with redundancy' },
  'munin-node': { setup: 'mkdir -p /var/log/munin /run/munin' },
  nsca: {
    args: '-c @TMP@/nsca.cfg',
    setup:
      'sysuser nagios; mkdir -p /run/nagios; chown nagios /run/nagios; (cat /etc/nsca.cfg; echo server_address=127.0.0.1) > @TMP@/nsca.cfg',
  },
  nutcracker: {
    args: '-c @TMP@/nutcracker.yml -a 127.0.0.1',
    setup: `mkdir -p /var/log/nutcracker; printf 'alpha:\n  listen: 127.0.0.1:22121\n  servers:\n    - 127.0.0.1:11211:1\n' > @TMP@/nutcracker.yml`,
  },
  opensm: { needs: 'an InfiniBand port (HCA)' },
  postgrey: {
    args: '--inet=127.0.0.1:10023',
    setup: 'sysuser postgrey; mkdir -p /var/lib/postgrey; chown postgrey /var/lib/postgrey',
  },
  'prelude-correlator': { needs: 'a prelude-manager to register with' },
  'prelude-lml': { needs: 'a prelude-manager to register with' },
  'prelude-manager': { needs: 'a database for its [db] section and a registered profile' },
  'tox-bootstrapd': { args: '--config=@TMP@/tox.conf --log-backend=stdout', setup: ': > @TMP@/tox.conf' },
  ulogd: { setup: 'mkdir -p /var/log/ulog' },
  upsd: {
    setup: `sed -i 's/^MODE=.*/MODE=standalone/' /etc/nut/nut.conf; sysuser nut; mkdir -p /run/nut; chown nut /run/nut; printf '[dummy]\n driver = dummy-ups\n port = dummy.dev\n' >> /etc/nut/ups.conf`,
  },
  upslog: {
    args: '-s dummy@localhost -l @TMP@/ups.log',
    setup: 'sysuser nut; mkdir -p /run/nut; chown nut /run/nut',
  },
  upsmon: {
    setup: `sed -i 's/^MODE=.*/MODE=standalone/' /etc/nut/nut.conf; sysuser nut; mkdir -p /run/nut; chown nut /run/nut; echo 'MONITOR dummy@localhost 1 monuser secret primary' >> /etc/nut/upsmon.conf`,
  },

  // --- entries first run on 2026-11-26 04:25 UTC, dead for want of configuration: what the
  // package's init script, postinst or a minimal loopback configuration gives them
  // Debian's init script passes an interface and --chroot (its default chroot dir is under the private /var)
  darkstat: { args: '-i lo -b 127.0.0.1 -p 6670 --chroot @TMP@/chroot', setup: 'mkdir -p @TMP@/chroot' },
  // The packaged access.conf holds __CHANGEME__ keys and fwknopd.conf names no interface.
  // /usr/sbin/iptables is an update-alternatives link iptables' postinst makes (dpkg-deb -x
  // does not): FIREWALL_EXE names its target.
  fwknopd: {
    args: '-c @TMP@/fwknopd.conf -a @TMP@/access.conf -i lo',
    setup: `printf 'FIREWALL_EXE /usr/sbin/iptables-nft;\n' > @TMP@/fwknopd.conf; printf 'SOURCE ANY\nKEY_BASE64 %s\nHMAC_KEY_BASE64 %s\n' "$(head -c 32 /dev/urandom | base64 -w0)" "$(head -c 64 /dev/urandom | base64 -w0)" > @TMP@/access.conf; chmod 600 @TMP@/fwknopd.conf @TMP@/access.conf`,
  },
  // the control socket Debian's gpsd.socket gives it (-F /run/gpsd.sock): it may start with no device
  gpsd: { args: '-F @TMP@/gpsd.sock' },
  // a tunnel address and a domain (its operands), DNS on a loopback port; it opens /dev/net/tun
  iodined: { args: '-l 127.0.0.1 -p 5353 -P verify 10.53.0.1 t.example.org' },
  // the configuration file is the operand, after which options are not read (stopsAtOperand)
  kannel: {
    args: '@TMP@/kannel.conf',
    setup: `printf 'group = core\nadmin-port = 13000\nadmin-interface = 127.0.0.1\nadmin-password = verify\nadmin-allow-ip = 127.0.0.1\nbox-allow-ip = 127.0.0.1\n' > @TMP@/kannel.conf`,
  },
  // simulated 1-wire devices, as the FAKE line of Debian's /etc/owfs.conf
  owfs: { args: '--fake DS18S20,DS2405 -p 127.0.0.1:4304' },
  // The user and the directories Debian's postinst and tmpfiles make (minidlna opens its log
  // file even with -S in Debian's 1.3, and exits when its directory is missing).
  minidlnad: {
    args: '-f @TMP@/minidlna.conf',
    setup: `sysuser minidlna; mkdir -p /var/log/minidlna /var/cache/minidlna /run/minidlna; chown minidlna /var/log/minidlna /var/cache/minidlna /run/minidlna; printf 'media_dir=@TMP@\\nport=8201\\nnetwork_interface=lo\\ndb_dir=/var/cache/minidlna\\nlog_dir=/var/log/minidlna\\n' > @TMP@/minidlna.conf`,
  },
  opendmarc: {
    args: '-c @TMP@/opendmarc.conf',
    setup: `sysuser opendmarc; printf 'Socket inet:8893@127.0.0.1\\nUserID opendmarc\\n' > @TMP@/opendmarc.conf`,
  }, // --- round 9: Alpine and overlay daemons
  // arpalert listens on an interface (it found none but "any"); arpon needs one and a mode (-D: DARPI)
  arpalert: { args: '-i v0', setup: 'veth; sysuser arpalert' },
  arpon: { args: '-i v0 -D', setup: 'veth; mkdir -p /var/log/arpon /run/arpon' },
  certmonger: { setup: 'systembus' },
  iked: {
    args: '-f @TMP@/iked.conf',
    setup: `sysuser _iked /var/empty; mkdir -p /var/empty; printf 'ikev2 "verify" passive esp from 127.0.0.1 to 127.0.0.2\\n' > @TMP@/iked.conf; chmod 600 @TMP@/iked.conf`,
    needs: "the kernel's PF_KEY sockets (af_key), which this machine's kernel lacks",
  },
  // Debian's package for /usr/sbin/inetd is openbsd-inetd: its -d is debugging, and it has no -f
  inetd: {
    skip: "Debian's /usr/sbin/inetd is OpenBSD's inetd, not busybox's applet the entry is for (packages: busybox-initscripts)",
  },
  nrpe: {
    args: '-c @TMP@/nrpe.cfg',
    setup: `printf 'server_address=127.0.0.1\\nserver_port=5666\\nallowed_hosts=127.0.0.1\\nnrpe_user=nobody\\nnrpe_group=nogroup\\npid_file=@TMP@/nrpe.pid\\n' > @TMP@/nrpe.cfg`,
  },
  sockd: {
    args: '-f @TMP@/danted.conf',
    setup: `printf 'logoutput: stderr\\ninternal: 127.0.0.1 port = 1080\\nexternal: 127.0.0.1\\nsocksmethod: none\\nclientmethod: none\\nuser.privileged: root\\nuser.unprivileged: nobody\\nclient pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }\\nsocks pass { from: 0.0.0.0/0 to: 0.0.0.0/0 }\\n' > @TMP@/danted.conf`,
  },
  // ipband needs the interface to listen on (its operand; Gentoo's /etc/ipband.conf names it)
  ipband: { args: '-C v0', setup: 'veth' },
  // cpufreqd sets the CPU frequency governors of the host (/sys is shared)
  cpufreqd: { skip: HOST_WIDE('change the CPU frequency governors') },
  // --- round 10 (docs/verified-daemons-fixes.md, "The run of 2026-11-26 (round 10)")
  // dhcp_probe probes the interface named by its operand, and reads /etc/dhcp_probe.cf
  // (Debian's postinst puts one there with ucf; an empty file leaves every setting at its default)
  dhcp_probe: { args: '-c @TMP@/dhcp_probe.cf v0', setup: 'veth; : > @TMP@/dhcp_probe.cf' },
  // Without input goaccess exits ("No input data was provided"); with a log and an HTML output
  // it writes the report and exits, unless --real-time-html keeps it serving the report's
  // WebSocket (it forks only with --daemonize, which the recipe does not give)
  goaccess: {
    args: '@TMP@/access.log --log-format=COMBINED -o @TMP@/report.html --real-time-html --addr=127.0.0.1 --port=7890',
    setup: `printf '127.0.0.1 - - [26/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl"\\n' > @TMP@/access.log`,
  },
  // A serial device and its type are its operands; no serial line here carries a Bluetooth
  // controller (the host's /dev/ttyS* are not to be touched, and setting the hci_uart line
  // discipline would load a kernel module), so it gets a path that does not exist
  hciattach: {
    args: '@TMP@/ttyBT any',
    needs: "a Bluetooth controller on a serial line (UART) and the kernel's hci_uart line discipline",
  },
  // it exits 255 after "acm_open_devices: ERROR - unable to get device list" (in /var/log/ibacm.log):
  // socket(AF_NETLINK, NETLINK_RDMA) fails with EPROTONOSUPPORT and /sys/class/infiniband_verbs is missing
  ibacm: {
    needs: 'an RDMA device (InfiniBand, RoCE); this kernel has no RDMA netlink and no /sys/class/infiniband_verbs',
  },
  // socket(AF_NETLINK, NETLINK_RDMA) fails with EPROTONOSUPPORT; it says so to syslog only and exits 1
  iwpmd: { needs: "the kernel's RDMA netlink (NETLINK_RDMA, an iWARP device), which this kernel lacks" },
  // A script to run (its operand; Gentoo's service gives /etc/liquidsoap/<name>.liq); it refuses
  // to run as root ("init: security exit"), so the user the package's service runs it as
  liquidsoap: {
    args: '@TMP@/verify.liq',
    user: 'liquidsoap',
    setup: `sysuser liquidsoap; chmod 777 @TMP@; printf 'settings.log.stdout.set(true)\\nsettings.log.file.set(false)\\noutput.dummy(blank())\\n' > @TMP@/verify.liq; chmod 644 @TMP@/verify.liq`,
  },
  msd: {
    skip: "Debian's /usr/bin/msd is the Xilinx Runtime's Management Service Daemon (package libxrt-utils), not Rozhuk Ivan's Multi Stream daemon the entry is for, which Debian does not package",
  },
  // Debian's postinst makes /etc/idmapd.conf from this file with ucf (Nobody-Group = nogroup:
  // Debian has no group "nobody"); then it watches rpc_pipefs, which needs the kernel's sunrpc
  'rpc.idmapd': {
    setup: 'cp /usr/share/nfs-common/conffiles/idmapd.conf /etc/idmapd.conf',
    needs: "rpc_pipefs mounted (the kernel's sunrpc, an NFSv4 client or server)",
  },
  // It registers with rpcbind ("Failed to register any service" without one): the setup starts
  // rpcbind as its recipe above does (it forks, before the daemon, so it is not counted as escaped)
  'rpc.rquotad': WITH_RPCBIND,
  // No host key, no start ("No hostkeys available", to syslog only): a key made as the
  // package's postinst does (dropbearkey), named with -r, and a loopback port
  dropbear: {
    args: '-r @TMP@/host_key -p 127.0.0.1:2223',
    setup: 'dropbearkey -t ed25519 -f @TMP@/host_key > /dev/null 2>&1',
  },
  // Round 10, the pgrep family. redir needs what to forward (it printed its usage and
  // exited): a loopback port to another.
  redir: { args: '127.0.0.1:7101 127.0.0.1:7102' },
  // rpc.rstatd registers with rpcbind (exit 1, no output, without it), as rpc.rquotad.
  'rpc.rstatd': WITH_RPCBIND,
  // --- round 11 (docs/verified-daemons-fixes.md, "The run of 2026-11-26 (round 11)")
  // darkice reads everything from a configuration ("no section [general]" without one): a
  // capture from ALSA's null device (zero samples, so it encodes as fast as it can: one core
  // busy while it runs) encoded to a local file ([file-0]) instead of an Icecast server
  darkice: {
    args: '-c @TMP@/darkice.cfg',
    setup: `printf '[general]\\nduration = 0\\nbufferSecs = 1\\nrealtime = no\\n[input]\\ndevice = null\\nsampleRate = 22050\\nbitsPerSample = 16\\nchannel = 1\\n[file-0]\\nformat = vorbis\\nbitrateMode = abr\\nbitrate = 64\\nfileName = @TMP@/out.ogg\\n' > @TMP@/darkice.cfg`,
  },
  // Debian's prosody.cfg.lua includes conf.d/, which its postinst makes: a loopback
  // configuration of its own (c2s only), with the pid file where Debian's puts it (/run/prosody,
  // made by its tmpfiles.d); prosody refuses to run as root, so the user Debian's service uses
  prosody: {
    args: '--config @TMP@/prosody.cfg.lua',
    user: 'prosody',
    setup: `sysuser prosody; chmod 777 @TMP@; mkdir -p /run/prosody @TMP@/data; chown prosody /run/prosody @TMP@/data; printf 'interfaces = { "127.0.0.1" }\\nc2s_ports = { 5222 }\\nmodules_disabled = { "s2s" }\\ndata_path = "@TMP@/data"\\npidfile = "/run/prosody/prosody.pid"\\nlog = { info = "*console" }\\nVirtualHost "localhost"\\n' > @TMP@/prosody.cfg.lua`,
  },
  // rasdaemon finds the tracing directory through a mounted debugfs, then makes a tracing
  // instance "rasdaemon" in the kernel (mkdir in tracefs, never removed) and enables the RAS
  // events in it: kernel state the sandbox does not isolate
  rasdaemon: { skip: HOST_WIDE('create a kernel tracing instance and enable the RAS trace events') },
  // Without a working output module it aborts at once ("No speech output modules were loaded",
  // in its log under ~/.cache): the dummy module on ALSA's null device, its log on stdout.
  // With no client connected it ends itself 5 s after starting (Timeout, -t; 0.8.5 and 0.9.0
  // on): watched for 8 s so the report shows that, which the entry's words do not prevent
  'speech-dispatcher': {
    args: '-C @TMP@',
    setup: `printf 'AudioOutputMethod "alsa"\\nAudioALSADevice "null"\\nAddModule "dummy" "sd_dummy" ""\\nDefaultModule dummy\\nLogDir "stdout"\\nLogLevel 4\\n' > @TMP@/speechd.conf`,
    waitMs: 8000,
  },
  // istgt reads /etc/istgt/istgt.conf, which Debian ships only as an example: a loopback portal,
  // a 1 MB file-backed LUN in the temp dir, its pid file where the example puts it
  istgt: {
    args: '-c @TMP@/istgt.conf',
    setup: `cp /usr/share/doc/istgt/examples/auth.conf @TMP@/auth.conf; printf '[Global]\\n  NodeBase "iqn.2007-09.org.example.verify"\\n  PidFile /run/istgt.pid\\n  AuthFile @TMP@/auth.conf\\n  MediaDirectory @TMP@\\n[UnitControl]\\n  AuthMethod None\\n  Portal UC1 127.0.0.1:3261\\n  Netmask 127.0.0.1\\n[PortalGroup1]\\n  Portal DA1 127.0.0.1:3260\\n[InitiatorGroup1]\\n  InitiatorName "ALL"\\n  Netmask 127.0.0.1\\n[LogicalUnit1]\\n  TargetName disk1\\n  Mapping PortalGroup1 InitiatorGroup1\\n  AuthMethod None\\n  UnitType Disk\\n  LUN0 Storage @TMP@/disk1 1MB\\n' > @TMP@/istgt.conf`,
  },
  // jk_socketd connects to /dev/log first and exits 1 when nothing listens there (the host's
  // /dev/log, shared by the sandbox, has no syslog daemon behind it): a datagram listener bound
  // over /dev/log inside the sandbox's mount namespace, and one jail socket (--socket) instead
  // of the packaged jk_socketd.ini, which names none
  jk_socketd: {
    args: '--socket=@TMP@/jail/dev/log',
    setup: `mkdir -p @TMP@/jail/dev
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM); s.bind(sys.argv[1]); [open(sys.argv[2],"ab").write(s.recv(4096)+b"\\n") for _ in iter(int,1)]' @TMP@/devlog @TMP@/syslog.txt </dev/null >/dev/null 2>&1 &
for _ in $(seq 50); do [ -S @TMP@/devlog ] && break; sleep 0.1; done
mount --bind @TMP@/devlog /dev/log`,
  },
  // ladvd needs a protocol (-L: LLDP) and /run/ladvd for its control socket (Debian's
  // tmpfiles.d), and runs its unprivileged child as the user ladvd; with no interface operand
  // it takes every Ethernet interface (the veth pair). Its child sets RLIMIT_FSIZE to 0, so
  // its first line to stderr kills it (SIGXFSZ) when stderr is a regular file, as error_log
  // makes it: error_log is pointed at /dev/null, where stderr goes when the script sets none
  ladvd: {
    args: '-L',
    setup: 'veth; sysuser ladvd; mkdir -p /run/ladvd; ln -sf /dev/null @TMP@/stderr.log',
  },
  // mumudvb reads its tuning from a configuration (-c; "(null): Bad address" without one),
  // then opens /dev/dvb/adapter0
  mumudvb: {
    args: '-c @TMP@/mumudvb.conf',
    setup: `mkdir -p /run/mumudvb; printf 'freq=586000\\ndelivery_system=DVBT\\nautoconfiguration=full\\n' > @TMP@/mumudvb.conf`,
    needs: 'a DVB adapter (/dev/dvb/adapter0)',
  },
  // renderd binds /run/renderd/renderd.sock: the directory Debian's tmpfiles.d makes, and the
  // user its service runs it as (with its tile cache)
  renderd: {
    user: '_renderd',
    setup:
      'chmod 777 @TMP@; sysuser _renderd; mkdir -p /run/renderd /var/cache/renderd/tiles; chown _renderd /run/renderd /var/cache/renderd/tiles',
  },
  // Debian's 3.3.8 advertises itself only through Avahi ("Could not establish mDNS
  // advertisement" without it): a system bus and avahi-daemon (-D: it forks, before the run, so
  // it is not counted as escaped; its own pid file removed so it is not taken for shairport-sync's),
  // and the dummy audio backend (-o), there being no sound card
  'shairport-sync': {
    args: '-o dummy',
    extraPackages: ['avahi-daemon'],
    setup: 'sysuser avahi; systembus; veth; avahi-daemon -D && rm -f /run/avahi-daemon/pid',
  },
  // sssd needs a domain ("No domains configured"); the package ships no sssd.conf: one local
  // domain of the files provider
  sssd: {
    setup: `mkdir -p /etc/sssd; printf '[sssd]\\nservices = nss\\ndomains = local\\n[domain/local]\\nid_provider = files\\n' > /etc/sssd/sssd.conf; chmod 600 /etc/sssd/sssd.conf`,
  },
  // in.tftpd is shipped by atftpd and tftpd-hpa: this entry is tftp-hpa's; a loopback port and
  // the temp dir as its root. Its lookup of the bind address fails while loopback is the only
  // interface ("cannot resolve local IPv4 bind address: 127.0.0.1, Name or service not known",
  // to syslog only, exit 66); with the veth pair up the same address resolves
  'tftp-hpa': { pkg: 'tftpd-hpa', args: '-a 127.0.0.1:6969 -s @TMP@', setup: 'veth' },
  // --- round 12 (docs/verified-daemons-fixes.md, "The run of 2026-11-26 (round 12)")
  // Debian makes /etc/clamav/clamav-milter.conf in its postinst (debconf): a configuration of
  // its own with the milter socket in the temp dir and a clamd socket there too. Nothing listens
  // on that one: clamav-milter only warns ("No clamd server appears to be available") and keeps
  // running, asking clamd per message
  'clamav-milter': {
    args: '-c @TMP@/clamav-milter.conf',
    setup: `printf 'MilterSocket @TMP@/milter.sock\\nClamdSocket unix:@TMP@/clamd.sock\\n' > @TMP@/clamav-milter.conf`,
  },
  // The entry's -v matters only in remote control mode (-r, which its script keeps in
  // command_args); Debian's fyre is built without gnet, and -r exits 1 at once: "This Fyre
  // binary was compiled without gnet support. Cluster support is not available."
  fyre: {
    skip: "Debian's fyre is built without gnet: remote control mode (-r), the only one that daemonizes and the one -v keeps in the foreground, exits at once ('compiled without gnet support'); without -r it is the GTK program",
  },
  // grossd drops to the user gross (Debian's postinst adds it; "Running as root: can't find
  // user 'gross'" without it); the packaged grossd.conf asks DNS blocklists: a configuration
  // with no checks, its query and status ports on loopback
  grossd: {
    args: '-f @TMP@/grossd.conf',
    setup: `sysuser gross; printf 'host = 127.0.0.1\\nport = 5525\\nstatus_host = 127.0.0.1\\nstatus_port = 5522\\nsync_listen = 127.0.0.1\\nprotocol = postfix\\n' > @TMP@/grossd.conf`,
  },
  // gvpe reads DIR/gvpe.conf (-c; the package ships only an example) and takes its node name as
  // an operand: two nodes on loopback, a host key made by gvpectrl (node b gets a copy of a's
  // public key: it is never contacted), and the if-up script it runs on the tun device it makes
  // (in the sandbox's own network namespace). The pid file stays the default /run/gvpe.pid
  gvpe: {
    args: '-c @TMP@/gvpe a',
    setup: `mkdir -p @TMP@/gvpe && printf 'udp-port = 40700\\nenable-udp = yes\\nifname = vpn0\\nnode = a\\nhostname = 127.0.0.1\\nnode = b\\nhostname = 127.0.0.2\\n' > @TMP@/gvpe/gvpe.conf
gvpectrl -c @TMP@/gvpe -G > /dev/null 2>&1; cp @TMP@/gvpe/pubkey/a @TMP@/gvpe/pubkey/b
printf '#!/bin/sh\\nip link set "$IFNAME" up\\n' > @TMP@/gvpe/if-up && chmod +x @TMP@/gvpe/if-up`,
  },
  // Debian's lldpd is Vincent Bernat's (entry lldpd), another program
  'openlldp-lldpd': {
    skip: "Debian has no OpenLLDP (Gentoo net-misc/openlldp): Debian's /usr/sbin/lldpd (package lldpd) is Vincent Bernat's lldpd, another program (entry lldpd)",
  },
  // osspd makes its /dev/dsp, /dev/adsp and /dev/mixer through CUSE before anything else
  osspd: { needs: "CUSE (/dev/cuse, the cuse kernel module, which this machine lacks: \"cuse: device not found, try 'modprobe cuse' first\")" },
};

/** The recipe for an entry: "<kind>:<id>" (rule:cupsd, kb:cupsd) first, then "<id>". */
export function recipeFor(id: string, kind?: string): Recipe | undefined {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(RECIPES, k);
  if (kind && has(`${kind}:${id}`)) return RECIPES[`${kind}:${id}`];
  return has(id) ? RECIPES[id] : undefined;
}
