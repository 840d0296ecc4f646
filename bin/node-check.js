// The oldest Node rc-supervise runs on; package.json's "engines" says the same (a test checks).
export const MIN_NODE = '20.19.0';

/** Why this Node is too old (null when it is new enough). Plain old syntax: see rc-supervise.js. */
export function nodeTooOld(version) {
  var have = String(version).replace(/^v/, '').split('.').map(Number);
  var need = MIN_NODE.split('.').map(Number);
  for (var i = 0; i < 3; i++) {
    if ((have[i] || 0) > need[i]) return null;
    if ((have[i] || 0) < need[i])
      return (
        'Node ' + version + ' is too old: rc-supervise needs Node ' + MIN_NODE + ' or newer ' +
        '(node --version; on Gentoo: emerge --ask net-libs/nodejs; on Alpine: apk add nodejs)'
      );
  }
  return null;
}
