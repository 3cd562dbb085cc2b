/** The API package, loaded on first use: a command that calls no route (and `--version`) never loads it. */
export const loadApi = () => import('@sagasync/api');
