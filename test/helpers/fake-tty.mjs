// Preloaded with `node --import` by tests: the streams named in FAKE_TTY (stdout, stderr) look
// like colour terminals (isTTY, hasColors), where this machine has no pseudo-terminal to give.
for (const name of (process.env.FAKE_TTY ?? '').split(',').filter(Boolean)) {
  const s = process[name];
  s.isTTY = true;
  s.hasColors = () => true;
  s.columns = 80;
}
