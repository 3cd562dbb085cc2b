// Types of bundle.mjs, for the tests and the benchmark that call it.
export declare const BUNDLE_LIMIT_BYTES: number;

export interface BundleResult {
  name: string;
  /** The handler's source file. */
  entry: string;
  /** `<outdir>/<name>/index.mjs`. */
  file: string;
  /** Size of index.mjs (the source map and metafile beside it are not counted). */
  bytes: number;
  /** `<outdir>/<name>/meta.json`, esbuild's metafile. */
  metafile: string;
  /** Bytes in the bundle by where they come from (a package, a workspace package), largest first. */
  largest: { from: string; bytes: number }[];
  /** Modules left to the runtime (node built-ins, the AWS SDK). */
  external: string[];
  /** False when over the limit or containing a module that must never be in a Lambda bundle. */
  ok: boolean;
  problems: string[];
  /** esbuild's analyzeMetafile of a failing bundle, else null. */
  analysis: string | null;
}

export declare function handlerEntries(dir?: string): Promise<Record<string, string>>;

export declare function bundleHandlers(options?: {
  outdir?: string;
  entries?: string[] | Record<string, string>;
  limitBytes?: number;
}): Promise<BundleResult[]>;

export declare function describeBundles(results: BundleResult[]): string[];
