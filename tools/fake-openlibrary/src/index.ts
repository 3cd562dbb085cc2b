export { startFakeOpenLibrary } from './server.js';
export type { FakeOpenLibrary, FakeOpenLibraryOptions, OpenLibraryFault, OpenLibraryRequest } from './server.js';
export { indexCatalogue, words } from './catalogue.js';
export type { FakeAuthor, FakeEdition, FakeWork } from './catalogue.js';
