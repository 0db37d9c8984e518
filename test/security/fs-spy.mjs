/**
 * An fs-access spy: every path given to `node:fs` and `node:fs/promises`
 * (open, read, write, stat, readdir, remove, rename …) is recorded. ESM
 * named imports of builtins are live bindings, refreshed by
 * `syncBuiltinESMExports`, so modules that imported `readFile` before the
 * spy was installed call the spy too. Plain JavaScript, so that it can be
 * preloaded into every thread of a process (`fs-spy-preload.mjs`).
 */
import fs from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Functions whose first argument is a path … (not `realpath`: it resolves a
 * name and reads nothing, and the build resolves the nearest existing folder
 * of an output that does not exist yet, to tell whether it lies inside the
 * input; a link it resolves is still caught where anything opens it)
 */
const ONE = [
  'access', 'appendFile', 'chmod', 'chown', 'createReadStream', 'createWriteStream', 'exists', 'lchown', 'lstat', 'lutimes',
  'mkdir', 'mkdtemp', 'open', 'opendir', 'readdir', 'readFile', 'readlink', 'rm', 'rmdir', 'stat', 'statfs',
  'truncate', 'unlink', 'utimes', 'watch', 'watchFile', 'writeFile'
]
/** … and whose first two are. */
const TWO = ['copyFile', 'cp', 'link', 'rename']

function pathOf(value) {
  if (typeof value === 'string') return resolve(value)
  if (Buffer.isBuffer(value)) return resolve(value.toString('utf8'))
  if (value instanceof URL && value.protocol === 'file:') return fileURLToPath(value)
  return undefined
}

/** Start recording (also passing each path to `onPath`); `stop()` puts every function back. */
export function spyFs(onPath) {
  const paths = []
  let depth = 0
  const undo = []
  const wrap = (target, name, count) => {
    const original = target[name]
    if (typeof original !== 'function') return
    const spy = function (...args) {
      // Only the outermost call: readFileSync calls openSync, and onPath may write.
      if (depth > 0) return original.apply(this, args)
      depth++
      try {
        for (let k = 0; k < count; k++) {
          const p = pathOf(args[k])
          if (p !== undefined) {
            paths.push(p)
            onPath?.(p)
          }
        }
        return original.apply(this, args)
      } finally {
        depth--
      }
    }
    Object.assign(spy, original)
    target[name] = spy
    undo.push(() => void (target[name] = original))
  }
  for (const target of [fs, fs.promises]) {
    for (const name of ONE) {
      wrap(target, name, 1)
      wrap(target, `${name}Sync`, 1)
    }
    for (const name of TWO) {
      wrap(target, name, 2)
      wrap(target, `${name}Sync`, 2)
    }
  }
  syncBuiltinESMExports()
  return {
    paths,
    stop: () => {
      for (const f of undo.reverse()) f()
      syncBuiltinESMExports()
    }
  }
}

/** Whether `path` is `root` or inside it. */
export function inside(path, root) {
  const rel = relative(resolve(root), path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

/** The paths outside every one of `roots`, once each, sorted. */
export function outside(paths, roots) {
  return [...new Set(paths.filter((p) => !roots.some((root) => inside(p, root))))].sort()
}
