/**
 * The search chunk, fetched on demand (search-code.ts): the palette and the index behind it
 * (MiniSearch, the worker's client, the sealed copy kept between sessions). The main bundle keeps
 * only the launcher and its shortcut.
 */
export { SearchPalette } from './SearchPalette';
export { searchIndexOf } from './useSearchIndex';
