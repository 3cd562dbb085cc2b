/** Builds the sagasync CLI and the packages it uses through Nx (cached); exits the process if the build fails. */
export function ensureCliBuilt(): void;
