export { LOCALE_CODES, LocaleCodeSchema, MARKETPLACES, marketplaceFor, resolveEndpoints } from './marketplaces.js';
export type { AudibleEndpoints, LocaleCode, Marketplace } from './marketplaces.js';

export { AudibleCredentialsSchema, accountName, summarizeAccount } from './auth/credentials.js';
export type { AudibleAccountSummary, AudibleCredentials } from './auth/credentials.js';
export { ANDROID_DEVICE_TYPE, buildClientId, codeChallengeFor, createCodeVerifier, createDeviceSerial, IOS_DEVICE_TYPE } from './auth/pkce.js';
export { createLoginRequest, parseMaplandingUrl } from './auth/login-url.js';
export type { LoginRequest, LoginRequestOptions } from './auth/login-url.js';
export { deregisterDevice, deviceAppOf, refreshAccessToken, registerDevice } from './auth/device-auth.js';
export type { DeviceAuthOptions } from './auth/device-auth.js';
export { signRequest } from './auth/sign-request.js';
export { importAuthFile } from './auth/auth-file.js';
export type { ImportAuthFileOptions } from './auth/auth-file.js';
export { createAudibleAccounts } from './auth/accounts.js';
export type { AudibleAccounts, SecretStore } from './auth/accounts.js';

export { AudibleClient } from './client.js';
export type { ApiResponse, AudibleClientOptions, QueryValue } from './client.js';
export { DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter } from './http/retry.js';
export type { RetryPolicy } from './http/retry.js';
export type { FetchLike, HttpOptions } from './http/transport.js';

// Library items and products are read with the parser's schema; these are its old names here.
export { CatalogueProductSchema, LIBRARY_RESPONSE_GROUPS, LibraryItemSchema, ProductSchema } from './api/schemas.js';
export type { CatalogueProduct, LibraryItem, Product } from './api/schemas.js';
export { fetchLibrary, MAX_LIBRARY_PAGE_SIZE } from './api/library.js';
export type { FetchLibraryOptions, RejectedLibraryItem } from './api/library.js';
export { fetchProduct, fetchProducts, MAX_ASINS_PER_CATALOGUE_CALL } from './api/catalogue.js';
export type { FetchProductsOptions, FetchProductsResult } from './api/catalogue.js';
export { hydrateSeries } from './api/series.js';
export type { HydrateSeriesOptions, HydrateSeriesResult, SeriesCatalogue, SeriesVolume } from './api/series.js';
export { createKeyValueSeriesCache, createMemorySeriesCache, createStorageSeriesCache, seriesCacheKey } from './api/series-cache.js';
export type { SeriesCache, SeriesCacheOptions } from './api/series-cache.js';
export { fetchFinishedStates, fetchLastPositions, MAX_ASINS_PER_LASTPOSITIONS_CALL } from './api/progress.js';
export type { FetchFinishedOptions, FinishedState, LastPosition } from './api/progress.js';
export { formatFetchWarning } from './api/warnings.js';
export type { FetchWarning, OnFetchWarning } from './api/warnings.js';
export { fetchAccountSnapshot, seriesAsinsOf } from './api/fetch-account.js';
export type { AccountSnapshot, FetchAccountOptions } from './api/fetch-account.js';

export { buildLibraryRecords } from './sync/build-records.js';
export type { BuildRecordsInput, BuildRecordsResult } from './sync/build-records.js';

export { AUDIBLE_CLI_COLUMNS, toAudibleCliRow, writeAudibleCliLibrary } from './export/library-csv.js';
export { buildSeriesMetadata, seriesMetadataFileName, seriesOfCatalogues } from './export/series-metadata.js';
export type { SeriesMetadataFile } from './export/series-metadata.js';
export { buildAudibleExport, writeAudibleExport } from './export/export-files.js';
export type { ExportFile } from './export/export-files.js';

export { syncLibrary } from './sync/sync-library.js';
export type { AudibleSyncReport, SyncLibraryOptions } from './sync/sync-library.js';
