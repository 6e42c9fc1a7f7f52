// Where the catalogue is saved for offline browsing: localStorage on the
// web, an in-memory map elsewhere (and in tests).
const memory = new Map<string, string>();

function backend(): Pick<Storage, 'getItem' | 'setItem'> {
  try {
    if (globalThis.localStorage) return globalThis.localStorage;
  } catch {
    // no storage access
  }
  return {
    getItem: (key: string) => memory.get(key) ?? null,
    setItem: (key: string, value: string) => void memory.set(key, value),
  };
}

export function load(key: string): string | null {
  try {
    return backend().getItem(key);
  } catch {
    return null;
  }
}

export function save(key: string, value: string): void {
  try {
    backend().setItem(key, value);
  } catch {
    // quota exceeded: the catalogue simply is not saved
  }
}
