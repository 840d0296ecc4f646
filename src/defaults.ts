/** The default target: Debian 12's OpenRC, the oldest release a current distribution ships. */
export const DEFAULT_OPENRC_VERSION = '0.45';
