/** Output helpers a start()/stop() may call around the real work. */
export const CHATTER = new Set(['ebegin', 'eend', 'einfo', 'veinfo', 'ewarn', 'vewarn', 'eindent', 'eoutdent', ':']);

/**
 * Commands that only print (or do nothing): safe after a launch whether or not the daemon is
 * ready, and a word they are given is a message, never an argument of the daemon.
 */
export const MESSAGES = new Set([...CHATTER, ...['eerror', 'einfon', 'vebegin', 'echo', 'printf', 'logger', 'true']]);
