#!/usr/bin/env node
/**
 * node .ci/strace-check.mjs <trace> <package root> <folder given>
 *
 * Reads the output of `strace -f -e trace=file -o <trace> node … <command>
 * <folder>` and fails (exit 1, naming each) when the process or any of its
 * threads named a path outside what it may touch:
 *   - the folder given, and the package's own files (code, schemas, node_modules);
 *   - node's own install: its binary and the shared libraries `ldd` lists for it,
 *     /etc/ld.so.cache and /etc/ld.so.preload;
 *   - /proc and /dev; the kernel's view of the CPUs and memory limits that libuv
 *     reads at start (/sys/devices/system/cpu/, /sys/fs/cgroup/); OpenSSL's
 *     configuration and the system CA bundle, which node's OpenSSL loads at start;
 *   - the folders above the package root and the folder given, for stat-like
 *     calls only (realpath looks at each component; none is opened).
 * A path inside the folder given that resolves outside it (a link) fails too
 * when the call followed it: an open without O_NOFOLLOW, a stat without
 * AT_SYMLINK_NOFOLLOW, or any call through a linked folder.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, realpathSync } from 'node:fs'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'

const [trace, root, folder] = process.argv.slice(2)
if (!trace || !root || !folder) {
  process.stderr.write('usage: node .ci/strace-check.mjs <trace> <package root> <folder given>\n')
  process.exit(2)
}

const inside = (path, dir) => {
  const rel = relative(dir, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}
const ancestors = (dir) => {
  const out = new Set()
  for (let d = dirname(dir); ; d = dirname(d)) {
    out.add(d)
    if (d === dirname(d)) break
  }
  return out
}

const node = realpathSync(process.execPath)
const libraries = new Set(
  execFileSync('ldd', [node], { encoding: 'utf8' })
    .split('\n')
    .flatMap((line) => [...line.matchAll(/(\/\S+)/g)].map((m) => m[1]))
    .flatMap((path) => [path, realpathSync(path)])
)
const exact = new Set([node, process.execPath, ...libraries, '/etc/ld.so.cache', '/etc/ld.so.preload', '/etc/ssl/openssl.cnf', '/usr/lib/ssl/openssl.cnf', '/etc/ssl/certs/ca-certificates.crt'])
const prefixes = [resolve(root), realpathSync(root), '/proc', '/dev', '/sys/devices/system/cpu', '/sys/fs/cgroup']
const statOnly = new Set([...ancestors(resolve(root)), ...ancestors(resolve(folder)), ...ancestors(realpathSync(root)), ...ancestors(realpathSync(folder))])
const STAT = new Set(['stat', 'lstat', 'newfstatat', 'statx', 'fstatat64', 'readlink', 'readlinkat', 'access', 'faccessat', 'faccessat2'])

const realFolder = realpathSync(folder)
/** Whether the call follows a link in its last component. */
const followsLink = (name, args) => {
  if (name === 'open' || name === 'openat' || name === 'openat2') return !args.includes('O_NOFOLLOW')
  if (['stat', 'newfstatat', 'statx', 'fstatat64', 'access', 'faccessat', 'faccessat2', 'execve', 'chdir', 'truncate'].includes(name)) return !args.includes('AT_SYMLINK_NOFOLLOW')
  return false
}

const cwd = new Map() // pid → working directory, from getcwd
const bad = new Map() // path → first line naming it
let calls = 0
for (const line of readFileSync(trace, 'utf8').split('\n')) {
  // `PID name(args…) = result`, or its `<unfinished …>` half (the `<… resumed>` half has no path).
  const m = /^(\d+)\s+([a-z0-9_]+)\((.*)$/.exec(line)
  if (!m) continue
  const [, pid, name, args] = m
  if (name === 'getcwd') {
    const dir = /^"((?:[^"\\]|\\.)*)"/.exec(args)
    if (dir) cwd.set(pid, dir[1])
    continue
  }
  // The first quoted argument is the path (for *at calls, after the folder descriptor).
  const quoted = /"((?:[^"\\]|\\.)*)"/.exec(args)
  if (!quoted) continue
  const raw = quoted[1]
  if (raw === '') continue // AT_EMPTY_PATH: the descriptor itself
  calls++
  const dirfd = /^(AT_FDCWD|\d+),/.exec(args)?.[1]
  let path
  if (isAbsolute(raw)) path = resolve(raw)
  else if (name === 'execve' || dirfd === undefined || dirfd === 'AT_FDCWD') path = resolve(cwd.get(pid) ?? root, raw)
  else {
    bad.set(`${raw} (relative to descriptor ${dirfd})`, line)
    continue
  }
  if (inside(path, realFolder) || inside(path, resolve(folder))) {
    const followed = followsLink(name, args) ? path : dirname(path)
    let target
    try {
      target = realpathSync(followed)
    } catch {
      continue // gone, or never there
    }
    if (!inside(target, realFolder)) bad.set(`${path} (a link followed to ${target})`, line)
    continue
  }
  if (exact.has(path) || prefixes.some((p) => inside(path, p))) continue
  if (STAT.has(name) && statOnly.has(path)) continue
  if (!bad.has(path)) bad.set(path, line)
}

if (calls === 0) {
  process.stderr.write(`strace-check: no file system call in ${trace}: was it traced?\n`)
  process.exit(1)
}
if (bad.size > 0) {
  process.stderr.write(`strace-check: ${bad.size} path${bad.size === 1 ? '' : 's'} outside ${folder} (and the allowed runtime files):\n`)
  for (const [path, line] of bad) process.stderr.write(`  ${path}\n      ${line}\n`)
  process.exit(1)
}
process.stdout.write(`strace-check: ${calls} file system calls, none outside ${folder}, the package and node's runtime\n`)
