/** Types of fs-spy.mjs. */
export declare function spyFs(onPath?: (path: string) => void): { paths: string[]; stop: () => void }
export declare function inside(path: string, root: string): boolean
export declare function outside(paths: readonly string[], roots: readonly string[]): string[]
