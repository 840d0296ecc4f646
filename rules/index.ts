import type { ServiceRule } from '../src/rules/types.js';
import acpid from './acpid.js';
import avahiDaemon from './avahi-daemon.js';
import bluetooth from './bluetooth.js';
import busyboxCrond from './busybox-crond.js';
import busyboxKlogd from './busybox-klogd.js';
import busyboxNtpd from './busybox-ntpd.js';
import busyboxSyslogd from './busybox-syslogd.js';
import busyboxWatchdog from './busybox-watchdog.js';
import cupsBrowsed from './cups-browsed.js';
import cupsd from './cupsd.js';
import dbus from './dbus.js';
import dcron from './dcron.js';
import dhcpcd from './dhcpcd.js';
import dnsmasq from './dnsmasq.js';
import fancontrol from './fancontrol.js';
import fcron from './fcron.js';
import gerbera from './gerbera.js';
import iwd from './iwd.js';
import libvirtd from './libvirtd.js';
import metalog from './metalog.js';
import mpd from './mpd.js';
import ntpd from './ntpd.js';
import rngd from './rngd.js';
import sshd from './sshd.js';
import syslogNg from './syslog-ng.js';
import tor from './tor.js';
import vixieCron from './vixie-cron.js';

/** Every rule module, explicitly: a rule not listed here does not exist. */
export const RULES: readonly ServiceRule[] = [
  acpid,
  avahiDaemon,
  bluetooth,
  busyboxCrond,
  busyboxKlogd,
  busyboxNtpd,
  busyboxSyslogd,
  busyboxWatchdog,
  cupsBrowsed,
  cupsd,
  dbus,
  dcron,
  dhcpcd,
  dnsmasq,
  fancontrol,
  fcron,
  gerbera,
  iwd,
  libvirtd,
  metalog,
  mpd,
  ntpd,
  rngd,
  sshd,
  syslogNg,
  tor,
  vixieCron,
];
