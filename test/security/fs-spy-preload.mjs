/**
 * `node --import ./test/security/fs-spy-preload.mjs …`: every path the
 * process, and each of its worker threads (they inherit the flag), gives to
 * `node:fs` is appended, one JSON string a line, to `$FRUS_FS_SPY_LOG` as
 * it happens (a worker may be terminated without an exit event).
 */
import fs from 'node:fs'
import { spyFs } from './fs-spy.mjs'

const log = process.env.FRUS_FS_SPY_LOG
if (log) {
  const append = fs.appendFileSync
  spyFs((path) => append(log, `${JSON.stringify(path)}\n`))
}
