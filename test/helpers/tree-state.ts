import { spawnSync } from 'node:child_process';

/**
 * Every path under `dir` with its type, mode, owner, content (or link target) and extended
 * attributes: "nothing changed" as one comparable value. Node has no xattr API; one python3
 * process walks the tree (os.listxattr/getxattr).
 */
const WALK = String.raw`
import os, sys, json, hashlib, stat
root = sys.argv[1]
out = {}
for d, dirs, files in os.walk(root):
    dirs.sort()
    for n in sorted(dirs + files):
        p = os.path.join(d, n)
        st = os.lstat(p)
        e = {'mode': oct(st.st_mode), 'uid': st.st_uid, 'gid': st.st_gid}
        if stat.S_ISLNK(st.st_mode):
            e['link'] = os.readlink(p)
        else:
            if stat.S_ISREG(st.st_mode):
                with open(p, 'rb') as f:
                    e['sha256'] = hashlib.sha256(f.read()).hexdigest()
            try:
                e['xattrs'] = {k: os.getxattr(p, k).hex() for k in sorted(os.listxattr(p))}
            except OSError:
                pass
        out[os.path.relpath(p, root)] = e
print(json.dumps(out))
`;

export type TreeState = Record<
  string,
  { mode: string; uid: number; gid: number; sha256?: string; link?: string; xattrs?: Record<string, string> }
>;

export function treeState(dir: string): TreeState {
  const r = spawnSync('python3', ['-c', WALK, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tree walk failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as TreeState;
}

export function setXattr(p: string, name: string, value: string): void {
  const r = spawnSync('python3', [
    '-c',
    'import os,sys; os.setxattr(sys.argv[1], sys.argv[2], sys.argv[3].encode())',
    p,
    name,
    value,
  ]);
  if (r.status !== 0) throw new Error(`setxattr failed: ${r.stderr}`);
}

export function getXattrs(p: string): Record<string, string> {
  const r = spawnSync(
    'python3',
    [
      '-c',
      'import os,sys,json; print(json.dumps({k: os.getxattr(sys.argv[1], k).decode() for k in os.listxattr(sys.argv[1])}))',
      p,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`getxattr failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, string>;
}
